import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import type { Socket } from 'socket.io-client'
import { KPI_FIELDS, LiveMirror, type LiveDelta, type LiveSnapshot } from '@gridsight/shared'
import { connectLive, injectAs, startServer } from '../../../../test/helpers.ts'

const KEY = 'test-key-0123456789abcdef'
const T0 = Date.now() - 60_000
const iso = (ms: number) => new Date(ms).toISOString()
const field = (name: (typeof KPI_FIELDS)[number]) => KPI_FIELDS.indexOf(name)

describe('KPIs over REST and /live', () => {
  let app: FastifyInstance
  let url: string
  let token: string
  let grid: string
  let street: string
  const ingest = (kind: string, items: object[]) =>
    app.inject({
      method: 'POST',
      url: `/api/v1/ingest/${kind}`,
      headers: { authorization: `Bearer ${KEY}` },
      payload: { items },
    })

  beforeAll(async () => {
    ;({ app, url, token } = await startServer({ GRIDSIGHT_INGEST_KEY: KEY }))
    grid = app.region.locator.locate(120.78, 30.75)!
    street = grid.slice(0, 9)
    await ingest(
      'cameras',
      ['c1', 'c2', 'c3'].map((id, i) => ({
        id,
        status: i === 2 ? 'fault' : 'online',
        ts: iso(T0),
        lon: 120.78,
        lat: 30.75,
      })),
    )
    await ingest('cases', [
      { id: 'k1', type: '环境卫生', status: 'reported', lon: 120.78, lat: 30.75, ts: iso(T0) },
      { id: 'k2', type: '环境卫生', status: 'reported', lon: 120.78, lat: 30.75, ts: iso(T0) },
      { id: 'k2', type: '环境卫生', status: 'resolved', lon: 120.78, lat: 30.75, ts: iso(T0 + 30_000) },
    ])
    await ingest('disputes', [
      { id: 'd1', category: '邻里纠纷', status: 'accepted', lon: 120.78, lat: 30.75, ts: iso(T0) },
      { id: 'd2', category: '物业纠纷', status: 'resolved', lon: 120.78, lat: 30.75, ts: iso(T0) },
    ])
    await ingest('members', [{ id: 'm1', lon: 120.78, lat: 30.75, ts: iso(T0), onDuty: true }])
  })
  afterAll(() => app.close())

  it('GET /api/v1/stats gives a unit’s figures for a window', async () => {
    const res = await injectAs(app, token)(`/api/v1/stats?unit=${grid}&window=today`)
    expect(res.statusCode).toBe(200)
    const s = res.json()
    expect(s.unit).toMatchObject({ code: grid, level: 'grid' })
    expect(s.cameras).toMatchObject({ total: 3, online: 2, fault: 1, public: 3 })
    expect(s.cameras.density).toBeCloseTo(3 / app.region.units.get(grid)!.properties.areaKm2)
    expect(s.cameras.standard).toBe(app.region.units.get(grid)!.properties.urban ? 70 : 8)
    expect(s.members).toMatchObject({ onDuty: 1, silent: 0, voidGrids: 0 })
    expect(s.cases).toMatchObject({ open: 1, new: 2, resolved: 1, closureRate: 0.5 })
    expect(s.cases.avgHandlingMin).toBeCloseTo(0.5)
    expect(s.disputes).toMatchObject({ open: 1, new: 2, resolved: 1, resolutionRate: 1 })
    expect(s.disputes.byCategory).toEqual({ 邻里纠纷: 1, 物业纠纷: 1 })
    expect(s.trends.hourly.casesNew).toHaveLength(24)
    expect(s.trends.daily.casesNew).toHaveLength(30)
    expect(s.trends.daily.casesNew.at(-1) + s.trends.daily.casesNew.at(-2)).toBe(2)

    const region = (await injectAs(app, token)('/api/v1/stats')).json()
    expect(region.unit.level).toBe('district')
    expect(region.cameras.grids).toBe(app.region.byLevel.grid.length)
    expect(region.members.voidGrids).toBe(app.region.byLevel.grid.length - 1)
    expect(region.cameras.total).toBe(3)

    expect((await injectAs(app, token)('/api/v1/stats?unit=999999')).statusCode).toBe(404)
    expect((await injectAs(app, token)('/api/v1/stats?window=week')).statusCode).toBe(400)
  })

  it('GET /api/v1/stats/ranking ranks the streets by a figure', async () => {
    const res = await injectAs(app, token)('/api/v1/stats/ranking?level=street&metric=cameras.total')
    expect(res.statusCode).toBe(200)
    const r = res.json()
    expect(r).toMatchObject({ level: 'street', metric: 'cameras.total', order: 'desc', yesterday: null })
    expect(r.items).toHaveLength(app.region.byLevel.street.length)
    expect(r.items[0]).toMatchObject({ code: street, value: 3, rank: 1, change: null })
    expect(r.items[1]).toMatchObject({ value: 0, rank: 2 })
    // lower is better for overdue cases: ascending by default
    const od = (await injectAs(app, token)('/api/v1/stats/ranking?metric=cases.overdue')).json()
    expect(od.order).toBe('asc')
    expect((await injectAs(app, token)('/api/v1/stats/ranking?metric=nope')).statusCode).toBe(400)
  })

  it('GET /api/v1/stats/trends gives 24 hourly or 30 daily buckets of a unit', async () => {
    const res = await injectAs(app, token)(`/api/v1/stats/trends?unit=${grid}&span=24h`)
    expect(res.statusCode).toBe(200)
    const t = res.json()
    expect(t).toMatchObject({ unit: grid, span: '24h', timeZone: 'Asia/Shanghai' })
    expect(t.buckets).toHaveLength(24)
    const starts = t.buckets.map((b: { start: string }) => Date.parse(b.start))
    expect(starts.slice(1).map((s: number, k: number) => s - starts[k])).toEqual(Array(23).fill(3_600_000))
    expect(starts.at(-1)).toBeLessThanOrEqual(t.ts)
    expect(starts.at(-1) + 3_600_000).toBeGreaterThan(t.ts)
    const last2 = t.buckets.slice(-2)
    const sum = (k: string) => last2.reduce((a: number, b: Record<string, number>) => a + b[k]!, 0)
    // k1, k2 reported; k2 resolved; d1, d2 accepted, d2 resolved
    expect([sum('newCases'), sum('newDisputes'), sum('resolutions')]).toEqual([2, 2, 2])
    expect(t.buckets.at(-1).onlineRate).toBeCloseTo(2 / 3)
    expect(t.buckets[0]).toMatchObject({ newCases: 0, newDisputes: 0, resolutions: 0 })

    const daily = (await injectAs(app, token)(`/api/v1/stats/trends?unit=${street}&span=30d`)).json()
    expect(daily.buckets).toHaveLength(30)
    // local midnights in Asia/Shanghai: 16:00 UTC
    expect(daily.buckets.every((b: { start: string }) => b.start.endsWith('T16:00:00.000Z'))).toBe(true)
    expect(daily.buckets.at(-1).onlineRate).toBeCloseTo(2 / 3)

    const region = (await injectAs(app, token)('/api/v1/stats/trends')).json()
    expect(region).toMatchObject({ unit: app.region.meta.adcode, span: '24h' })
    expect((await injectAs(app, token)('/api/v1/stats/trends?unit=999999')).statusCode).toBe(404)
    expect((await injectAs(app, token)('/api/v1/stats/trends?span=7d')).statusCode).toBe(400)
  })

  it('documents the routes in OpenAPI', async () => {
    const spec = (await app.inject('/docs/json')).json()
    expect(spec.paths['/api/v1/stats']).toBeDefined()
    expect(spec.paths['/api/v1/stats/ranking']).toBeDefined()
    expect(spec.paths['/api/v1/stats/trends']).toBeDefined()
  })

  it('sends KPIs in the /live snapshot and the changed units in deltas, within the scope', async () => {
    const mirror = new LiveMirror()
    const deltas: LiveDelta[] = []
    const socket: Socket = connectLive(url, { token, scope: street })
    const snapshot = await new Promise<LiveSnapshot>((resolve, reject) => {
      socket.once('snapshot', resolve)
      socket.once('connect_error', reject)
    })
    socket.on('delta', (d: LiveDelta) => {
      deltas.push(d)
      mirror.applyDelta(d)
    })
    mirror.applySnapshot(snapshot)
    try {
      expect(snapshot.kpis?.fields).toEqual([...KPI_FIELDS])
      const codes = Object.keys(snapshot.kpis!.units)
      // the street, its descendants and its district; nothing from other streets
      expect(codes).toContain(street)
      expect(codes).toContain(grid)
      expect(codes).toContain(app.region.meta.adcode)
      expect(codes.every((c) => c.startsWith(street) || street.startsWith(c))).toBe(true)
      expect(mirror.kpi(grid, 'cameras.total')).toBe(3)

      await ingest('cameras', [{ id: 'c3', status: 'online', ts: iso(T0 + 2000) }])
      await expect.poll(() => mirror.kpi(grid, 'cameras.online'), { timeout: 5000 }).toBe(3)
      const withKpis = deltas.filter((d) => d.kpis)
      const changed = new Set(withKpis.flatMap((d) => Object.keys(d.kpis!.units)))
      // only the camera's chain changed
      expect([...changed].sort()).toEqual([app.region.meta.adcode, street, grid.slice(0, 12), grid].sort())
      expect(mirror.kpi(street, 'cameras.onlineRate')).toBe(1)
      expect(withKpis[0]!.kpis!.units[grid]![field('cameras.fault')]).toBe(0)
    } finally {
      socket.close()
    }
  })
})
