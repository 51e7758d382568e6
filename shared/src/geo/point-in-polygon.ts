import type { Position } from './bbox.ts'

/** Even-odd ray casting over one ring (closed or not). */
function inRing(x: number, y: number, ring: readonly Position[]): boolean {
  let inside = false
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!
    const [xj, yj] = ring[j]!
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside
  }
  return inside
}

/** Point in a GeoJSON Polygon's rings: inside the outer ring and outside every hole. */
export function pointInPolygon(x: number, y: number, rings: readonly (readonly Position[])[]): boolean {
  const [outer, ...holes] = rings
  if (!outer || !inRing(x, y, outer)) return false
  return !holes.some((hole) => inRing(x, y, hole))
}

export function pointInMultiPolygon(
  x: number,
  y: number,
  polygons: readonly (readonly (readonly Position[])[])[],
): boolean {
  return polygons.some((rings) => pointInPolygon(x, y, rings))
}
