/**
 * Point → unit index: which polygon (grid) contains a point, fast.
 *
 * - A flatbush R-tree over the units' bounding boxes gives the candidates.
 * - An exact crossing-number test decides, over all rings of the unit at once (even–odd), so holes
 *   and MultiPolygon parts need no special case.
 * - Edges are stored once per unit in a canonical direction (lower y first) and tested half-open
 *   (y0 ≤ y < y1, x < x-intercept), with the intercept computed identically for every unit that
 *   shares the edge. For a tiling with shared vertex chains this gives every point of the plane
 *   exactly one owner: a point on a shared edge belongs to the unit to its right (or, on a
 *   horizontal edge, the unit above); a shared vertex to exactly one unit too.
 * - Where units overlap (bad input, T-junctions), the lowest unit index wins, deterministically.
 * - Points outside every unit (or on the outer boundary's right/top side) give -1 / null.
 *
 * Pure code: no DOM, no Node.
 */
import Flatbush from 'flatbush'

export interface PolygonalGeometry {
  type: 'Polygon' | 'MultiPolygon'
  coordinates: unknown
}

export class PointIndex {
  readonly size: number
  private readonly tree: Flatbush
  /** per edge: x0, y0, x1, y1 with y0 < y1 (horizontal edges dropped) */
  private readonly edges: Float64Array
  /** edges of unit u are [edgeStart[u], edgeStart[u + 1]) */
  private readonly edgeStart: Uint32Array
  private hit = -1
  private qx = 0
  private qy = 0

  constructor(geometries: readonly PolygonalGeometry[]) {
    this.size = geometries.length
    const rings: number[][][][] = geometries.map((g) =>
      g.type === 'Polygon' ? (g.coordinates as number[][][]) : (g.coordinates as number[][][][]).flat(),
    )
    let count = 0
    for (const unit of rings) for (const ring of unit) count += ring.length
    const edges = new Float64Array(count * 4)
    const edgeStart = new Uint32Array(this.size + 1)
    this.tree = new Flatbush(Math.max(1, this.size))
    let e = 0
    rings.forEach((unit, u) => {
      edgeStart[u] = e
      let minX = Infinity
      let minY = Infinity
      let maxX = -Infinity
      let maxY = -Infinity
      for (const ring of unit) {
        const n = ring.length
        for (let i = 0; i < n; i++) {
          const a = ring[i]!
          const b = ring[(i + 1) % n]! // works for closed and open rings
          const ax = a[0]!
          const ay = a[1]!
          const bx = b[0]!
          const by = b[1]!
          if (ax < minX) minX = ax
          if (ay < minY) minY = ay
          if (ax > maxX) maxX = ax
          if (ay > maxY) maxY = ay
          if (ay === by) continue
          const k = e * 4
          if (ay < by || (ay === by && ax < bx)) {
            edges[k] = ax
            edges[k + 1] = ay
            edges[k + 2] = bx
            edges[k + 3] = by
          } else {
            edges[k] = bx
            edges[k + 1] = by
            edges[k + 2] = ax
            edges[k + 3] = ay
          }
          e++
        }
      }
      if (minX > maxX) {
        // empty geometry: a box that matches nothing
        minX = minY = Infinity
        maxX = maxY = -Infinity
      }
      this.tree.add(minX, minY, maxX, maxY)
    })
    edgeStart[this.size] = e
    if (this.size === 0) this.tree.add(Infinity, Infinity, -Infinity, -Infinity)
    this.tree.finish()
    this.edges = edges.subarray(0, e * 4)
    this.edgeStart = edgeStart
  }

  /** Exact test of one unit (even–odd over all its rings, half-open edges). */
  contains(u: number, x: number, y: number): boolean {
    const edges = this.edges
    let inside = false
    for (let k = this.edgeStart[u]! * 4, end = this.edgeStart[u + 1]! * 4; k < end; k += 4) {
      const y0 = edges[k + 1]!
      const y1 = edges[k + 3]!
      if (y < y0 || y >= y1) continue
      const x0 = edges[k]!
      const xi = x0 + ((y - y0) * (edges[k + 2]! - x0)) / (y1 - y0)
      if (x < xi) inside = !inside
    }
    return inside
  }

  private readonly filter = (u: number): boolean => {
    if ((this.hit === -1 || u < this.hit) && this.contains(u, this.qx, this.qy)) this.hit = u
    return false
  }

  /** Index of the unit that owns (x, y) = (lon, lat), or -1. */
  locate(x: number, y: number): number {
    if (!(Number.isFinite(x) && Number.isFinite(y))) return -1
    this.hit = -1
    this.qx = x
    this.qy = y
    this.tree.search(x, y, x, y, this.filter)
    return this.hit
  }
}

export interface LocatableUnit {
  properties: { code: string; level?: string; parent?: string | null }
  geometry: PolygonalGeometry
}

/**
 * Assigns points to the finest units of a hierarchy (the units nobody names as parent, i.e. the
 * grids of a region pack) and so to all their ancestors.
 */
export class UnitLocator {
  readonly index: PointIndex
  private readonly leaves: LocatableUnit[]
  private readonly parentOf = new Map<string, string | null>()

  constructor(units: readonly LocatableUnit[]) {
    const parents = new Set<string>()
    for (const u of units) {
      this.parentOf.set(u.properties.code, u.properties.parent ?? null)
      if (u.properties.parent) parents.add(u.properties.parent)
    }
    this.leaves = units.filter((u) => !parents.has(u.properties.code))
    this.index = new PointIndex(this.leaves.map((u) => u.geometry))
  }

  /** Code of the finest unit containing (lon, lat), or null outside. */
  locate(lon: number, lat: number): string | null {
    const i = this.index.locate(lon, lat)
    return i < 0 ? null : this.leaves[i]!.properties.code
  }

  /** The finest unit's code followed by its ancestors' codes (grid, community, street, district), or null. */
  locateChain(lon: number, lat: number): string[] | null {
    let code = this.locate(lon, lat)
    if (code === null) return null
    const chain: string[] = []
    const seen = new Set<string>()
    while (code !== null && !seen.has(code)) {
      chain.push(code)
      seen.add(code)
      code = this.parentOf.get(code) ?? null
    }
    return chain
  }
}
