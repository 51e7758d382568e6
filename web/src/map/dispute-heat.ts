/**
 * Pure part of the dispute heatmap: which of the live mirror's disputes fall in the time window
 * and category, packed as lon,lat for a binary deck.gl attribute.
 */
import type { MirrorTable } from '@gridsight/shared'
import type { HeatWindow } from '../stores/layers.ts'

export const HEAT_WINDOW_MS: Record<HeatWindow, number> = {
  '24h': 24 * 3600_000,
  '7d': 7 * 24 * 3600_000,
  '30d': 30 * 24 * 3600_000,
}

export interface HeatPoints {
  positions: Float32Array
  count: number
}

/** what packHeat reads of the mirror's disputes table */
export type HeatTable = Pick<MirrorTable, 'count' | 'pos' | 'at' | 'attr' | 'dict'>

/**
 * Disputes accepted within `window` before `nowMs` (and of `category`, unless null), from the
 * table's columns: `at` is the acceptance time (epoch ms; NaN, unknown: left out).
 */
export function packHeat(t: HeatTable, nowMs: number, window: HeatWindow, category: string | null): HeatPoints {
  const since = nowMs - HEAT_WINDOW_MS[window]
  let n = 0
  for (let i = 0; i < t.count; i++) if (inHeat(t, i, since, nowMs, category)) n++
  const positions = new Float32Array(n * 2)
  let count = 0
  for (let i = 0; i < t.count && count < n; i++) {
    if (!inHeat(t, i, since, nowMs, category)) continue
    positions[2 * count] = t.pos[2 * i]!
    positions[2 * count + 1] = t.pos[2 * i + 1]!
    count++
  }
  return { positions, count }
}

function inHeat(t: HeatTable, i: number, since: number, nowMs: number, category: string | null): boolean {
  const at = t.at[i]!
  return at >= since && at <= nowMs && (category === null || t.dict[t.attr[i]!] === category)
}

/** Whether two packings draw the same points (a delta that only moved a status leaves the heat as it was). */
export function sameHeat(a: HeatPoints, b: HeatPoints): boolean {
  if (a.count !== b.count) return false
  for (let k = 0; k < a.count * 2; k++) if (a.positions[k] !== b.positions[k]) return false
  return true
}

/** yellow → deep red, for the heatmap and its legend */
export const HEAT_RANGE: [number, number, number][] = [
  [255, 255, 178],
  [254, 217, 118],
  [254, 178, 76],
  [253, 141, 60],
  [240, 59, 32],
  [189, 0, 38],
]
