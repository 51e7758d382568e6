/**
 * Alerts (issue 8): the rules engine fed by every committed change (app.onChanges) and its own
 * deadline timer; the lifecycle persisted through AlertStore (open alerts reloaded at start);
 * delivery on `/live` — a screen gets the open alerts of its scope on connect and every
 * transition of an alert in its scope after. REST: routes/api/v1/alerts.ts and dispatch.ts.
 */
import fp from 'fastify-plugin'
import type { Socket } from 'socket.io'
import { LIVE_NAMESPACE, LiveEvent, type Alert, type AlertRule } from '@gridsight/shared'
import { loadKpiConfig } from '../../kpi/config.ts'
import { loadAlertsConfig } from '../../alerts/config.ts'
import { AlertEngine, type AlertUnit } from '../../alerts/engine.ts'
import { AlertBook, type Transition } from '../../alerts/lifecycle.ts'
import { AlertStore } from '../../alerts/store.ts'

export interface Alerts {
  engine: AlertEngine
  book: AlertBook
  store: AlertStore
  /** open alerts whose unit is within `scope` (a unit code prefix), newest first */
  openIn(scope: string): Alert[]
}

declare module 'fastify' {
  interface FastifyInstance {
    alerts: Alerts
  }
}

const room = (code: string) => `alerts:${code}`
/** a rescan cap: the deadline timer fires at least this often (clock drift, long sleeps) */
const MAX_SLEEP_MS = 60_000
/** manual resolutions older than this no longer hold an alert back after a restart */
const SUPPRESS_LOOKBACK_MS = 30 * 86_400_000

function centreOf(geometry: { type: string; coordinates: unknown }): [number, number] {
  let w = Infinity
  let s = Infinity
  let e = -Infinity
  let n = -Infinity
  const visit = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      const [x, y] = c as [number, number]
      if (x < w) w = x
      if (x > e) e = x
      if (y < s) s = y
      if (y > n) n = y
    } else if (Array.isArray(c)) for (const k of c) visit(k)
  }
  visit(geometry.coordinates)
  return [(w + e) / 2, (s + n) / 2]
}

export default fp(
  async (app) => {
    const rules = loadAlertsConfig(app.config.ALERTS_CONFIG).rules
    const kpi = loadKpiConfig(app.config.KPI_CONFIG)
    const units: AlertUnit[] = [...app.region.units.values()].map((u) => ({
      code: u.properties.code,
      name: u.properties.name,
      level: u.properties.level,
      parent: u.properties.parent,
      urban: u.properties.urban,
      areaKm2: u.properties.areaKm2,
      centre: centreOf(u.geometry),
    }))
    const parentOf = new Map(units.map((u) => [u.code, u.parent]))
    const store = AlertStore.open({
      dataDir: app.config.DATA_DIR,
      databaseUrl: app.config.DATABASE_URL,
      writer: app.store,
    })
    const nsp = app.io.of(LIVE_NAMESPACE)

    const deliver = (t: Transition) => {
      const rooms: string[] = []
      for (let code: string | null | undefined = t.alert.unitCode; code; code = parentOf.get(code))
        rooms.push(room(code))
      nsp.to(rooms).emit(LiveEvent.alert, t.alert)
    }
    const book = new AlertBook((t) => {
      store
        .save(t.alert, { action: t.action, at: t.at, by: t.by, from: t.from, note: t.note }, t.isNew)
        .catch((err: unknown) => app.log.error({ err, alert: t.alert.id, action: t.action }, 'alert write failed'))
      deliver(t)
      if (t.action === 'raised' || t.action === 'auto-resolved') {
        app.log.debug({ rule: t.alert.rule, subject: t.alert.subject.id, action: t.action }, 'alert')
      }
    })
    const started = performance.now()
    book.load(await store.loadOpen())
    for (const r of await store.loadManuallyResolved(Date.now() - SUPPRESS_LOOKBACK_MS)) {
      book.suppress(r.rule as AlertRule, r.subjectId)
    }
    const engine = new AlertEngine({
      units,
      regionCode: app.config.REGION,
      densityStandards: app.region.meta.densityStandards,
      rules,
      kpi,
      book,
      locate: (lon, lat) => app.region.locator.locate(lon, lat),
    })
    const { entities } = app
    engine.start(
      {
        cameras: entities.cameras.values(),
        members: entities.members.values(),
        cases: entities.cases.values(),
        disputes: entities.disputes.values(),
      },
      Date.now(),
    )
    app.log.info(
      { open: book.open.size, ms: Math.round(performance.now() - started) },
      'alerts: rules evaluated against the live state',
    )

    // one timer, always armed for the earliest deadline in the heap
    let timer: NodeJS.Timeout | undefined
    let armedFor = Infinity
    const arm = () => {
      const next = Math.min(engine.nextDeadline(), Date.now() + MAX_SLEEP_MS)
      if (timer && next >= armedFor) return
      clearTimeout(timer)
      armedFor = next
      timer = setTimeout(
        () => {
          timer = undefined
          armedFor = Infinity
          engine.advance(Date.now())
          arm()
        },
        Math.max(0, next - Date.now()),
      ).unref()
    }
    arm()
    app.onChanges((applied) => {
      engine.apply(applied, Date.now())
      arm()
    })

    const openIn = (scope: string) =>
      [...book.open.values()].filter((a) => a.unitCode.startsWith(scope)).sort((a, b) => b.raisedAt - a.raisedAt)
    nsp.on('connection', (socket: Socket) => {
      const scope: string = socket.data.alertScope ?? socket.data.scope
      void socket.join(room(scope))
      socket.emit(LiveEvent.alerts, { alerts: openIn(scope) })
    })

    app.decorate('alerts', { engine, book, store, openIn })
    app.addHook('onClose', async () => {
      clearTimeout(timer)
      await store.close()
    })
  },
  { name: 'alerts', dependencies: ['config', 'db', 'region', 'live', 'ingest', 'socket-io'] },
)
