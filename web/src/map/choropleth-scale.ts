/**
 * Colour scales of the unit choropleth, pure: one definition feeds the MapLibre
 * paint expression, the per-unit value → position mapping and the legend.
 * A unit's position `t` on the ramp is in [0, 1], or null when it has no value.
 */
import type { KpiField } from '@gridsight/shared'
import type { ChoroplethMetric } from '../stores/layers.ts'

export type RampStop = readonly [t: number, color: string]

export interface ChoroplethScale {
  metric: ChoroplethMetric
  field: KpiField
  kind: 'diverging' | 'sequential'
  ramp: readonly RampStop[]
  /** counts scale to the largest unit of the level shown; ratios have a fixed domain */
  dynamic: boolean
  /** position of a value on the ramp for the domain's upper end `max` (dynamic scales) */
  t(value: number, max: number): number
  /** legend ticks: ramp position and value */
  ticks(max: number): { t: number; value: number }[]
  /** how a tick value is printed */
  format: 'ratio' | 'percent' | 'count'
}

const clamp01 = (x: number) => (x < 0 ? 0 : x > 1 ? 1 : x)

/** Compliance (density ÷ standard) on a log2 axis, 1.0 in the middle: ¼× … 4×. */
const compliance: ChoroplethScale = {
  metric: 'compliance',
  field: 'cameras.compliance',
  kind: 'diverging',
  ramp: [
    [0, '#d7301f'],
    [0.3, '#fc8d59'],
    [0.5, '#e8e2c4'],
    [0.7, '#66c2a5'],
    [1, '#1a9db8'],
  ],
  dynamic: false,
  t: (v) => (v <= 0 ? 0 : clamp01(0.5 + Math.log2(v) / 4)),
  ticks: () => [0.25, 0.5, 1, 2, 4].map((value) => ({ t: 0.5 + Math.log2(value) / 4, value })),
  format: 'ratio',
}

/** Online rate: most units sit at 95–100 %, so the ramp spends itself on 80–100 %. */
const onlineRate: ChoroplethScale = {
  metric: 'onlineRate',
  field: 'cameras.onlineRate',
  kind: 'sequential',
  ramp: [
    [0, '#d7301f'],
    [0.5, '#f6c344'],
    [1, '#2ee6a6'],
  ],
  dynamic: false,
  t: (v) => clamp01((v * 100 - 80) / 20),
  ticks: () => [80, 85, 90, 95, 100].map((p) => ({ t: (p - 80) / 20, value: p / 100 })),
  format: 'percent',
}

const COUNT_RAMP: readonly RampStop[] = [
  [0, '#123456'],
  [0.35, '#3f6fb0'],
  [0.7, '#f6c344'],
  [1, '#e8483b'],
]

function countScale(metric: ChoroplethMetric, field: KpiField): ChoroplethScale {
  return {
    metric,
    field,
    kind: 'sequential',
    ramp: COUNT_RAMP,
    dynamic: true,
    t: (v, max) => clamp01(v / max),
    ticks: (max) => [0, max / 2, max].map((value) => ({ t: value / max, value })),
    format: 'count',
  }
}

export const CHOROPLETH_SCALES: Record<ChoroplethMetric, ChoroplethScale> = {
  compliance,
  onlineRate,
  disputes: countScale('disputes', 'disputes.open'),
  openCases: countScale('openCases', 'cases.open'),
}

/** The next "nice" number (1, 2, 5 × 10^k) at or above `x`; at least 1. */
export function niceCeil(x: number): number {
  if (!(x > 1)) return 1
  const p = 10 ** Math.floor(Math.log10(x))
  for (const m of [1, 2, 5, 10]) if (m * p >= x) return m * p
  return 10 * p
}

/** `#rrggbb` → [r, g, b] */
export function hexRgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16)
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255]
}

/** The ramp's colour at `t`, linearly interpolated (what MapLibre's expression draws). */
export function rampColor(ramp: readonly RampStop[], t: number): [number, number, number] {
  const x = clamp01(t)
  for (let i = 1; i < ramp.length; i++) {
    const [t1, c1] = ramp[i]!
    if (x <= t1) {
      const [t0, c0] = ramp[i - 1]!
      const f = t1 === t0 ? 0 : (x - t0) / (t1 - t0)
      const a = hexRgb(c0)
      const b = hexRgb(c1)
      return [0, 1, 2].map((k) => Math.round(a[k]! + (b[k]! - a[k]!) * f)) as [number, number, number]
    }
  }
  return hexRgb(ramp.at(-1)![1])
}

/** The MapLibre fill-color expression for a ramp over the feature-state `t`. */
export function rampExpression(ramp: readonly RampStop[]): unknown[] {
  return ['interpolate', ['linear'], ['coalesce', ['feature-state', 't'], 0], ...ramp.flat()]
}

/** CSS linear-gradient of a ramp, for the legend. */
export function rampGradient(ramp: readonly RampStop[]): string {
  return `linear-gradient(90deg, ${ramp.map(([t, c]) => `${c} ${Math.round(t * 100)}%`).join(', ')})`
}

/** The unit level a code belongs to, by its length (street 9, community 12, grid 15 digits). */
export function levelOfCode(code: string): 'district' | 'street' | 'community' | 'grid' | null {
  switch (code.length) {
    case 6:
      return 'district'
    case 9:
      return 'street'
    case 12:
      return 'community'
    case 15:
      return 'grid'
    default:
      return null
  }
}
