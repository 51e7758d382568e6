/**
 * Pure part of the dispute heatmap: which disputes fall in the time window and
 * category, packed as lon,lat for a binary deck.gl attribute.
 */
import type { HeatWindow } from '../stores/layers.ts'

export const HEAT_WINDOW_MS: Record<HeatWindow, number> = {
  '24h': 24 * 3600_000,
  '7d': 7 * 24 * 3600_000,
  '30d': 30 * 24 * 3600_000,
}

export interface DisputeItem {
  lon: number
  lat: number
  category: string
  acceptedAt: string
}

export interface HeatPoints {
  positions: Float32Array
  count: number
}

/** Disputes accepted within `window` before `nowMs` (and of `category`, unless null). */
export function packHeat(
  items: readonly DisputeItem[],
  nowMs: number,
  window: HeatWindow,
  category: string | null,
): HeatPoints {
  const since = nowMs - HEAT_WINDOW_MS[window]
  const positions = new Float32Array(items.length * 2)
  let count = 0
  for (const d of items) {
    if (category !== null && d.category !== category) continue
    const at = Date.parse(d.acceptedAt)
    if (!(at >= since && at <= nowMs)) continue
    positions[2 * count] = d.lon
    positions[2 * count + 1] = d.lat
    count++
  }
  return { positions, count }
}

/** The categories present, most frequent first (for the legend's filter). */
export function categoriesOf(items: readonly DisputeItem[]): string[] {
  const n = new Map<string, number>()
  for (const d of items) n.set(d.category, (n.get(d.category) ?? 0) + 1)
  return [...n.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([c]) => c)
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
