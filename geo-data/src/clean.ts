/**
 * Ring clean-up after rounding coordinates: consecutive duplicates and self-touching or
 * self-crossing loops (spikes, pinched necks), which rounding to 6 decimals can create from
 * nearly-touching source geometry. At each crossing the ring splits into two loops and the
 * smaller loop is dropped. Pure, planar (lon/lat treated as x/y: fine at this scale).
 */
export type XY = [number, number]

function signedArea(r: readonly XY[]): number {
  let s = 0
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) s += r[j]![0] * r[i]![1] - r[i]![0] * r[j]![1]
  return s / 2
}

/** Intersection point of segments ab and cd, if they cross or touch. */
function segmentHit(a: XY, b: XY, c: XY, d: XY): XY | null {
  const rx = b[0] - a[0]
  const ry = b[1] - a[1]
  const sx = d[0] - c[0]
  const sy = d[1] - c[1]
  const den = rx * sy - ry * sx
  const qx = c[0] - a[0]
  const qy = c[1] - a[1]
  if (den === 0) {
    if (qx * ry - qy * rx !== 0) return null // parallel, apart
    // collinear: touching if any endpoint of one lies on the other
    const on = (p: XY, u: XY, v: XY): boolean =>
      Math.min(u[0], v[0]) <= p[0] &&
      p[0] <= Math.max(u[0], v[0]) &&
      Math.min(u[1], v[1]) <= p[1] &&
      p[1] <= Math.max(u[1], v[1])
    for (const p of [c, d]) if (on(p, a, b)) return p
    for (const p of [a, b]) if (on(p, c, d)) return p
    return null
  }
  const t = (qx * sy - qy * sx) / den
  const u = (qx * ry - qy * rx) / den
  if (t < 0 || t > 1 || u < 0 || u > 1) return null
  if (t === 0) return a
  if (t === 1) return b
  if (u === 0) return c
  if (u === 1) return d
  return [a[0] + t * rx, a[1] + t * ry]
}

/** Open ring (no repeated closing point) without consecutive duplicates. */
function dedupe(ring: readonly XY[]): XY[] {
  const out: XY[] = []
  for (const p of ring) {
    const last = out[out.length - 1]
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push([p[0], p[1]])
  }
  while (out.length > 1 && out[0]![0] === out[out.length - 1]![0] && out[0]![1] === out[out.length - 1]![1]) out.pop()
  return out
}

/**
 * Returns a closed ring without self-intersections (or null when nothing with area is left).
 * Quadratic per pass: meant for rings of up to a few thousand vertices.
 */
export function cleanRing(input: readonly XY[], maxPasses = 1000): XY[] | null {
  let r = dedupe(input)
  for (let pass = 0; pass < maxPasses; pass++) {
    const n = r.length
    if (n < 3) return null
    let split: { i: number; j: number; x: XY } | null = null
    outer: for (let i = 0; i < n; i++) {
      const a = r[i]!
      const b = r[(i + 1) % n]!
      for (let j = i + 2; j < n; j++) {
        if (i === 0 && j === n - 1) continue // adjacent through the closing edge
        const x = segmentHit(a, b, r[j]!, r[(j + 1) % n]!)
        if (x) {
          split = { i, j, x }
          break outer
        }
      }
    }
    if (!split) {
      if (Math.abs(signedArea(r)) === 0) return null
      return [...r, [r[0]![0], r[0]![1]]]
    }
    const { i, j, x } = split
    const loopA = dedupe([x, ...r.slice(i + 1, j + 1)])
    const loopB = dedupe([...r.slice(0, i + 1), x, ...r.slice(j + 1)])
    r = Math.abs(signedArea(loopA)) > Math.abs(signedArea(loopB)) ? loopA : loopB
  }
  return null
}

/**
 * Nodes a set of closed rings against each other: every vertex of any ring that lies within `eps`
 * of another ring's edge (strictly between its ends) is inserted into that edge. After rounding,
 * a child's vertex where a split line meets its parent's edge is no longer exactly on that edge;
 * noding puts it into the parent (and into every other unit sharing that edge), so that shared
 * boundaries have identical vertex chains and no sliver gaps or overlaps remain.
 * Mutates and returns the rings; returns the number of inserted vertices too.
 */
export function nodeRings(rings: XY[][], eps: number): number {
  // hash cell ≈ the mean edge length: each edge then looks at a handful of cells
  let total = 0
  let edges = 0
  for (const ring of rings) {
    for (let e = 0; e + 1 < ring.length; e++) {
      total += Math.hypot(ring[e + 1]![0] - ring[e]![0], ring[e + 1]![1] - ring[e]![1])
      edges++
    }
  }
  const cell = Math.max(eps * 10, edges > 0 ? total / edges : 1)
  const hash = new Map<string, XY[]>()
  const key = (i: number, j: number): string => `${i},${j}`
  const seen = new Set<string>()
  for (const ring of rings) {
    for (const p of ring) {
      const k = `${p[0]},${p[1]}`
      if (seen.has(k)) continue
      seen.add(k)
      const hk = key(Math.floor(p[0] / cell), Math.floor(p[1] / cell))
      const list = hash.get(hk)
      if (list) list.push(p)
      else hash.set(hk, [p])
    }
  }
  let inserted = 0
  for (const ring of rings) {
    const out: XY[] = []
    for (let e = 0; e + 1 < ring.length; e++) {
      const a = ring[e]!
      const b = ring[e + 1]!
      out.push(a)
      const dx = b[0] - a[0]
      const dy = b[1] - a[1]
      const len2 = dx * dx + dy * dy
      if (len2 === 0) continue
      const hits: { t: number; p: XY }[] = []
      const i0 = Math.floor((Math.min(a[0], b[0]) - eps) / cell)
      const i1 = Math.floor((Math.max(a[0], b[0]) + eps) / cell)
      const j0 = Math.floor((Math.min(a[1], b[1]) - eps) / cell)
      const j1 = Math.floor((Math.max(a[1], b[1]) + eps) / cell)
      for (let i = i0; i <= i1; i++) {
        for (let j = j0; j <= j1; j++) {
          for (const p of hash.get(key(i, j)) ?? []) {
            if ((p[0] === a[0] && p[1] === a[1]) || (p[0] === b[0] && p[1] === b[1])) continue
            const t = ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2
            if (t <= 0 || t >= 1) continue
            const dist = Math.abs((p[0] - a[0]) * dy - (p[1] - a[1]) * dx) / Math.sqrt(len2)
            if (dist <= eps) hits.push({ t, p })
          }
        }
      }
      hits.sort((u, v) => u.t - v.t)
      for (const h of hits) out.push([h.p[0], h.p[1]])
      inserted += hits.length
    }
    out.push(ring[ring.length - 1]!)
    ring.length = 0
    ring.push(...out)
  }
  return inserted
}
