/**
 * Splits a polygon into cells of given target areas: a power diagram (weighted Voronoi) of seed
 * points, clipped to the parent, with Voronoi-treemap style iterations (seeds move towards their
 * cell's centroid, weights grow or shrink with the area error). Cells are convex power cells
 * intersected with the parent, so together they tile it (up to float rounding), and detached
 * fragments are merged into a touching neighbour so every cell is one piece where possible.
 */
import pc from 'polygon-clipping'
import { clipHalfPlane, multiArea, multiBBox, multiCentroid, pointInMulti } from './planar.ts'
import type { MultiPolygon, Pt } from './planar.ts'

export interface PartitionOptions {
  /** relative target areas, one per cell */
  targets: readonly number[]
  /** initial seed points (inside the parent), one per cell */
  seeds: readonly Pt[]
  iterations?: number
}

export interface PartitionResult {
  cells: MultiPolygon[]
  areas: number[]
  /** max |area − target| / target over cells */
  maxRelError: number
}

function powerCells(seeds: readonly Pt[], w: readonly number[], box: [number, number, number, number]): Pt[][] {
  const [x0, y0, x1, y1] = box
  return seeds.map((si, i) => {
    let poly: Pt[] = [
      [x0, y0],
      [x1, y0],
      [x1, y1],
      [x0, y1],
    ]
    for (let j = 0; j < seeds.length && poly.length > 0; j++) {
      if (j === i) continue
      const sj = seeds[j]!
      // |x−si|² − wi ≤ |x−sj|² − wj  ⇔  2(sj−si)·x ≤ |sj|² − |si|² − wj + wi
      const a = 2 * (sj[0] - si[0])
      const b = 2 * (sj[1] - si[1])
      const c = sj[0] * sj[0] + sj[1] * sj[1] - si[0] * si[0] - si[1] * si[1] - w[j]! + w[i]!
      poly = clipHalfPlane(poly, a, b, c)
    }
    return poly
  })
}

const close = (ring: Pt[]): Pt[] => [...ring, ring[0]!]

const snap = (v: number, q: number): number => Math.round(v * q) / q

/** parent ∩ convex cell; polygon-clipping occasionally fails on near-degenerate input, so retry snapped. */
function clipToParent(parent: MultiPolygon, cell: Pt[]): MultiPolygon {
  if (cell.length < 3) return []
  let lastError: unknown
  for (const q of [1e9, 1e7, 1e6]) {
    try {
      return pc.intersection(parent, [close(cell.map(([x, y]) => [snap(x, q), snap(y, q)] as Pt))])
    } catch (e) {
      lastError = e
    }
  }
  throw lastError
}

function tryUnion(a: MultiPolygon, b: MultiPolygon): MultiPolygon | null {
  try {
    return pc.union(a, b)
  } catch {
    return null
  }
}

/** Keeps w_i − w_j below 0.9·d_ij² so that every seed stays inside its own power cell. */
function clampWeights(seeds: readonly Pt[], w: number[]): void {
  for (let pass = 0; pass < 3; pass++) {
    for (let i = 0; i < seeds.length; i++) {
      for (let j = 0; j < seeds.length; j++) {
        if (i === j) continue
        const d2 = (seeds[i]![0] - seeds[j]![0]) ** 2 + (seeds[i]![1] - seeds[j]![1]) ** 2
        if (w[i]! - w[j]! > 0.9 * d2) w[i] = w[j]! + 0.9 * d2
      }
    }
  }
}

export function partition(parent: MultiPolygon, opts: PartitionOptions): PartitionResult {
  const n = opts.targets.length
  if (opts.seeds.length !== n) throw new Error('one seed per target')
  const total = multiArea(parent)
  const tsum = opts.targets.reduce((s, t) => s + t, 0)
  const target = opts.targets.map((t) => (t / tsum) * total)
  if (n === 1) return { cells: [parent], areas: [total], maxRelError: 0 }

  const bb = multiBBox(parent)
  const pad = Math.max(bb[2] - bb[0], bb[3] - bb[1])
  const box: [number, number, number, number] = [bb[0] - pad, bb[1] - pad, bb[2] + pad, bb[3] + pad]
  const seeds: Pt[] = opts.seeds.map((s) => [s[0], s[1]])
  const w = new Array<number>(n).fill(0)
  const iterations = opts.iterations ?? 60
  let cells: MultiPolygon[]
  let areas: number[]
  for (let it = 0; ; it++) {
    cells = powerCells(seeds, w, box).map((c) => clipToParent(parent, c))
    areas = cells.map(multiArea)
    if (it >= iterations) break
    for (let i = 0; i < n; i++) {
      const cell = cells[i]!
      if (areas[i]! > 0) {
        // Lloyd step, damped, only while the centroid stays inside the parent
        const c = multiCentroid(cell)
        const m: Pt = [seeds[i]![0] + 0.6 * (c[0] - seeds[i]![0]), seeds[i]![1] + 0.6 * (c[1] - seeds[i]![1])]
        if (pointInMulti(m[0], m[1], parent)) seeds[i] = m
      }
      w[i] = w[i]! + 0.5 * (target[i]! - areas[i]!)
    }
    clampWeights(seeds, w)
  }
  cells = mergeFragments(cells)
  areas = cells.map(multiArea)
  const maxRelError = Math.max(...areas.map((a, i) => Math.abs(a - target[i]!) / target[i]!))
  return { cells, areas, maxRelError }
}

/** Gives each cell's detached fragments (all but its largest part) to a neighbour they touch. */
function mergeFragments(cells: MultiPolygon[]): MultiPolygon[] {
  const out = cells.map((c) => c)
  for (let i = 0; i < out.length; i++) {
    const cell = out[i]!
    if (cell.length <= 1) continue
    const sorted = [...cell].sort((a, b) => multiArea([b]) - multiArea([a]))
    out[i] = [sorted[0]!]
    for (const frag of sorted.slice(1)) {
      let placed = false
      for (let j = 0; j < out.length && !placed; j++) {
        if (j === i || out[j]!.length === 0) continue
        const merged = tryUnion(out[j]!, [frag])
        if (merged && merged.length <= out[j]!.length) {
          out[j] = merged
          placed = true
        }
      }
      if (!placed) out[i] = [...out[i]!, frag]
    }
  }
  return out
}
