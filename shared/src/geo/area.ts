/**
 * Geodesic area on the WGS-84 ellipsoid (CGCS2000 is the same to < 1e-9 relative).
 *
 * Method: the Lambert cylindrical equal-area projection with authalic latitude maps the ellipsoid
 * onto the plane (x = λ, y = sin β) with area scale exactly R_q², R_q being the authalic radius.
 * A ring's area is then the shoelace area in that plane. Edges are taken as straight in that
 * projection, which for edges of a few km differs from geodesic edges by far less than 1e-6
 * relative: exact enough for km² figures with 6 significant digits.
 */
import type { Position } from './bbox.ts'

const A = 6378137
const F = 1 / 298.257223563
const E2 = F * (2 - F)
const E = Math.sqrt(E2)
const D2R = Math.PI / 180

function q(sinPhi: number): number {
  const es = E * sinPhi
  return (1 - E2) * (sinPhi / (1 - es * es) - (1 / (2 * E)) * Math.log((1 - es) / (1 + es)))
}
const QP = q(1)
/** Authalic radius of WGS-84 in metres (6371007.18…). */
export const AUTHALIC_RADIUS_M = A * Math.sqrt(QP / 2)

/** sin of the authalic latitude for a geodetic latitude in degrees. */
const sinBeta = (latDeg: number): number => q(Math.sin(latDeg * D2R)) / QP

/** Signed area of one ring in m² (counter-clockwise positive). Closed or open rings both work. */
export function ringAreaSigned(ring: readonly (readonly number[])[]): number {
  const n = ring.length
  if (n < 3) return 0
  const lon0 = ring[0]![0]!
  let sum = 0
  let prevX = 0
  let prevY = sinBeta(ring[0]![1]!)
  for (let i = 1; i <= n; i++) {
    const p = ring[i % n]!
    const x = (p[0]! - lon0) * D2R
    const y = sinBeta(p[1]!)
    sum += prevX * y - x * prevY
    prevX = x
    prevY = y
  }
  return (sum / 2) * AUTHALIC_RADIUS_M * AUTHALIC_RADIUS_M
}

/** Area of a GeoJSON Polygon's rings in m²: |outer| − Σ|holes|. */
export function polygonArea(
  rings: readonly (readonly Position[])[] | readonly (readonly (readonly number[])[])[],
): number {
  let total = 0
  rings.forEach((ring, i) => {
    const a = Math.abs(ringAreaSigned(ring))
    total += i === 0 ? a : -a
  })
  return total
}

export interface AreaGeometry {
  type: string
  coordinates: unknown
}

/** Geodesic area in m² of a Polygon or MultiPolygon geometry (0 for other types). */
export function geometryArea(geometry: AreaGeometry): number {
  if (geometry.type === 'Polygon') return polygonArea(geometry.coordinates as number[][][])
  if (geometry.type === 'MultiPolygon') {
    return (geometry.coordinates as number[][][][]).reduce((s, p) => s + polygonArea(p), 0)
  }
  return 0
}

/** Geodesic area in km². */
export const geometryAreaKm2 = (geometry: AreaGeometry): number => geometryArea(geometry) / 1e6
