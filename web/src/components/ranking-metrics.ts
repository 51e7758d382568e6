/** The figures the 排名通报 panel can rank by; a scene of the carousel names one by key. */
import type { KpiField } from '@gridsight/shared'

export const RANKING_METRICS = [
  { key: 'compliance', field: 'cameras.compliance', percent: true, higherIsBetter: true },
  { key: 'onlineRate', field: 'cameras.onlineRate', percent: true, higherIsBetter: true },
  { key: 'overdue', field: 'cases.overdue', percent: false, higherIsBetter: false },
  { key: 'resolution', field: 'disputes.resolutionRate.30d', percent: true, higherIsBetter: true },
] as const satisfies readonly { key: string; field: KpiField; percent: boolean; higherIsBetter: boolean }[]

export type RankingMetric = (typeof RANKING_METRICS)[number]['key']

export function isRankingMetric(v: unknown): v is RankingMetric {
  return RANKING_METRICS.some((m) => m.key === v)
}
