/**
 * Test helpers: a small synthetic unit tree and a random but realistic stream of ingest items run
 * through the real decision logic (out-of-order and duplicate updates included).
 */
import { mulberry32, type CaseItem, type DisputeItem, type MemberItem, type CameraItem } from '@gridsight/shared'
import type { StoredChange } from '../db/index.ts'
import type { EntityState } from '../live/entity-state.ts'
import { decideCamera, decideCase, decideDispute, decideMember, type Decision } from '../ingest/normalize.ts'
import type { AppliedChange } from '../ingest/ingest-service.ts'
import type { KpiUnit } from './unit-tree.ts'
import { KPI_FIELDS, KPI_WINDOWS } from '@gridsight/shared'
import { loadKpiConfig, type KpiConfig } from './config.ts'
import type { KpiEngine } from './engine.ts'

/** 2 districts: 330402 (3 streets × 3 communities × 4 grids) and 330411 (1 × 1 × 2). */
export function testUnits(): KpiUnit[] {
  const units: KpiUnit[] = []
  const add = (code: string, level: KpiUnit['level'], parent: string | null, urban: boolean, areaKm2: number) =>
    units.push({ code, name: `u${code}`, level, parent, urban, areaKm2 })
  const district = (d: string, streets: number, communities: number, grids: number) => {
    let area = 0
    const sCodes: [string, number][] = []
    for (let s = 1; s <= streets; s++) {
      const sc = `${d}${String(s).padStart(3, '0')}`
      let sArea = 0
      for (let c = 1; c <= communities; c++) {
        const cc = `${sc}${String(c).padStart(3, '0')}`
        let cArea = 0
        for (let g = 1; g <= grids; g++) {
          const a = 0.05 + 0.05 * ((s + c + g) % 4)
          add(`${cc}${String(g).padStart(3, '0')}`, 'grid', cc, s !== 3, a)
          cArea += a
        }
        add(cc, 'community', sc, s !== 3, cArea)
        sArea += cArea
      }
      sCodes.push([sc, sArea])
      add(sc, 'street', d, s !== 3, sArea)
      area += sArea
    }
    add(d, 'district', null, true, area)
  }
  district('330402', 3, 3, 4)
  district('330411', 1, 1, 2)
  return units
}

export const gridsOf = (units: KpiUnit[]) => units.filter((u) => u.level === 'grid').map((u) => u.code)

const CASE_TYPES = ['环境卫生', '占道经营', '消防隐患', '治安隐患']
const CATEGORIES = ['邻里纠纷', '婚姻家庭', '征地拆迁', '劳资纠纷', '物业纠纷']
const CASE_NEXT: Record<string, CaseItem['status'][]> = {
  reported: ['dispatched', 'dispatched', 'handling', 'closed'],
  dispatched: ['handling', 'handling', 'resolved', 'reported'],
  handling: ['resolved', 'resolved', 'handling', 'dispatched'],
  resolved: ['closed', 'closed', 'handling'],
  closed: ['closed', 'handling'],
}
const DISPUTE_NEXT: Record<string, DisputeItem['status'][]> = {
  accepted: ['assigned', 'mediating', 'escalated'],
  assigned: ['mediating', 'mediating', 'escalated'],
  mediating: ['resolved', 'resolved', 'resolved', 'unresolved', 'escalated'],
  escalated: ['mediating', 'resolved', 'unresolved'],
  resolved: ['resolved', 'mediating'],
  unresolved: ['escalated', 'unresolved'],
}

export interface StreamStep {
  now: number
  applied: AppliedChange[]
}

/**
 * A random event stream: `count` ingest items at a simulated clock starting at `start` and
 * advancing ~35 s per item, decided against `state`; status events are appended to `events`.
 */
export function* randomStream(opts: {
  seed: number
  count: number
  start: number
  grids: string[]
  /** codes other than grids that a member may be assigned to (a community, an unknown code) */
  otherCodes: string[]
  state: EntityState
  events: { case: { id: string; status: string; ts: number }[]; dispute: { id: string; status: string; ts: number }[] }
  stepMs?: number
}): Generator<StreamStep> {
  const rand = mulberry32(opts.seed)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!
  const { grids, state } = opts
  const locate = (lon: number) => {
    const k = Math.floor((lon - 120) / 0.01)
    return k >= 0 && k < grids.length ? grids[k]! : null
  }
  const pos = () => {
    const k = rand() < 0.03 ? grids.length + 3 : Math.floor(rand() * grids.length)
    return { lon: 120 + k * 0.01 + 0.005, lat: 30.5 }
  }
  let now = opts.start
  let caseIds = 0
  let disputeIds = 0
  let batch: AppliedChange[] = []
  const stepMs = opts.stepMs ?? 70_000
  for (let n = 0; n < opts.count; n++) {
    now += Math.floor(rand() * stepMs)
    // mostly fresh, some late (out of order), a few slightly ahead of the clock
    const r = rand()
    const ts = r < 0.8 ? now : r < 0.97 ? now - Math.floor(rand() * 600_000) : now + Math.floor(rand() * 240_000)
    const iso = new Date(ts).toISOString()
    const k = rand()
    let decision: Decision
    if (k < 0.4) {
      const id = `m${Math.floor(rand() * 150)}`
      const prev = state.members.get(id)
      const p = pos()
      const item: MemberItem = { id, ts: iso, lon: p.lon, lat: p.lat }
      if (!prev || rand() < 0.05) item.onDuty = rand() < 0.7
      if (!prev || rand() < 0.02) item.gridCode = rand() < 0.8 ? pick(grids) : pick(opts.otherCodes)
      decision = decideMember(item, prev, ts, locate)
    } else if (k < 0.65) {
      const id = `c${Math.floor(rand() * 400)}`
      const prev = state.cameras.get(id)
      const item: CameraItem = {
        id,
        ts: iso,
        status: pick(['online', 'online', 'online', 'offline', 'fault'] as const),
      }
      if (!prev || rand() < 0.03) Object.assign(item, pos(), { kind: rand() < 0.7 ? 'public' : 'social' })
      decision = decideCamera(item, prev, ts, locate)
    } else if (k < 0.87) {
      const fresh = caseIds === 0 || rand() < 0.3
      const id = fresh ? `k${caseIds++}` : `k${Math.max(0, caseIds - 1 - Math.floor(rand() * Math.min(caseIds, 400)))}`
      const prev = state.cases.get(id)
      const p = prev && rand() < 0.95 ? { lon: prev.lon, lat: prev.lat } : pos()
      const status = prev ? pick(CASE_NEXT[prev.status]!) : rand() < 0.9 ? 'reported' : 'resolved'
      const item: CaseItem = { id, ts: iso, type: prev && rand() < 0.97 ? prev.type : pick(CASE_TYPES), status, ...p }
      decision = decideCase(item, prev, ts, locate)
    } else {
      const fresh = disputeIds === 0 || rand() < 0.3
      const id = fresh
        ? `d${disputeIds++}`
        : `d${Math.max(0, disputeIds - 1 - Math.floor(rand() * Math.min(disputeIds, 300)))}`
      const prev = state.disputes.get(id)
      const p = prev && rand() < 0.97 ? { lon: prev.lon, lat: prev.lat } : pos()
      const status = prev ? pick(DISPUTE_NEXT[prev.status]!) : 'accepted'
      const item: DisputeItem = {
        id,
        ts: iso,
        category: prev && rand() < 0.97 ? prev.category : pick(CATEGORIES),
        status,
        ...p,
      }
      decision = decideDispute(item, prev, ts, locate)
    }
    if ('change' in decision) {
      const change: StoredChange = decision.change
      batch.push({ change, prev: state.apply(change) })
      if ((change.kind === 'case' || change.kind === 'dispute') && change.statusChanged) {
        opts.events[change.kind].push({ id: change.row.id, status: change.row.status, ts: change.row.ts })
      }
      // a duplicate re-send now and then: decided as unchanged
      if (rand() < 0.02 && change.kind === 'camera') {
        const again = decideCamera(
          { id: change.row.id, ts: iso, status: change.row.status },
          state.cameras.get(change.row.id),
          ts,
          locate,
        )
        if ('change' in again) throw new Error('a duplicate must be decided as unchanged')
      }
    }
    if (batch.length >= 1 + Math.floor(rand() * 8)) {
      yield { now, applied: batch }
      batch = []
    }
  }
  if (batch.length > 0) yield { now, applied: batch }
}

/** Status events in the store's order: by entity id, then ts. */
export function sortedEvents<T extends { id: string; ts: number }>(events: T[]): T[] {
  return [...events].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.ts - b.ts))
}

export function testConfig(): KpiConfig {
  const cfg = structuredClone(loadKpiConfig())
  cfg.caseSla.byType['消防隐患'] = { dispatchMinutes: 10, resolveWorkingDays: 0.5 }
  return cfg
}

/** Everything the engine reports, by unit code (the online-rate history only for the current bucket). */
export function figuresOf(e: KpiEngine): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (let u = 0; u < e.tree.n; u++) {
    const v = e.values(u)
    const fields = Object.fromEntries(KPI_FIELDS.map((f, k) => [f, Number.isNaN(v[k]) ? null : v[k]]))
    const t = e.trends(u)
    out[e.tree.units[u]!.code] = {
      fields,
      status: e.statusCounts(u),
      windows: KPI_WINDOWS.map((w) => e.disputeWindow(u, w)),
      hourly: t.hourly.series,
      daily: t.daily.series,
      starts: [t.hourly.start, t.daily.start],
      rateNow: [t.hourly.cameraOnlineRate.at(-1), t.daily.cameraOnlineRate.at(-1)],
    }
  }
  return out
}
