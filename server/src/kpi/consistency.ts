/**
 * The consistency check's comparison: the live (incremental) figures against a full recompute,
 * every field of every unit; NaN equals NaN (both undefined).
 */
import { KPI_FIELDS, type KpiConsistency } from '@gridsight/shared'
import type { KpiEngine } from './engine.ts'

export type ConsistencyResult = KpiConsistency

export function compareEngines(live: KpiEngine, fresh: KpiEngine, now: number, ms: number): ConsistencyResult {
  const a = live.allValues()
  const b = fresh.allValues()
  const F = KPI_FIELDS.length
  const n = live.tree.n
  let mismatchedUnits = 0
  let first: ConsistencyResult['first'] = null
  const nul = (v: number) => (Number.isNaN(v) ? null : v)
  for (let u = 0; u < n; u++) {
    for (let k = 0; k < F; k++) {
      const x = a[u * F + k]!
      const y = b[u * F + k]!
      if (x === y || (Number.isNaN(x) && Number.isNaN(y))) continue
      mismatchedUnits++
      first ??= { unit: live.tree.units[u]!.code, field: KPI_FIELDS[k]!, incremental: nul(x), recomputed: nul(y) }
      break
    }
  }
  return {
    checkedAt: new Date(now).toISOString(),
    consistent: mismatchedUnits === 0,
    ms,
    units: n,
    fields: F,
    mismatchedUnits,
    first,
  }
}
