/**
 * Planar helpers on polygon-clipping geometries (MultiPolygon = Polygon[] = Ring[][] of [x, y]).
 * Used in a local km projection, where distances are isotropic.
 */
import type { MultiPolygon, Polygon, Ring } from 'polygon-clipping'

export type { MultiPolygon, Polygon, Ring }
export type Pt = [number, number]

export function ringArea(r: Ring): number {
  let s = 0
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) s += r[j]![0] * r[i]![1] - r[i]![0] * r[j]![1]
  return s / 2
}

export const polyArea = (p: Polygon): number =>
  p.reduce((s, r, i) => s + (i === 0 ? Math.abs(ringArea(r)) : -Math.abs(ringArea(r))), 0)

export const multiArea = (m: MultiPolygon): number => m.reduce((s, p) => s + polyArea(p), 0)

/** Area-weighted centroid of a MultiPolygon (outer rings minus holes). */
export function multiCentroid(m: MultiPolygon): Pt {
  let a = 0
  let cx = 0
  let cy = 0
  for (const p of m) {
    p.forEach((r, k) => {
      const sign = (k === 0 ? 1 : -1) * Math.sign(ringArea(r) || 1)
      for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
        const [x0, y0] = r[j]!
        const [x1, y1] = r[i]!
        const c = (x0 * y1 - x1 * y0) * sign
        a += c
        cx += (x0 + x1) * c
        cy += (y0 + y1) * c
      }
    })
  }
  return a === 0 ? [0, 0] : [cx / (3 * a), cy / (3 * a)]
}

export function multiBBox(m: MultiPolygon): [number, number, number, number] {
  const b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity]
  for (const p of m) {
    for (const [x, y] of p[0] ?? []) {
      if (x < b[0]) b[0] = x
      if (y < b[1]) b[1] = y
      if (x > b[2]) b[2] = x
      if (y > b[3]) b[3] = y
    }
  }
  return b
}

function inRing(x: number, y: number, r: Ring): boolean {
  let inside = false
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
    const [xi, yi] = r[i]!
    const [xj, yj] = r[j]!
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside
  }
  return inside
}

export const pointInMulti = (x: number, y: number, m: MultiPolygon): boolean =>
  m.some((p) => p.length > 0 && inRing(x, y, p[0]!) && !p.slice(1).some((h) => inRing(x, y, h)))

/** Clips a convex polygon (CCW, open ring) by the half-plane a·x + b·y ≤ c (Sutherland–Hodgman). */
export function clipHalfPlane(poly: Pt[], a: number, b: number, c: number): Pt[] {
  const out: Pt[] = []
  const n = poly.length
  for (let i = 0; i < n; i++) {
    const p = poly[i]!
    const q = poly[(i + 1) % n]!
    const fp = a * p[0] + b * p[1] - c
    const fq = a * q[0] + b * q[1] - c
    if (fp <= 0) out.push(p)
    if ((fp < 0 && fq > 0) || (fp > 0 && fq < 0)) {
      const t = fp / (fp - fq)
      out.push([p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])])
    }
  }
  return out
}
