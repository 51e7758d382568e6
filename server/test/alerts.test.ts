import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import type { Alert, AlertDetail, LiveAlerts } from '@gridsight/shared'
import { buildApp } from '../src/app.ts'
import { startTempPostgres, type TempPostgres } from '../src/db/test-postgres.ts'
import { connectLive, injectAs, nextEvent, startServer, testConfig, userToken, wallToken } from './helpers.ts'

const INGEST = { authorization: 'Bearer test-key-0123456789abcdef' }
/** headers of a logged-in operator over the whole region */
const operator = async (app: FastifyInstance, jurisdiction?: string) => ({
  authorization: `Bearer ${await userToken(app, 'operator', jurisdiction)}`,
})
/** 南湖区: a point in street 330402001 and one in another street */
const IN_A = { lon: 120.763, lat: 30.749 }

const closers: (() => Promise<unknown>)[] = []
afterEach(async () => {
  while (closers.length) await closers.pop()!()
})
let postgres: Promise<TempPostgres> | undefined
afterAll(async () => {
  await (await postgres?.catch(() => undefined))?.stop()
}, 60_000)

async function p1Case(app: FastifyInstance, id: string, where = IN_A) {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/ingest/cases',
    headers: INGEST,
    payload: {
      items: [{ id, type: '治安隐患', status: 'reported', priority: 1, ts: new Date().toISOString(), ...where }],
    },
  })
  expect(res.json()).toMatchObject({ accepted: 1 })
}

async function openAlerts(app: FastifyInstance): Promise<Alert[]> {
  return (await injectAs(app, await wallToken(app))({ url: '/api/v1/alerts?state=open' })).json().items
}

describe('alerts over REST and /live', () => {
  it('a P1 case raises one alert, streamed to screens whose scope covers it and not to others', async () => {
    const { app, url, token } = await startServer()
    closers.push(() => app.close())
    const { gridCode } = await (async () => {
      await p1Case(app, 'P1-probe')
      return app.entities.cases.get('P1-probe')!
    })()
    const street = gridCode!.slice(0, 9)
    const other = [...app.region.units.keys()].find((c) => c.length === 9 && c !== street)!
    const inScope = connectLive(url, { token, scope: street })
    const outScope = connectLive(url, { token, scope: other })
    closers.push(async () => {
      inScope.close()
      outScope.close()
    })
    const [first, firstOther] = await Promise.all([
      nextEvent<LiveAlerts>(inScope, 'alerts'),
      nextEvent<LiveAlerts>(outScope, 'alerts'),
    ])
    expect(first.alerts.map((a) => a.subject.id)).toEqual(['P1-probe'])
    expect(firstOther.alerts).toEqual([])
    let leaked = 0
    outScope.on('alert', () => leaked++)
    const streamed = nextEvent<Alert>(inScope, 'alert')
    await p1Case(app, 'P1-two')
    expect(await streamed).toMatchObject({ rule: 'caseP1', severity: 'P1', state: 'raised', subject: { id: 'P1-two' } })
    // acknowledging reaches the screen too
    const id = (await openAlerts(app)).find((a) => a.subject.id === 'P1-two')!.id
    const acked = nextEvent<Alert>(inScope, 'alert')
    const op = await operator(app)
    await app.inject({ method: 'POST', url: `/api/v1/alerts/${id}/ack`, headers: op, payload: {} })
    expect(await acked).toMatchObject({ id, state: 'acknowledged', ackBy: expect.stringMatching(/^test-operator-/) })
    expect(leaked).toBe(0)
  })

  it('a screen following one street but watching the region (alertScope) hears a P1 in another street', async () => {
    const { app, url, token } = await startServer()
    closers.push(() => app.close())
    await p1Case(app, 'P1-where')
    const street = app.entities.cases.get('P1-where')!.gridCode!.slice(0, 9)
    const other = [...app.region.units.keys()].find((c) => c.length === 9 && c !== street)!
    const touring = connectLive(url, { token, scope: other, alertScope: app.config.REGION })
    const narrow = connectLive(url, { token, scope: other })
    closers.push(async () => {
      touring.close()
      narrow.close()
    })
    const [wide, onlyOther] = await Promise.all([
      nextEvent<LiveAlerts>(touring, 'alerts'),
      nextEvent<LiveAlerts>(narrow, 'alerts'),
    ])
    expect(wide.alerts.map((a) => a.subject.id)).toEqual(['P1-where'])
    expect(onlyOther.alerts).toEqual([])
    const streamed = nextEvent<Alert>(touring, 'alert')
    await p1Case(app, 'P1-later')
    expect(await streamed).toMatchObject({ rule: 'caseP1', subject: { id: 'P1-later' } })
    const refused = connectLive(url, { token, scope: other, alertScope: '999999' })
    closers.push(async () => refused.close())
    const err = await nextEvent<Error>(refused, 'connect_error')
    expect(err.message).toMatch(/alertScope must be a unit code/)
  })

  it('acknowledge and resolve need an operator or admin: 401 without a token, 403 for walls, leaders, ingest keys and other jurisdictions', async () => {
    const app = await buildApp(testConfig())
    closers.push(() => app.close())
    await p1Case(app, 'K1')
    const [alert] = await openAlerts(app)
    const ack = (headers: Record<string, string> = {}) =>
      app.inject({ method: 'POST', url: `/api/v1/alerts/${alert!.id}/ack`, headers, payload: {} })
    expect((await ack()).statusCode).toBe(401)
    expect((await ack(INGEST)).statusCode).toBe(403)
    const bearer = (t: string) => ({ authorization: `Bearer ${t}` })
    expect((await ack(bearer(await wallToken(app)))).statusCode).toBe(403)
    expect((await ack(bearer(await userToken(app, 'leader')))).statusCode).toBe(403)
    const otherStreet = [...app.region.units.keys()].find((c) => c.length === 9 && !alert!.unitCode.startsWith(c))!
    const elsewhere = await ack(await operator(app, otherStreet))
    expect(elsewhere.statusCode).toBe(403)
    expect(elsewhere.json().message).toMatch(/outside your jurisdiction/)
    expect((await openAlerts(app))[0]!.state).toBe('raised')
    const own = await ack(await operator(app, alert!.unitCode.slice(0, 9)))
    expect(own.json<AlertDetail>().alert.state).toBe('acknowledged')
    const missing = await app.inject({
      method: 'POST',
      url: '/api/v1/alerts/nope/ack',
      headers: await operator(app),
      payload: {},
    })
    expect(missing.statusCode).toBe(404)
  })

  it.each(['sqlite', 'postgres'] as const)(
    'acknowledge and resolve are recorded with who, when and from where, and survive a restart (%s)',
    async (engine) => {
      const dataDir = mkdtempSync(join(tmpdir(), 'gridsight-alerts-'))
      const databaseUrl =
        engine === 'postgres' ? await (await (postgres ??= startTempPostgres())).createDatabase('alerts') : undefined
      const env = {
        DATA_DIR: dataDir,
        ...(databaseUrl === undefined ? {} : { DATABASE_URL: databaseUrl }),
      }
      let app = await buildApp(testConfig(env))
      await p1Case(app, 'R1')
      await p1Case(app, 'R2', { lon: 120.79, lat: 30.76 })
      const alerts = await openAlerts(app)
      const r1 = alerts.find((a) => a.subject.id === 'R1')!
      const r2 = alerts.find((a) => a.subject.id === 'R2')!
      await app.auth.addUser(
        { username: 'zhang.san', role: 'operator', jurisdiction: app.config.REGION, password: 'duty officer 2026' },
        app.config.REGION,
        { actor: 'test' },
      )
      await app.auth.addUser(
        { username: 'li.si', role: 'admin', jurisdiction: app.config.REGION, password: 'duty officer 2026' },
        app.config.REGION,
        { actor: 'test' },
      )
      const as = async (username: string) => ({
        authorization: `Bearer ${(await app.auth.login(username, 'duty officer 2026', {}))!.accessToken}`,
      })
      const before = Date.now()
      const ack = await app.inject({
        method: 'POST',
        url: `/api/v1/alerts/${r1.id}/ack`,
        headers: await as('zhang.san'),
        // a name in the body cannot stand in for the logged-in user
        payload: { operator: 'someone else', note: '已电话联系' },
      })
      expect(ack.statusCode).toBe(200)
      const resolved = await app.inject({
        method: 'POST',
        url: `/api/v1/alerts/${r2.id}/resolve`,
        headers: await as('li.si'),
        payload: { note: '误报' },
      })
      expect(resolved.json<AlertDetail>().alert).toMatchObject({ state: 'resolved', resolvedBy: 'li.si', note: '误报' })
      await app.close()

      app = await buildApp(testConfig(env))
      closers.push(() => app.close())
      const wall = injectAs(app, await wallToken(app))
      const d1 = (await wall({ url: `/api/v1/alerts/${r1.id}` })).json<AlertDetail>()
      expect(d1.alert).toMatchObject({ state: 'acknowledged', ackBy: 'zhang.san', note: '已电话联系' })
      expect(d1.alert.ackAt).toBeGreaterThanOrEqual(before)
      expect(d1.history.map((h) => [h.action, h.by])).toEqual([
        ['raised', null],
        ['acknowledged', 'zhang.san'],
      ])
      expect(d1.history[1]!.from).toBe('127.0.0.1')
      // the acknowledged alert is open again after the restart (its case is still reported); R2 stays resolved
      expect((await openAlerts(app)).map((a) => a.id)).toEqual([r1.id])
      const d2 = (await wall({ url: `/api/v1/alerts/${r2.id}` })).json<AlertDetail>()
      expect(d2.history.map((h) => h.action)).toEqual(['raised', 'resolved'])
      const again = await app.inject({
        method: 'POST',
        url: `/api/v1/alerts/${r2.id}/ack`,
        headers: await operator(app),
        payload: {},
      })
      expect(again.statusCode).toBe(409)
    },
  )

  it('one-click dispatch: own-grid members first, then the case moves to dispatched through ingest and its alert clears', async () => {
    const app = await buildApp(testConfig())
    closers.push(() => app.close())
    const op = await operator(app)
    await p1Case(app, 'D1')
    const grid = app.entities.cases.get('D1')!.gridCode!
    const ts = new Date().toISOString()
    await app.inject({
      method: 'POST',
      url: '/api/v1/ingest/members',
      headers: INGEST,
      payload: {
        items: [
          // nearest, but another grid
          { id: 'near', lon: IN_A.lon + 0.0005, lat: IN_A.lat, ts, onDuty: true, gridCode: '330402999999999' },
          { id: 'own', lon: IN_A.lon + 0.01, lat: IN_A.lat, ts, onDuty: true, gridCode: grid },
          { id: 'off', lon: IN_A.lon, lat: IN_A.lat, ts, onDuty: false, gridCode: grid },
        ],
      },
    })
    const cands = (await app.inject({ url: '/api/v1/cases/D1/dispatch-candidates', headers: op })).json()
    expect(cands.items.map((c: { id: string }) => c.id)).toEqual(['own', 'near'])
    expect(cands.items[1].distanceM).toBeGreaterThan(40)
    expect(cands.items[1].distanceM).toBeLessThan(60)
    const unauth = await app.inject({ method: 'POST', url: '/api/v1/cases/D1/dispatch', payload: { memberId: 'own' } })
    expect(unauth.statusCode).toBe(401)
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/cases/D1/dispatch',
      headers: op,
      payload: { memberId: 'own' },
    })
    expect(res.json()).toEqual({ caseId: 'D1', memberId: 'own', status: 'dispatched' })
    expect(app.entities.cases.get('D1')).toMatchObject({ status: 'dispatched', assignee: 'own' })
    expect(await openAlerts(app)).toEqual([])
    const twice = await app.inject({
      method: 'POST',
      url: '/api/v1/cases/D1/dispatch',
      headers: op,
      payload: { memberId: 'own' },
    })
    expect(twice.statusCode).toBe(409)
  })

  it('a bad alerts config stops the start with the file and the field named', () => {
    expect(() => testConfig({ ALERTS_CONFIG: '/nonexistent/alerts.json' })).toThrow(
      /ALERTS_CONFIG must name a readable/,
    )
  })
})
