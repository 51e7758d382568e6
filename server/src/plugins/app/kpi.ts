/**
 * KPIs (issue 6): rebuilt from the entity state and the database's status events at start, then
 * kept up to date from every committed change; served on `/live` (snapshot and changed-unit
 * deltas, through `app.live.kpiSource`) and over REST (routes/api/v1/stats.ts).
 *
 * Across restarts: the online-rate history is replayed from the stored camera transitions, and the
 * figures of each non-grid unit are saved per local day (kpi_daily), so that rankings compare with
 * yesterday's closing figures. A consistency check (incremental against a full recompute) runs at
 * start and on a schedule; its last result is at GET /api/v1/stats/consistency and on /metrics.
 */
import fp from 'fastify-plugin'
import { Counter, Gauge } from 'prom-client'
import { KPI_FIELDS } from '@gridsight/shared'
import { ZoneClock } from '../../kpi/calendar.ts'
import { loadKpiConfig } from '../../kpi/config.ts'
import { compareEngines, type ConsistencyResult } from '../../kpi/consistency.ts'
import { doneTimesFromEvents, KpiEngine } from '../../kpi/engine.ts'
import { KpiDb, type DailyFigures } from '../../kpi/kpi-db.ts'
import { KpiLiveSource } from '../../kpi/live-source.ts'
import { UnitTree } from '../../kpi/unit-tree.ts'

declare module 'fastify' {
  interface FastifyInstance {
    kpi: KpiEngine
    /** Recomputes everything from the state and the database and compares with the live figures. */
    kpiConsistencyCheck: () => Promise<ConsistencyResult>
    /** the last consistency check's result, null before the first */
    kpiConsistency: () => ConsistencyResult | null
    /** saves today's figures (and yesterday's closing ones, after a rollover) to kpi_daily */
    kpiSaveDaily: () => Promise<void>
    /**
     * Replays the online-rate history of the trends from the stored camera transitions again, e.g.
     * once a backfill of camera history (the simulator's pre-roll) is committed.
     */
    kpiRestoreRateHistory: () => Promise<void>
  }
}

export default fp(
  async (app) => {
    const config = loadKpiConfig(app.config.KPI_CONFIG)
    const tree = new UnitTree([...app.region.units.values()].map((u) => ({ ...u.properties })))
    const make = () => new KpiEngine(tree, config, app.region.meta.densityStandards)
    const db = KpiDb.open({ dataDir: app.config.DATA_DIR, databaseUrl: app.config.DATABASE_URL })
    const rebuild = async (engine: KpiEngine, now: number) => {
      const [cases, disputes] = await Promise.all([
        app.store.allStatusEvents('case'),
        app.store.allStatusEvents('dispute'),
      ])
      const { entities } = app
      engine.rebuild(
        {
          cameras: entities.cameras.values(),
          members: entities.members.values(),
          cases: entities.cases.values(),
          disputes: entities.disputes.values(),
        },
        { cases: doneTimesFromEvents('case', cases), disputes: doneTimesFromEvents('dispute', disputes) },
        now,
      )
    }
    const started = performance.now()
    const engine = make()
    await rebuild(engine, Date.now())
    const recomputeMs = performance.now() - started
    const restoreRateHistory = async () => {
      const transitions = await db.cameraTransitions(engine.rateHistoryStart())
      engine.restoreRateHistory(transitions.before, transitions.after)
      return transitions.before.length + transitions.after.length
    }
    const cameraTransitions = await restoreRateHistory()
    const yesterday = engine.today - 1
    const closing = await db.loadDaily(ZoneClock.dateOf(yesterday))
    if (closing.size > 0) engine.setYesterday(yesterday, closing)
    app.log.info(
      {
        units: tree.n,
        ...engine.entityCounts,
        ms: Math.round(recomputeMs),
        cameraTransitions,
        yesterday: closing.size > 0 ? ZoneClock.dateOf(yesterday) : null,
      },
      'KPIs computed from the database',
    )
    // the cases past a deadline ring on the screens: the live stream's case `flags` (CASE_FLAGS), set
    // from the figures' own overdue bits, also when time alone passes a deadline (on the tick)
    for (const [id, flags] of engine.overdueCases()) app.live.setCaseFlags(id, flags)
    engine.onCaseFlags = (id, flags) => app.live.setCaseFlags(id, flags)
    app.onChanges((applied) => engine.apply(applied, Date.now()))
    app.live.kpiSource = new KpiLiveSource(engine)
    app.decorate('kpi', engine)
    app.decorate('kpiRestoreRateHistory', async () => {
      engine.advance(Date.now())
      const n = await restoreRateHistory()
      app.log.info({ cameraTransitions: n }, 'KPI online-rate history replayed from the stored camera transitions')
    })

    // daily figures ------------------------------------------------------------------------------
    const saved = tree.units.flatMap((u, i) => (u.level === 'grid' ? [] : [i]))
    const byName = (values: Float64Array): DailyFigures =>
      Object.fromEntries(KPI_FIELDS.map((f, k) => [f, Number.isNaN(values[k]) ? null : values[k]!]))
    let closedDay = engine.yesterdayDay
    let saving: Promise<void> = Promise.resolve()
    const saveDaily = async () => {
      const now = Date.now()
      engine.advance(now)
      if (engine.yesterdayDay !== closedDay && engine.yesterdayDay === engine.today - 1) {
        // the day rolled over while running: its closing figures, kept by the engine at midnight
        const figures = new Map<string, DailyFigures>()
        for (const u of saved) {
          const f = engine.yesterdayFigures(u)
          if (f) figures.set(tree.units[u]!.code, f)
        }
        await db.saveDaily(ZoneClock.dateOf(engine.yesterdayDay), figures, now)
        closedDay = engine.yesterdayDay
      }
      const today = new Map(saved.map((u) => [tree.units[u]!.code, byName(engine.values(u))]))
      await db.saveDaily(ZoneClock.dateOf(engine.today), today, now)
    }
    const save = () => {
      saving = saving
        .then(saveDaily)
        .catch((err: unknown) => app.log.warn({ err }, 'saving the daily KPI figures failed'))
      return saving
    }
    app.decorate('kpiSaveDaily', save)

    // consistency --------------------------------------------------------------------------------
    const metrics = {
      ok: new Gauge({
        name: 'gridsight_kpi_consistent',
        help: '1 when the last KPI consistency check (incremental vs full recompute) matched, 0 when not',
        registers: [app.metrics.registry],
      }),
      mismatchedUnits: new Gauge({
        name: 'gridsight_kpi_mismatched_units',
        help: 'units whose figures differed in the last KPI consistency check',
        registers: [app.metrics.registry],
      }),
      checks: new Counter({
        name: 'gridsight_kpi_consistency_checks_total',
        help: 'KPI consistency checks run, by result',
        labelNames: ['result'],
        registers: [app.metrics.registry],
      }),
      recomputeSeconds: new Gauge({
        name: 'gridsight_kpi_recompute_seconds',
        help: 'duration of the last full KPI recompute (database reads included)',
        registers: [app.metrics.registry],
      }),
    }
    metrics.recomputeSeconds.set(recomputeMs / 1000)
    let last: ConsistencyResult | null = null
    let checking: Promise<ConsistencyResult> | null = null
    const check = async (): Promise<ConsistencyResult> => {
      const t0 = performance.now()
      const now = Date.now()
      const fresh = make()
      await rebuild(fresh, now)
      const ms = performance.now() - t0
      engine.advance(now)
      const result = compareEngines(engine, fresh, now, ms)
      last = result
      metrics.ok.set(result.consistent ? 1 : 0)
      metrics.mismatchedUnits.set(result.mismatchedUnits)
      metrics.checks.inc({ result: result.consistent ? 'consistent' : 'mismatch' })
      metrics.recomputeSeconds.set(ms / 1000)
      if (!result.consistent) {
        const f = result.first!
        app.log.warn(
          { ...f, mismatchedUnits: result.mismatchedUnits },
          `KPI consistency check: ${result.mismatchedUnits} unit(s) differ from a full recompute, first ${f.unit} ${f.field} (live ${f.incremental}, recomputed ${f.recomputed})`,
        )
      } else app.log.debug({ ms: Math.round(ms) }, 'KPI consistency check: figures match a full recompute')
      return result
    }
    const runCheck = () => {
      // one at a time; a caller during a check gets that check's result
      checking ??= check().finally(() => (checking = null))
      return checking
    }
    app.decorate('kpiConsistencyCheck', runCheck)
    app.decorate('kpiConsistency', () => last)

    const everyMs = (config.consistencyCheck?.everyMinutes ?? 60) * 60_000
    const snapshotMs = (config.dailySnapshotMinutes ?? 15) * 60_000
    const timers: NodeJS.Timeout[] = []
    const background = (what: string, run: () => Promise<unknown>) => () => {
      run().catch((err: unknown) => app.log.warn({ err }, `${what} failed`))
    }
    app.addHook('onReady', async () => {
      if (config.consistencyCheck?.atStart ?? true) setImmediate(background('KPI consistency check', runCheck))
      if (everyMs > 0) timers.push(setInterval(background('KPI consistency check', runCheck), everyMs).unref())
      timers.push(setInterval(background('saving the daily KPI figures', save), snapshotMs).unref())
    })
    app.addHook('onClose', async () => {
      for (const t of timers) clearInterval(t)
      app.live.kpiSource = null
      engine.onCaseFlags = null
      await checking?.catch(() => undefined)
      await save()
      await db.close()
    })
  },
  { name: 'kpi', dependencies: ['config', 'db', 'region', 'live', 'ingest', 'metrics'] },
)
