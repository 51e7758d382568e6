/**
 * Issue 9's scenarios on the app's own routes and its real `/live` namespace (the guard, origin
 * gate and token checks in isolation: auth-routes, security-socket and security-origin tests).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { io, type Socket } from 'socket.io-client'
import msgpackParser from 'socket.io-msgpack-parser'
import { LIVE_NAMESPACE, SOCKET_PATH, type LiveSnapshot } from '@gridsight/shared'
import { loadJwtSecret } from '../src/auth/jwt.ts'
import { SOCKET_LIMITS } from '../src/auth/socket-guard.ts'
import { forgedTokens } from './forged-tokens.ts'
import { connectLive, injectAs, nextEvent, startServer, userToken, wallToken } from './helpers.ts'

const KEY = 'test-key-0123456789abcdef'
const INGEST = { authorization: `Bearer ${KEY}` }
/** 南湖区: a point in one street; the other street is found at run time */
const IN_A = { lon: 120.763, lat: 30.749 }

const sockets: Socket[] = []
const track = (s: Socket) => (sockets.push(s), s)

/** Resolves with the connect_error message, or rejects if the socket connects or sees a snapshot. */
function refusal(s: Socket, ms = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`neither refused nor connected in ${ms} ms`)), ms)
    s.once('connect', () => reject(new Error('connected')))
    s.once('snapshot', () => reject(new Error('streamed a snapshot')))
    s.once('connect_error', (err: Error) => {
      clearTimeout(timer)
      resolve(err.message)
    })
  })
}

describe('the API and /live behind authentication and jurisdiction', () => {
  let app: FastifyInstance
  let url: string
  let streetA: string
  let streetB: string
  let caseInB: string
  let streetUser: string
  let regionAdmin: string

  beforeAll(async () => {
    ;({ app, url } = await startServer({ GRIDSIGHT_INGEST_KEY: KEY, TICK_MS: '100' }))
    streetA = app.region.locator.locate(IN_A.lon, IN_A.lat)!.slice(0, 9)
    // a point in another street, for a case there
    let inB = IN_A
    for (let k = 1; app.region.locator.locate(inB.lon, inB.lat)?.startsWith(streetA) !== false; k++) {
      inB = { lon: IN_A.lon + (k % 20) * 0.005, lat: IN_A.lat + Math.floor(k / 20) * 0.005 }
    }
    streetB = app.region.locator.locate(inB.lon, inB.lat)!.slice(0, 9)
    const ts = new Date().toISOString()
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/ingest/cases',
      headers: INGEST,
      payload: {
        items: [
          { id: 'in-a', type: '治安', status: 'reported', priority: 1, ts, ...IN_A },
          { id: 'in-b', type: '治安', status: 'reported', priority: 1, ts, ...inB },
        ],
      },
    })
    if (res.json().accepted !== 2) throw new Error(`setup: ${res.body}`)
    caseInB = 'in-b'
    streetUser = await userToken(app, 'operator', streetA)
    regionAdmin = await userToken(app, 'admin')
  })
  afterAll(async () => {
    for (const s of sockets) s.close()
    await app.close()
  })

  it('refuses every read without a valid credential, on REST and on the /live handshake', async () => {
    const key = loadJwtSecret(app.config.DATA_DIR, undefined)
    const before = app.io.of(LIVE_NAMESPACE).sockets.size
    for (const [name, make] of forgedTokens(key, regionAdmin)) {
      const token = await make()
      for (const path of ['/api/v1/cases', '/api/v1/cases/in-a', '/api/v1/stats', '/api/v1/alerts', '/api/v1/region']) {
        const res = await app.inject({
          url: path,
          headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
        })
        expect({ name, path, status: res.statusCode }).toEqual({ name, path, status: 401 })
      }
      const message = await refusal(
        track(connectLive(url, token === undefined ? ({} as { token: string }) : { token })),
      )
      expect(`${name}: ${message}`).toMatch(/token|signature|expired|not valid|issuer|audience|alg|JW/i)
    }
    // no connection event ever ran for them
    expect(app.io.of(LIVE_NAMESPACE).sockets.size).toBe(before)
    // the public routes stay public
    expect((await app.inject('/api/v1/health')).statusCode).toBe(200)
    expect((await app.inject('/')).statusCode).not.toBe(401)
  })

  it('ingest keys may only send: 403 on reads and refused on /live', async () => {
    expect((await app.inject({ url: '/api/v1/cases', headers: INGEST })).statusCode).toBe(403)
    expect(await refusal(track(connectLive(url, { token: KEY })))).toMatch(/ingest keys may only send data/)
  })

  it("a street user sees its street only: another street's scope, stats, case and alerts → 403, nothing streamed", async () => {
    const api = injectAs(app, streetUser)
    const refused = await refusal(track(connectLive(url, { token: streetUser, scope: streetB })))
    expect(refused).toBe(`scope ${streetB} is outside your jurisdiction ${streetA}`)
    expect(
      await refusal(track(connectLive(url, { token: streetUser, scope: streetA, alertScope: app.config.REGION }))),
    ).toBe(`alertScope ${app.config.REGION} is outside your jurisdiction ${streetA}`)
    // the whole region is another unit, too
    expect((await api(`/api/v1/stats?unit=${app.config.REGION}`)).statusCode).toBe(403)
    const stats = await api(`/api/v1/stats?unit=${streetB}`)
    expect(stats.statusCode).toBe(403)
    expect(stats.json().message).toMatch(`outside your jurisdiction ${streetA}`)
    expect((await api(`/api/v1/stats/trends?unit=${streetB}`)).statusCode).toBe(403)
    const kase = await api(`/api/v1/cases/${caseInB}`)
    expect(kase.statusCode).toBe(403)
    expect(kase.json()).toEqual({
      error: 'Forbidden',
      message: `case in-b is in ${app.entities.cases.get('in-b')!.gridCode}, outside your jurisdiction ${streetA}`,
    })
    expect((await api(`/api/v1/cases?gridCode=${app.entities.cases.get('in-b')!.gridCode}`)).statusCode).toBe(403)
    expect((await api(`/api/v1/alerts?unit=${streetB}`)).statusCode).toBe(403)
    const alertB = (await injectAs(app, regionAdmin)('/api/v1/alerts?state=open'))
      .json()
      .items.find((a: { subject: { id: string } }) => a.subject.id === 'in-b')
    expect((await api(`/api/v1/alerts/${alertB.id}`)).statusCode).toBe(403)
    const ack = await api({ method: 'POST', url: `/api/v1/alerts/${alertB.id}/ack`, payload: {} })
    expect(ack.statusCode).toBe(403)
    expect((await injectAs(app, regionAdmin)(`/api/v1/alerts/${alertB.id}`)).json().alert.state).toBe('raised')
    expect(
      (await api({ method: 'POST', url: `/api/v1/cases/in-b/dispatch`, payload: { memberId: 'x' } })).statusCode,
    ).toBe(403)

    // its own street: the default scope everywhere, lists limited to it
    expect((await api('/api/v1/stats')).json().unit.code).toBe(streetA)
    const cases = (await api('/api/v1/cases')).json().items.map((c: { id: string }) => c.id)
    expect(cases).toEqual(['in-a'])
    const alerts = (await api('/api/v1/alerts')).json().items.map((a: { subject: { id: string } }) => a.subject.id)
    expect(alerts).toEqual(['in-a'])
    const ranking = (await api('/api/v1/stats/ranking?level=street&metric=cameras.total')).json()
    expect(ranking.items.map((i: { code: string }) => i.code)).toEqual([streetA])
    const own = track(connectLive(url, { token: streetUser }))
    const snapshot = await nextEvent<LiveSnapshot>(own, 'snapshot')
    expect(snapshot.scope).toBe(streetA)
  })

  it('a wall display token is read-only and bound to its scope', async () => {
    const wall = await wallToken(app, streetA)
    const api = injectAs(app, wall)
    expect((await api('/api/v1/stats')).json().unit.code).toBe(streetA)
    expect((await api(`/api/v1/stats?unit=${streetB}`)).statusCode).toBe(403)
    const alertA = (await api('/api/v1/alerts?state=open')).json().items[0]
    expect((await api({ method: 'POST', url: `/api/v1/alerts/${alertA.id}/ack`, payload: {} })).statusCode).toBe(403)
    expect(await refusal(track(connectLive(url, { token: wall, scope: streetB })))).toMatch(/outside your jurisdiction/)
  })

  it('revoking a user closes its sockets within 5 s and it cannot come back, not even by refresh', async () => {
    await app.auth.addUser(
      { username: 'leaving', role: 'leader', jurisdiction: streetA, password: 'leaving-password-1' },
      app.config.REGION,
      { actor: 'test' },
    )
    const pair = (await app.auth.login('leaving', 'leaving-password-1', {}))!
    const socket = track(connectLive(url, { token: pair.accessToken }))
    await nextEvent(socket, 'snapshot')
    const told = nextEvent<{ message: string }>(socket, 'auth:revoked', 5000)
    const closed = nextEvent(socket, 'disconnect', 5000)
    await injectAs(app, regionAdmin)({ method: 'POST', url: `/api/v1/admin/users/${pair.user.id}/revoke` })
    expect((await told).message).toMatch(/revoked/)
    await closed
    expect(await refusal(track(connectLive(url, { token: pair.accessToken })))).toMatch(/revoked|not valid/)
    expect((await injectAs(app, pair.accessToken)('/api/v1/cases')).statusCode).toBe(401)
    const refresh = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      payload: { refreshToken: pair.refreshToken },
    })
    expect(refresh.statusCode).toBe(401)
  })

  it('a flood or an oversized message closes that socket only', async () => {
    const token = await wallToken(app)
    const bystander = track(connectLive(url, { token }))
    const flooder = track(connectLive(url, { token }))
    const big = track(connectLive(url, { token }))
    await Promise.all([bystander, flooder, big].map((s) => nextEvent(s, 'snapshot')))
    const floodClosed = nextEvent<string>(flooder, 'disconnect')
    for (let i = 0; i < 200; i++) flooder.emit('resync')
    expect(await floodClosed).toBe('io server disconnect')
    const bigClosed = nextEvent<string>(big, 'disconnect')
    big.emit('resync', 'x'.repeat(SOCKET_LIMITS.maxHttpBufferSize + 1))
    expect(await bigClosed).toMatch(/transport close|transport error/)
    expect(bystander.connected).toBe(true)
    const again = nextEvent<LiveSnapshot>(bystander, 'snapshot')
    bystander.emit('resync')
    expect((await again).scope).toBe(app.config.REGION)
  })

  it('refuses cross-origin handshakes on /live, WebSocket and polling alike, before any connection event', async () => {
    const token = await wallToken(app)
    const before = app.io.of(LIVE_NAMESPACE).sockets.size
    const host = new URL(url).host
    for (const origin of ['http://evil.example', `http://${host}.evil.example`, `http://evil${host}`]) {
      for (const transport of ['websocket', 'polling'] as const) {
        const s = track(
          io(`${url}${LIVE_NAMESPACE}`, {
            path: SOCKET_PATH,
            parser: msgpackParser,
            transports: [transport],
            forceNew: true,
            reconnection: false,
            auth: { token },
            extraHeaders: { origin },
          }),
        )
        expect(`${origin} over ${transport}: ${await refusal(s)}`).toMatch(/websocket error|xhr poll error|origin/i)
      }
    }
    expect(app.io.of(LIVE_NAMESPACE).sockets.size).toBe(before)
    // the page's own origin is fine
    const own = track(
      io(`${url}${LIVE_NAMESPACE}`, {
        path: SOCKET_PATH,
        parser: msgpackParser,
        transports: ['polling'],
        forceNew: true,
        reconnection: false,
        auth: { token },
        extraHeaders: { origin: url },
      }),
    )
    await nextEvent(own, 'snapshot')
  })
})
