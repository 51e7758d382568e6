import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import type { Engine } from '../../../db/index.ts'
import { startTempPostgres, type TempPostgres } from '../../../db/test-postgres.ts'
import { ZoneClock } from '../../../kpi/calendar.ts'
import { KpiDb } from '../../../kpi/kpi-db.ts'
import { injectAs, startServer } from '../../../../test/helpers.ts'

const KEY = 'test-key-0123456789abcdef'
const H = 3_600_000
const iso = (ms: number) => new Date(ms).toISOString()

const ingest = (app: FastifyInstance, kind: string, items: object[]) =>
  app.inject({
    method: 'POST',
    url: `/api/v1/ingest/${kind}`,
    headers: { authorization: `Bearer ${KEY}` },
    payload: { items },
  })

/** a point inside some grid of another street than `street` */
function pointOutside(app: FastifyInstance, street: string): [number, number] {
  for (const g of app.region.byLevel.grid) {
    if (g.properties.code.startsWith(street)) continue
    const geom = g.geometry as { type: string; coordinates: unknown }
    const ring = (
      geom.type === 'Polygon' ? (geom.coordinates as number[][][])[0] : (geom.coordinates as number[][][][])[0]![0]
    )!
    const x = ring.reduce((a, p) => a + p[0]!, 0) / ring.length
    const y = ring.reduce((a, p) => a + p[1]!, 0) / ring.length
    if (app.region.locator.locate(x, y) === g.properties.code) return [x, y]
  }
  throw new Error('no grid outside the street has its vertex mean inside')
}

let server: Promise<TempPostgres> | undefined
afterAll(async () => {
  await (await server?.catch(() => undefined))?.stop()
}, 60_000)

describe.each(['sqlite', 'postgres'] as Engine[])('KPIs across a restart on %s', (engine) => {
  it('replays the camera online-rate history and keeps yesterday’s figures for the rankings', async () => {
    const DATA_DIR = mkdtempSync(join(tmpdir(), 'gridsight-kpi-restart-'))
    const databaseUrl =
      engine === 'postgres' ? await (await (server ??= startTempPostgres())).createDatabase('kpirestart') : undefined
    const env = { DATA_DIR, GRIDSIGHT_INGEST_KEY: KEY, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) }
    const now = Date.now()
    const first = await startServer(env)
    let app = first.app
    // a wall token is stored like every credential: it still works after the restart
    const token = first.token
    const grid = app.region.locator.locate(120.78, 30.75)!
    const street = grid.slice(0, 9)
    const cam = (id: string, status: string, ts: number) => ({ id, status, ts: iso(ts), lon: 120.78, lat: 30.75 })
    expect(
      (await ingest(app, 'cameras', [cam('c1', 'online', now - 5 * H), cam('c2', 'online', now - 5 * H)])).statusCode,
    ).toBe(200)
    await ingest(app, 'cameras', [cam('c2', 'offline', now - 3 * H)])
    await ingest(app, 'cameras', [cam('c2', 'online', now - H)])

    // the day's figures are saved; a copy under yesterday's date stands for the day before
    await app.kpiSaveDaily()
    const clock = new ZoneClock('Asia/Shanghai')
    const today = ZoneClock.dateOf(clock.day(now))
    const yesterday = ZoneClock.dateOf(clock.day(now) - 1)
    const db = KpiDb.open({ dataDir: DATA_DIR, databaseUrl })
    const saved = await db.loadDaily(today)
    expect(saved.get(street)).toMatchObject({ 'cameras.total': 2, 'cameras.online': 2 })
    expect(saved.size).toBe(app.region.units.size - app.region.byLevel.grid.length)
    expect(saved.has(grid)).toBe(false)
    await db.saveDaily(yesterday, saved, now)
    await db.close()
    await app.close()

    ;({ app } = await startServer(env))
    try {
      // online rate at the end of each past bucket: none before −5 h, 1 until −3 h, ½ until −1 h, then 1
      const expected = (end: number) => (end <= now - 5 * H ? null : end <= now - 3 * H ? 1 : end <= now - H ? 0.5 : 1)
      for (const span of ['24h', '30d'] as const) {
        const t = (await injectAs(app, token)(`/api/v1/stats/trends?unit=${street}&span=${span}`)).json()
        const starts: number[] = t.buckets.map((b: { start: string }) => Date.parse(b.start))
        const got = t.buckets.slice(0, -1).map((b: { onlineRate: number | null }) => b.onlineRate)
        const want = starts.slice(1).map((end) => expected(end))
        expect({ span, rates: got }).toEqual({ span, rates: want })
        expect(t.buckets.at(-1).onlineRate).toBe(1)
      }

      // another street gets more cameras today: the ranking moves against yesterday's saved figures
      const [x, y] = pointOutside(app, street)
      await ingest(
        app,
        'cameras',
        ['o1', 'o2', 'o3'].map((id) => ({ id, status: 'online', ts: iso(now), lon: x, lat: y })),
      )
      const other = app.region.locator.locate(x, y)!.slice(0, 9)
      const r = (await injectAs(app, token)('/api/v1/stats/ranking?level=street&metric=cameras.total')).json()
      expect(r.yesterday).toBe(yesterday)
      const item = (code: string) => r.items.find((i: { code: string }) => i.code === code)
      expect(item(other)).toMatchObject({ value: 3, rank: 1, valueYesterday: 0, rankYesterday: 2, change: 1 })
      expect(item(street)).toMatchObject({ value: 2, rank: 2, valueYesterday: 2, rankYesterday: 1, change: -1 })
      expect(r.items.every((i: { change: number | null }) => i.change !== null)).toBe(true)

      // a rollover while running saves the day's closing figures under its date
      app.kpi.advance(clock.dayStart(clock.day(now) + 1) + 60_000)
      await app.kpiSaveDaily()
      const db2 = KpiDb.open({ dataDir: DATA_DIR, databaseUrl })
      const closing = await db2.loadDaily(today)
      await db2.close()
      expect(closing.get(other)).toMatchObject({ 'cameras.total': 3 })
      expect(closing.get(street)).toMatchObject({ 'cameras.total': 2 })
    } finally {
      await app.close()
    }
  })
})

describe('KPI consistency check', () => {
  it('checks the live figures against a full recompute: at start, on demand, on /metrics', async () => {
    const { app, token } = await startServer({ GRIDSIGHT_INGEST_KEY: KEY })
    try {
      const grid = app.region.locator.locate(120.78, 30.75)!
      await ingest(app, 'cameras', [{ id: 'c1', status: 'online', ts: iso(Date.now()), lon: 120.78, lat: 30.75 }])
      // the check at start
      await expect
        .poll(async () => (await injectAs(app, token)('/api/v1/stats/consistency')).statusCode, { timeout: 10_000 })
        .toBe(200)
      const ok = await app.kpiConsistencyCheck()
      expect(ok).toMatchObject({ consistent: true, mismatchedUnits: 0, first: null, units: app.region.units.size })
      expect((await injectAs(app, token)('/api/v1/stats/consistency')).json()).toEqual(ok)
      expect((await app.inject('/metrics')).body).toMatch(/^gridsight_kpi_consistent 1$/m)

      // a change the live figures saw but the state never got: the check names it
      const row = app.entities.cameras.get('c1')!
      app.kpi.apply([{ change: { kind: 'camera', row: { ...row, id: 'ghost' }, statusChanged: true } }], Date.now())
      const bad = await app.kpiConsistencyCheck()
      expect(bad).toMatchObject({
        consistent: false,
        mismatchedUnits: 4,
        first: { unit: app.region.meta.adcode, field: 'cameras.total', incremental: 2, recomputed: 1 },
      })
      expect(bad.first!.unit).not.toBe(grid)
      const metrics = (await app.inject('/metrics')).body
      expect(metrics).toMatch(/^gridsight_kpi_consistent 0$/m)
      expect(metrics).toMatch(/^gridsight_kpi_mismatched_units 4$/m)
      expect(metrics).toMatch(/^gridsight_kpi_consistency_checks_total\{result="mismatch"\} 1$/m)
      const spec = (await app.inject('/docs/json')).json()
      expect(spec.paths['/api/v1/stats/consistency']).toBeDefined()
    } finally {
      await app.close()
    }
  })
})
