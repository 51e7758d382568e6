/**
 * The KPI figures of one unit (default: the stream's scope), read from the live
 * mirror at most once per `intervalMs`. Values stay null until the server has
 * sent them: panels show "--", never a made-up number.
 */
import { toValue, type MaybeRefOrGetter } from 'vue'
import type { KpiField } from '@gridsight/shared'
import { useLiveStore } from '../stores/live.ts'
import { useThrottled } from './useThrottled.ts'

export type KpiValues<F extends KpiField> = Record<F, number | null>

export function useKpis<F extends KpiField>(
  fields: readonly F[],
  options: { unit?: MaybeRefOrGetter<string | null>; intervalMs?: number } = {},
) {
  const live = useLiveStore()
  const read = (): KpiValues<F> => {
    void live.version // re-read whenever the stream applied something
    const unit = toValue(options.unit) ?? live.mirror.scope
    const out = {} as KpiValues<F>
    for (const f of fields) out[f] = unit === null ? null : (live.mirror.kpi(unit, f) ?? null)
    return out
  }
  return useThrottled(read, options.intervalMs ?? 1000)
}

/** Reads one figure for many units (e.g. every street, for a ranking). */
export function useKpiAcross<F extends KpiField>(
  units: MaybeRefOrGetter<readonly string[]>,
  field: MaybeRefOrGetter<F>,
  intervalMs = 1000,
) {
  const live = useLiveStore()
  return useThrottled(() => {
    void live.version
    const f = toValue(field)
    return toValue(units).map((code) => ({ code, value: live.mirror.kpi(code, f) ?? null }))
  }, intervalMs)
}
