import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../../app.ts'
import { injectAs, testConfig, wallToken } from '../../../../test/helpers.ts'
import { startOfDayCst } from './entities.ts'

const KEY = 'test-key-0123456789abcdef'
const T0 = Date.now() - 60_000
const iso = (ms: number) => new Date(ms).toISOString()

describe('read API, OpenAPI and metrics', () => {
  let app: FastifyInstance
  let token: string
  const ingest = (kind: string, items: object[]) =>
    app.inject({
      method: 'POST',
      url: `/api/v1/ingest/${kind}`,
      headers: { authorization: `Bearer ${KEY}` },
      payload: { items },
    })

  beforeAll(async () => {
    app = await buildApp(testConfig({ GRIDSIGHT_INGEST_KEY: KEY }))
    token = await wallToken(app)
    await ingest(
      'cameras',
      ['c1', 'c2', 'c3', 'c4', 'c5'].map((id, i) => ({
        id,
        status: i % 2 ? 'offline' : 'online',
        ts: iso(T0),
        lon: 120.7 + i / 100,
        lat: 30.7,
      })),
    )
    await ingest('cameras', [{ id: 'c1', status: 'fault', ts: iso(T0 + 1000) }])
    await ingest('cases', [
      { id: 'k1', type: '治安', status: 'reported', lon: 120.78, lat: 30.75, ts: iso(T0), title: '占道经营' },
      { id: 'k1', type: '治安', status: 'dispatched', lon: 120.78, lat: 30.75, ts: iso(T0 + 5000) },
    ])
    await ingest('members', [
      { id: 'm1', lon: 120.7, lat: 30.7, ts: iso(T0) },
      { id: 'm1', lon: 120.71, lat: 30.71, ts: iso(T0 + 1000) },
    ])
  })
  afterAll(() => app.close())

  it('returns a camera with its status transitions', async () => {
    const res = await injectAs(app, token)('/api/v1/cameras/c1')
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({
      id: 'c1',
      status: 'fault',
      kind: 'public',
      ts: iso(T0 + 1000),
      history: [
        { status: 'online', ts: iso(T0) },
        { status: 'fault', ts: iso(T0 + 1000) },
      ],
    })
  })

  it('returns a case with its lifecycle, keeping when it was reported', async () => {
    const body = (await injectAs(app, token)('/api/v1/cases/k1')).json()
    expect(body).toMatchObject({ status: 'dispatched', title: '占道经营', reportedAt: iso(T0) })
    expect(body.history.map((e: { status: string }) => e.status)).toEqual(['reported', 'dispatched'])
  })

  it("returns a member with today's track", async () => {
    const body = (await injectAs(app, token)('/api/v1/members/m1')).json()
    expect(body).toMatchObject({ id: 'm1', lon: 120.71, onDuty: true })
    expect(body.track).toHaveLength(2)
  })

  it('pages a filtered list with a cursor', async () => {
    const first = (await injectAs(app, token)('/api/v1/cameras?status=offline&limit=1')).json()
    expect(first.items.map((c: { id: string }) => c.id)).toEqual(['c2'])
    expect(first.nextCursor).toEqual(expect.any(String))
    const second = (
      await injectAs(app, token)(`/api/v1/cameras?status=offline&limit=1&cursor=${first.nextCursor}`)
    ).json()
    expect(second.items.map((c: { id: string }) => c.id)).toEqual(['c4'])
    expect(second.nextCursor).toBeNull()
  })

  it('404 names the missing id; 400 names a bad filter', async () => {
    const missing = await injectAs(app, token)('/api/v1/disputes/nope')
    expect(missing.statusCode).toBe(404)
    expect(missing.json()).toEqual({ error: 'Not Found', message: 'no dispute with id "nope"' })
    const bad = await injectAs(app, token)('/api/v1/cameras?status=broken')
    expect(bad.statusCode).toBe(400)
    expect(bad.json().message).toMatch(/status/)
  })

  it('documents ingest and read routes in OpenAPI at /docs', async () => {
    const spec = (await app.inject('/docs/json')).json()
    expect(spec.openapi).toMatch(/^3\./)
    for (const path of ['/api/v1/ingest/cameras', '/api/v1/cases/{id}', '/api/v1/health', '/api/v1/disputes']) {
      expect(Object.keys(spec.paths)).toContain(path)
    }
    expect(spec.components.securitySchemes.bearerAuth.scheme).toBe('bearer')
    // every API route needs the bearer token except the public ones, which say so
    expect(spec.security).toEqual([{ bearerAuth: [] }])
    expect(spec.paths['/api/v1/health'].get.security).toEqual([])
    expect(spec.paths['/api/v1/auth/login'].post.security).toEqual([])
    expect(spec.paths['/api/v1/cases/{id}'].get.security).toBeUndefined()
    const ui = await app.inject('/docs')
    expect([200, 302]).toContain(ui.statusCode)
  })

  it('exposes Prometheus metrics with ingest counts', async () => {
    const res = await app.inject('/metrics')
    expect(res.statusCode).toBe(200)
    expect(res.body).toMatch(/gridsight_ingest_items_total\{kind="cameras",result="accepted"\} 6/)
    expect(res.body).toMatch(/gridsight_nodejs_eventloop_lag_seconds/)
  })

  it('computes the start of the day in China Standard Time', () => {
    // 2026-11-22 01:00 CST is 2026-11-21 17:00 UTC; the day began at 2026-11-21 16:00 UTC.
    expect(startOfDayCst(Date.UTC(2026, 10, 21, 17, 0))).toBe(Date.UTC(2026, 10, 21, 16, 0))
    expect(startOfDayCst(Date.UTC(2026, 10, 21, 15, 59))).toBe(Date.UTC(2026, 10, 20, 16, 0))
  })
})
