import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import {
  KPI_FIELDS,
  KpiConsistency,
  KPI_LOWER_IS_BETTER,
  Ranking,
  RankingQuery,
  StatsQuery,
  Trends,
  TrendsQuery,
  UnitStats,
  type TrendSpan,
  type KpiField,
  type KpiWindow,
} from '@gridsight/shared'
import { DAY_MS, ZoneClock } from '../../../kpi/calendar.ts'
import type { KpiEngine } from '../../../kpi/engine.ts'
import { assertCanSee } from '../../../auth/visibility.ts'

const fieldIndex = new Map<string, number>(KPI_FIELDS.map((f, k) => [f, k]))
const nul = (v: number) => (Number.isNaN(v) ? null : v)

export function unitStats(engine: KpiEngine, u: number, window: KpiWindow, now: number): UnitStats {
  const v = engine.values(u)
  const f = (name: KpiField) => v[fieldIndex.get(name)!]!
  const w = (name: string) => f(`${name}.${window}` as KpiField)
  const unit = engine.tree.units[u]!
  const status = engine.statusCounts(u)
  const dw = engine.disputeWindow(u, window)
  const trends = engine.trends(u)
  const meanAccepted = f('disputes.backlogMeanAcceptedAt')
  const below = f('cameras.belowStandard')
  const cfg = engine.config
  const trend = (t: ReturnType<KpiEngine['trends']>['hourly']) => ({
    start: t.start,
    casesNew: t.series.casesNew!,
    casesResolved: t.series.casesResolved!,
    disputesNew: t.series.disputesNew!,
    disputesResolved: t.series.disputesResolved!,
    cameraOnlineRate: t.cameraOnlineRate,
  })
  return {
    unit: {
      code: unit.code,
      name: unit.name,
      level: unit.level,
      parent: unit.parent,
      urban: unit.urban,
      areaKm2: unit.areaKm2,
    },
    window,
    windowStart: engine.clock.dayStart(engine.windowStartDay(window)),
    ts: now,
    timeZone: engine.clock.timeZone,
    cameras: {
      total: f('cameras.total'),
      online: f('cameras.online'),
      offline: f('cameras.offline'),
      fault: f('cameras.fault'),
      public: f('cameras.public'),
      social: f('cameras.social'),
      density: nul(f('cameras.density')),
      onlineDensity: nul(f('cameras.onlineDensity')),
      standard: f('cameras.standard'),
      compliance: nul(f('cameras.compliance')),
      belowStandard: Number.isNaN(below) ? null : below === 1,
      onlineRate: nul(f('cameras.onlineRate')),
      grids: f('cameras.grids'),
      gridsMeetingStandard: f('cameras.gridsMeeting'),
    },
    members: {
      onDuty: f('members.onDuty'),
      offDuty: f('members.offDuty'),
      silent: f('members.silent'),
      silentMinutes: cfg.memberSilentMinutes,
      voidGrids: f('members.voidGrids'),
    },
    cases: {
      byStatus: status.cases,
      open: f('cases.open'),
      overdue: {
        dispatch: f('cases.overdueDispatch'),
        resolve: f('cases.overdueResolve'),
        total: f('cases.overdue'),
      },
      new: w('cases.new'),
      resolved: w('cases.resolved'),
      closureRate: nul(w('cases.closureRate')),
      avgHandlingMin: nul(w('cases.avgHandlingMin')),
      p90HandlingMin: nul(w('cases.p90HandlingMin')),
      sla: { ...cfg.caseSla.default, byType: cfg.caseSla.byType },
    },
    disputes: {
      byStatusAll: status.disputes,
      open: f('disputes.open'),
      escalatedOpen: f('disputes.escalatedOpen'),
      backlog: {
        count: f('disputes.open'),
        avgAgeDays: Number.isNaN(meanAccepted) ? null : Math.max(0, (now - meanAccepted) / DAY_MS),
        olderThanDays: cfg.disputeBacklogDays,
        old: f('disputes.backlogOld'),
      },
      new: w('disputes.new'),
      byStatus: dw.byStatus,
      byCategory: dw.byCategory,
      resolved: w('disputes.resolved'),
      unresolved: w('disputes.unresolved'),
      escalated: w('disputes.escalated'),
      resolutionRate: nul(w('disputes.resolutionRate')),
    },
    trends: { hourly: trend(trends.hourly), daily: trend(trends.daily) },
  }
}

export function ranking(
  engine: KpiEngine,
  level: UnitStats['unit']['level'],
  metric: KpiField,
  order: 'asc' | 'desc',
  now: number,
): Ranking {
  const k = fieldIndex.get(metric)!
  const tree = engine.tree
  const units = tree.units.flatMap((u, i) => (u.level === level ? [i] : []))
  const rank = (value: (u: number) => number | null): Map<number, number | null> => {
    const vals = units.map((u) => ({ u, v: value(u) }))
    const sorted = vals
      .filter((x): x is { u: number; v: number } => x.v !== null)
      .sort((a, b) => (order === 'desc' ? b.v - a.v : a.v - b.v))
    const out = new Map<number, number | null>(units.map((u) => [u, null]))
    sorted.forEach((x, i) => {
      // ties share a rank (1, 2, 2, 4)
      const prev = sorted[i - 1]
      out.set(x.u, prev && prev.v === x.v ? out.get(prev.u)! : i + 1)
    })
    return out
  }
  const today = new Map(units.map((u) => [u, nul(engine.values(u)[k]!)]))
  const known = engine.yesterdayDay !== -2147483648
  const yesterday = new Map(units.map((u) => [u, engine.yesterdayValue(u, k)]))
  const rToday = rank((u) => today.get(u)!)
  const rYesterday = known ? rank((u) => yesterday.get(u)!) : null
  const items = units.map((u) => {
    const r = rToday.get(u)!
    const ry = rYesterday?.get(u) ?? null
    return {
      code: tree.units[u]!.code,
      name: tree.units[u]!.name,
      value: today.get(u)!,
      rank: r,
      valueYesterday: yesterday.get(u)!,
      rankYesterday: ry,
      change: r !== null && ry !== null ? ry - r : null,
    }
  })
  items.sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || (a.code < b.code ? -1 : 1))
  return {
    level,
    metric,
    order,
    ts: now,
    yesterday: known ? ZoneClock.dateOf(engine.yesterdayDay) : null,
    items,
  }
}

export function trends(engine: KpiEngine, u: number, span: TrendSpan, now: number): Trends {
  const all = engine.trends(u)
  const t = span === '24h' ? all.hourly : all.daily
  const { casesNew, casesResolved, disputesNew, disputesResolved } = t.series as Record<string, number[]>
  return {
    unit: engine.tree.units[u]!.code,
    span,
    timeZone: engine.clock.timeZone,
    ts: now,
    buckets: t.starts.map((start, k) => ({
      start: new Date(start).toISOString(),
      newCases: casesNew![k]!,
      newDisputes: disputesNew![k]!,
      resolutions: casesResolved![k]! + disputesResolved![k]!,
      casesResolved: casesResolved![k]!,
      disputesResolved: disputesResolved![k]!,
      onlineRate: t.cameraOnlineRate[k]!,
    })),
  }
}

const stats: FastifyPluginAsyncTypebox = async (app) => {
  const region = app.region.meta.adcode
  /** The unit asked for (default: the caller's jurisdiction), 404 if unknown, 403 outside the jurisdiction. */
  const unitOf = (req: FastifyRequest, asked: string | undefined): number => {
    const code = asked ?? req.principal?.jurisdiction ?? region
    const u = app.kpi.tree.index.get(code)
    if (u === undefined) {
      throw Object.assign(new Error(`unit ${code} is not a unit of region ${region}`), { statusCode: 404 })
    }
    assertCanSee(req, code, region, `unit ${code}`)
    return u
  }
  app.get(
    '/stats',
    {
      schema: {
        summary: 'KPIs of one unit (any level) for a window: cameras, members, cases, disputes, trends',
        querystring: StatsQuery,
        response: { 200: UnitStats },
      },
    },
    async (req) => {
      const u = unitOf(req, req.query.unit)
      const now = Date.now()
      app.kpi.advance(now)
      return unitStats(app.kpi, u, req.query.window ?? 'today', now)
    },
  )

  app.get(
    '/stats/trends',
    {
      schema: {
        summary:
          'Hourly (24 h) or daily (30 d) trend of one unit: new cases, new disputes, resolutions, camera online rate',
        querystring: TrendsQuery,
        response: { 200: Trends },
      },
    },
    async (req) => {
      const u = unitOf(req, req.query.unit)
      const now = Date.now()
      app.kpi.advance(now)
      return trends(app.kpi, u, req.query.span ?? '24h', now)
    },
  )

  app.get(
    '/stats/consistency',
    {
      schema: {
        summary:
          'The last KPI consistency check: live (incremental) figures against a full recompute from the database',
        description:
          'Runs at start and on the schedule of kpi.json (consistencyCheck); 503 until the first check has finished.',
        response: { 200: KpiConsistency },
      },
    },
    async () => {
      const last = app.kpiConsistency()
      if (!last) {
        throw Object.assign(new Error('no KPI consistency check has finished yet'), { statusCode: 503 })
      }
      return last
    },
  )

  app.get(
    '/stats/ranking',
    {
      schema: {
        summary: 'Units of one level ranked by one KPI field, with the change since yesterday (排名通报)',
        querystring: RankingQuery,
        response: { 200: Ranking },
      },
    },
    async (req) => {
      const now = Date.now()
      app.kpi.advance(now)
      const metric = req.query.metric
      const order = req.query.order ?? (KPI_LOWER_IS_BETTER.has(metric) ? 'asc' : 'desc')
      const all = ranking(app.kpi, req.query.level ?? 'street', metric, order, now)
      // Ranks stay region-wide (a street learns where it stands, 排名通报); other units' rows are not shown.
      const p = req.principal
      return p && p.jurisdiction !== region ? { ...all, items: all.items.filter((i) => p.canSee(i.code)) } : all
    },
  )
}
export default stats
