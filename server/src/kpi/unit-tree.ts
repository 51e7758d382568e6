/**
 * The admin units as arrays indexed by unit number: sorted by code, so that a unit's
 * descendants (code prefix) follow it contiguously; each unit's ancestor chain
 * (itself first) precomputed, so that a change touches O(depth) counters.
 */
export const UNIT_LEVELS = ['district', 'street', 'community', 'grid'] as const
export type KpiUnitLevel = (typeof UNIT_LEVELS)[number]

export interface KpiUnit {
  code: string
  name: string
  level: KpiUnitLevel
  parent: string | null
  urban: boolean
  areaKm2: number
}

export class UnitTree {
  readonly n: number
  readonly units: KpiUnit[]
  readonly index = new Map<string, number>()
  readonly level: Uint8Array
  readonly area: Float64Array
  readonly urban: Uint8Array
  /** chain length (itself and its ancestors) */
  readonly depth: Uint8Array
  /** n × maxDepth: itself, parent, grandparent …, then -1 */
  readonly chain: Int32Array
  readonly maxDepth: number
  /** one past the last unit whose code starts with this unit's code */
  readonly end: Int32Array
  /** grid-level units under (or equal to) each unit */
  readonly gridCount: Int32Array
  readonly grids: Int32Array

  constructor(input: readonly KpiUnit[]) {
    const units = [...input].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
    this.units = units
    const n = (this.n = units.length)
    units.forEach((u, i) => this.index.set(u.code, i))
    this.level = new Uint8Array(n)
    this.area = new Float64Array(n)
    this.urban = new Uint8Array(n)
    this.depth = new Uint8Array(n)
    const chains: number[][] = []
    let maxDepth = 1
    for (let i = 0; i < n; i++) {
      const u = units[i]!
      this.level[i] = Math.max(0, UNIT_LEVELS.indexOf(u.level))
      this.area[i] = u.areaKm2
      this.urban[i] = u.urban ? 1 : 0
      const c = [i]
      let p = u.parent
      while (p !== null && c.length < 16) {
        const pi = this.index.get(p)
        if (pi === undefined) break
        c.push(pi)
        p = units[pi]!.parent
      }
      chains.push(c)
      maxDepth = Math.max(maxDepth, c.length)
    }
    this.maxDepth = maxDepth
    this.chain = new Int32Array(n * maxDepth).fill(-1)
    for (let i = 0; i < n; i++) {
      const c = chains[i]!
      this.depth[i] = c.length
      for (let k = 0; k < c.length; k++) this.chain[i * maxDepth + k] = c[k]!
    }
    this.end = new Int32Array(n)
    for (let i = 0; i < n; i++) {
      const code = units[i]!.code
      let j = i + 1
      while (j < n && units[j]!.code.startsWith(code)) j++
      this.end[i] = j
    }
    this.gridCount = new Int32Array(n)
    const grids: number[] = []
    for (let i = 0; i < n; i++) {
      if (units[i]!.level !== 'grid') continue
      grids.push(i)
      for (let k = 0; k < this.depth[i]!; k++) this.gridCount[this.chain[i * maxDepth + k]!]! += 1
    }
    this.grids = Int32Array.from(grids)
  }

  /** units in a scope's stream: the scope unit, its descendants and its ancestors */
  inScope(scope: string, u: number): boolean {
    const code = this.units[u]!.code
    return code.startsWith(scope) || scope.startsWith(code)
  }

  /** unit numbers of the scope unit, its descendants and its ancestors (all units for an unknown scope) */
  scopeUnits(scope: string): number[] {
    const s = this.index.get(scope)
    if (s === undefined) {
      const out: number[] = []
      for (let i = 0; i < this.n; i++) if (this.inScope(scope, i)) out.push(i)
      return out
    }
    const out: number[] = []
    for (let k = this.depth[s]! - 1; k >= 1; k--) out.push(this.chain[s * this.maxDepth + k]!)
    for (let i = s; i < this.end[s]!; i++) out.push(i)
    return out
  }
}
