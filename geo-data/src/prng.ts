/** Deterministic random streams on shared's mulberry32, so that a pack rebuilds byte-identically from its seed. */
import { mulberry32 } from '@gridsight/shared'

export interface Rng {
  /** uniform in [0, 1) */
  next(): number
  /** uniform in [lo, hi) */
  range(lo: number, hi: number): number
  /** integer in [0, n) */
  int(n: number): number
  /** standard normal (Box–Muller) */
  normal(): number
  pick<T>(items: readonly T[]): T
  /** a new independent stream derived from this one and a label */
  fork(label: string): Rng
}

function hashString(s: string): number {
  let h = 2166136261
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 16777619)
  }
  return h >>> 0
}

export function createRng(seed: number | string): Rng {
  const next = mulberry32(typeof seed === 'string' ? hashString(seed) : seed)
  const rng: Rng = {
    next,
    range: (lo, hi) => lo + (hi - lo) * next(),
    int: (n) => Math.floor(next() * n),
    normal: () => {
      const u = 1 - next()
      const v = next()
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
    },
    pick: (items) => {
      if (items.length === 0) throw new Error('pick from an empty list')
      return items[Math.floor(next() * items.length)]!
    },
    fork: (label) => createRng((hashString(label) ^ Math.floor(next() * 4294967296)) >>> 0),
  }
  return rng
}
