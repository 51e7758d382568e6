/**
 * Camera density per grid straight from positions: every camera's point → grid assignment, then
 * the per-grid figures (total, online, density per km² of both, standard met). This is what PostGIS
 * computes with `ST_Contains` + GiST in the KPI bench, and what a re-assignment after a new grid
 * pack needs; the live engine instead counts by the grid code stored at ingest.
 *
 * The assignment uses a uniform bucket grid over the units' bounding boxes (a point's candidates are
 * one array slice, no tree walk, no callback) and the same exact test as the shared PointIndex:
 * edges stored lower-y first, half-open (y0 ≤ y < y1, x < intercept), even–odd over all rings, the
 * lowest unit index winning where units overlap — so both give every point the same owner.
 */
import type { PolygonalGeometry } from '@gridsight/shared'

export class GridBuckets {
  readonly size: number
  private readonly edges: Float64Array
  private readonly edgeStart: Uint32Array
  /** per unit: minX, minY, maxX, maxY */
  private readonly box: Float64Array
  private readonly x0: number
  private readonly y0: number
  private readonly nx: number
  private readonly ny: number
  private readonly sx: number
  private readonly sy: number
  /** units of cell c are cellUnits[cellStart[c] … cellStart[c + 1]), ascending */
  private readonly cellStart: Int32Array
  private readonly cellUnits: Int32Array

  constructor(geometries: readonly PolygonalGeometry[], cellsPerUnit = 4) {
    const n = (this.size = geometries.length)
    const rings = geometries.map((g) =>
      g.type === 'Polygon' ? (g.coordinates as number[][][]) : (g.coordinates as number[][][][]).flat(),
    )
    let count = 0
    for (const unit of rings) for (const ring of unit) count += ring.length
    const edges = new Float64Array(count * 4)
    const edgeStart = new Uint32Array(n + 1)
    const box = new Float64Array(n * 4)
    let e = 0
    let gx0 = Infinity
    let gy0 = Infinity
    let gx1 = -Infinity
    let gy1 = -Infinity
    rings.forEach((unit, u) => {
      edgeStart[u] = e
      let minX = Infinity
      let minY = Infinity
      let maxX = -Infinity
      let maxY = -Infinity
      for (const ring of unit) {
        const m = ring.length
        for (let i = 0; i < m; i++) {
          const a = ring[i]!
          const b = ring[(i + 1) % m]!
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
          if (ay < by) {
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
      box[u * 4] = minX
      box[u * 4 + 1] = minY
      box[u * 4 + 2] = maxX
      box[u * 4 + 3] = maxY
      if (minX <= maxX) {
        gx0 = Math.min(gx0, minX)
        gy0 = Math.min(gy0, minY)
        gx1 = Math.max(gx1, maxX)
        gy1 = Math.max(gy1, maxY)
      }
    })
    edgeStart[n] = e
    this.edges = edges.subarray(0, e * 4)
    this.edgeStart = edgeStart
    this.box = box
    if (!(gx0 <= gx1)) gx0 = gy0 = gx1 = gy1 = 0
    const w = Math.max(gx1 - gx0, 1e-9)
    const h = Math.max(gy1 - gy0, 1e-9)
    const cells = Math.max(1, n * cellsPerUnit)
    this.nx = Math.max(1, Math.round(Math.sqrt((cells * w) / h)))
    this.ny = Math.max(1, Math.round(cells / this.nx))
    this.x0 = gx0
    this.y0 = gy0
    this.sx = this.nx / w
    this.sy = this.ny / h
    const start = new Int32Array(this.nx * this.ny + 1)
    const span = (u: number, visit: (c: number) => void) => {
      const minX = box[u * 4]!
      if (!(minX <= box[u * 4 + 2]!)) return
      const cx0 = this.cellX(minX)
      const cy0 = this.cellY(box[u * 4 + 1]!)
      const cx1 = this.cellX(box[u * 4 + 2]!)
      const cy1 = this.cellY(box[u * 4 + 3]!)
      for (let cy = cy0; cy <= cy1; cy++) for (let cx = cx0; cx <= cx1; cx++) visit(cy * this.nx + cx)
    }
    for (let u = 0; u < n; u++) span(u, (c) => start[c + 1]!++)
    for (let c = 1; c < start.length; c++) start[c]! += start[c - 1]!
    const fill = start.slice(0, -1)
    const units = new Int32Array(start[start.length - 1]!)
    for (let u = 0; u < n; u++) span(u, (c) => (units[fill[c]!++] = u))
    this.cellStart = start
    this.cellUnits = units
  }

  private cellX(x: number): number {
    return Math.min(this.nx - 1, Math.max(0, Math.floor((x - this.x0) * this.sx)))
  }

  private cellY(y: number): number {
    return Math.min(this.ny - 1, Math.max(0, Math.floor((y - this.y0) * this.sy)))
  }

  private contains(u: number, x: number, y: number): boolean {
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

  /** Index of the unit that owns (x, y), or -1. */
  locate(x: number, y: number): number {
    if (!(Number.isFinite(x) && Number.isFinite(y))) return -1
    const fx = (x - this.x0) * this.sx
    const fy = (y - this.y0) * this.sy
    if (fx < 0 || fy < 0 || fx > this.nx || fy > this.ny) return -1
    const c = Math.min(this.ny - 1, Math.floor(fy)) * this.nx + Math.min(this.nx - 1, Math.floor(fx))
    const box = this.box
    for (let k = this.cellStart[c]!, end = this.cellStart[c + 1]!; k < end; k++) {
      const u = this.cellUnits[k]!
      const b = u * 4
      if (x < box[b]! || x > box[b + 2]! || y < box[b + 1]! || y > box[b + 3]!) continue
      if (this.contains(u, x, y)) return u
    }
    return -1
  }
}

export interface GridCameraFigures {
  total: Int32Array
  online: Int32Array
  /** cameras per km² (NaN for a grid without area) */
  density: Float64Array
  onlineDensity: Float64Array
  /** 1 where density ≥ the grid's standard */
  meets: Uint8Array
  /** cameras in no grid */
  outside: number
}

/**
 * Per-grid camera figures from positions. `lon`, `lat`, `online` are columns (one entry per camera);
 * `area` (km²) and `standard` (cameras per km²) are per grid, in the order of the index's geometries.
 */
export function gridCameraFigures(
  index: GridBuckets,
  lon: Float64Array,
  lat: Float64Array,
  online: Uint8Array,
  area: Float64Array,
  standard: Float64Array,
): GridCameraFigures {
  const n = index.size
  const total = new Int32Array(n)
  const on = new Int32Array(n)
  let outside = 0
  for (let i = 0; i < lon.length; i++) {
    const g = index.locate(lon[i]!, lat[i]!)
    if (g < 0) {
      outside++
      continue
    }
    total[g]!++
    on[g]! += online[i]!
  }
  const density = new Float64Array(n)
  const onlineDensity = new Float64Array(n)
  const meets = new Uint8Array(n)
  for (let g = 0; g < n; g++) {
    const a = area[g]!
    density[g] = a > 0 ? total[g]! / a : NaN
    onlineDensity[g] = a > 0 ? on[g]! / a : NaN
    meets[g] = density[g]! >= standard[g]! ? 1 : 0
  }
  return { total, online: on, density, onlineDensity, meets, outside }
}
