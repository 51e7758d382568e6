/** [west, south, east, north] in degrees (WGS-84). */
export type BBox = [number, number, number, number]

export type Position = [number, number]

/** Bounding box of any nesting of coordinate arrays (Polygon, MultiPolygon rings…). */
export function bboxOf(coords: unknown): BBox {
  const box: BBox = [Infinity, Infinity, -Infinity, -Infinity]
  const visit = (c: unknown): void => {
    if (!Array.isArray(c)) return
    if (typeof c[0] === 'number' && typeof c[1] === 'number') {
      const [x, y] = c as Position
      if (x < box[0]) box[0] = x
      if (y < box[1]) box[1] = y
      if (x > box[2]) box[2] = x
      if (y > box[3]) box[3] = y
      return
    }
    for (const child of c) visit(child)
  }
  visit(coords)
  return box
}
