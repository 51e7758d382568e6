/**
 * KPIs (issue 6): rebuilt from the entity state and the database's status events at start, then
 * kept up to date from every committed change; served on `/live` (snapshot and changed-unit
 * deltas, through `app.live.kpiSource`) and over REST (routes/api/v1/stats.ts).
 */
import fp from 'fastify-plugin'
import { loadKpiConfig } from '../../kpi/config.ts'
import { doneTimesFromEvents, KpiEngine } from '../../kpi/engine.ts'
import { KpiLiveSource } from '../../kpi/live-source.ts'
import { UnitTree } from '../../kpi/unit-tree.ts'

declare module 'fastify' {
  interface FastifyInstance {
    kpi: KpiEngine
    /** Recomputes everything from the state and the database and compares: the mismatching unit codes. */
    kpiConsistencyCheck: () => Promise<string[]>
  }
}

export default fp(
  async (app) => {
    const config = loadKpiConfig(app.config.KPI_CONFIG)
    const tree = new UnitTree([...app.region.units.values()].map((u) => ({ ...u.properties })))
    const make = () => new KpiEngine(tree, config, app.region.meta.densityStandards)
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
    app.log.info(
      { units: tree.n, ...engine.entityCounts, ms: Math.round(performance.now() - started) },
      'KPIs computed from the database',
    )
    app.onChanges((applied) => engine.apply(applied, Date.now()))
    app.live.kpiSource = new KpiLiveSource(engine)
    app.decorate('kpi', engine)
    app.decorate('kpiConsistencyCheck', async () => {
      const now = Date.now()
      const fresh = make()
      await rebuild(fresh, now)
      engine.advance(now)
      const a = engine.allValues()
      const b = fresh.allValues()
      const F = a.length / tree.n
      const bad: string[] = []
      for (let u = 0; u < tree.n; u++) {
        for (let k = u * F; k < (u + 1) * F; k++) {
          if (a[k] !== b[k] && !(Number.isNaN(a[k]) && Number.isNaN(b[k]))) {
            bad.push(tree.units[u]!.code)
            break
          }
        }
      }
      return bad
    })
    app.addHook('onClose', async () => {
      app.live.kpiSource = null
    })
  },
  { name: 'kpi', dependencies: ['config', 'db', 'region', 'live', 'ingest'] },
)
