/**
 * The live retention on /live: finished cases and disputes older than LIVE_RETENTION_DAYS leave
 * the streams at a compaction (daily, and at start). Every connected screen is sent the snapshot
 * of its stream's new history; a screen back with `since` from the old one gets it too. The entity
 * state (REST, KPIs) and the database keep everything.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../src/app.ts'
import { startServer, testConfig } from './helpers.ts'
import { followLive, until, type LiveClient } from './live-client.ts'

const KEY = 'test-key-0123456789abcdef'
const DAY = 86_400_000
const iso = (ms: number) => new Date(ms).toISOString()
const lon = 120.76
const lat = 30.75

describe('live retention on /live', () => {
  let server: Awaited<ReturnType<typeof startServer>>
  let closed = false
  const clients: LiveClient[] = []
  const ingest = async (kind: 'cases' | 'disputes', items: unknown[]) => {
    const res = await server.app.inject({
      method: 'POST',
      url: `/api/v1/ingest/${kind}`,
      headers: { authorization: `Bearer ${KEY}` },
      payload: { items },
    })
    expect(res.json()).toEqual({ accepted: items.length, rejected: [] })
  }

  beforeAll(async () => {
    server = await startServer({ TICK_MS: '50', LIVE_RETENTION_DAYS: '31' })
    const now = Date.now()
    // Old items come in open and finish while the streams hold them: the start's compaction keeps
    // out an item that arrives already finished and past the retention (LiveHub.upsert).
    await ingest('cases', [
      { id: 'c-old-closed', type: '治安', status: 'reported', lon, lat, ts: iso(now - 40 * DAY) },
      { id: 'c-old-open', type: '治安', status: 'handling', lon, lat, ts: iso(now - 40 * DAY) },
      { id: 'c-recent-resolved', type: '治安', status: 'resolved', lon, lat, ts: iso(now - 2 * DAY) },
    ])
    await ingest('cases', [{ id: 'c-old-closed', type: '治安', status: 'closed', lon, lat, ts: iso(now - 39 * DAY) }])
    await ingest('disputes', [
      { id: 'd-old-unresolved', category: '邻里纠纷', status: 'mediating', lon, lat, ts: iso(now - 40 * DAY) },
      { id: 'd-old-escalated', category: '邻里纠纷', status: 'escalated', lon, lat, ts: iso(now - 40 * DAY) },
    ])
    await ingest('disputes', [
      { id: 'd-old-unresolved', category: '邻里纠纷', status: 'unresolved', lon, lat, ts: iso(now - 39 * DAY) },
    ])
  })
  const close = async () => {
    for (const c of clients) c.close()
    if (!closed) await server.app.close()
    closed = true
  }
  afterAll(close)

  it('a compaction sends every screen a snapshot of a new history without the old finished items', async () => {
    const street = server.app.region.locator.locate(lon, lat)!.slice(0, 9)
    const region = followLive(server.url, server.token)
    const scoped = followLive(server.url, server.token, { scope: street })
    const away = followLive(server.url, server.token)
    clients.push(region, scoped, away)
    const screens = [region, scoped, away]
    await until(() => screens.every((c) => c.mirror.tables.cases.count === 3), 5_000, 'the three cases')
    const before = screens.map((c) => c.mirror.epoch)
    // this one is away during the compaction, and comes back with `since` from the old history
    away.socket.disconnect()

    expect(server.app.compactLive()).toEqual({ cases: 1, disputes: 1 })
    await until(() => region.snapshots.length === 2 && scoped.snapshots.length === 2, 5_000, 'the new snapshots')
    away.socket.connect()
    await until(() => away.snapshots.length === 2, 5_000, 'the snapshot on return')

    screens.forEach((c, i) => {
      expect(c.mirror.epoch).not.toBe(before[i])
      expect(c.mirror.tables.cases.ids).toEqual(['c-old-open', 'c-recent-resolved'])
      expect(c.mirror.tables.disputes.ids).toEqual(['d-old-escalated'])
      expect(c.gaps).toBe(0)
    })
    expect(region.mirror.epoch).toBe(server.app.live.epoch)

    // the new history goes on with deltas
    await ingest('cases', [{ id: 'c-new', type: '治安', status: 'reported', lon, lat, ts: iso(Date.now()) }])
    await until(() => screens.every((c) => c.mirror.tables.cases.row('c-new') !== undefined), 5_000, 'the new case')
    expect(screens.map((c) => c.gaps)).toEqual([0, 0, 0])

    // only the streams forget: the state behind REST and the KPIs keeps them
    expect(server.app.entities.cases.has('c-old-closed')).toBe(true)
    expect(server.app.entities.disputes.has('d-old-unresolved')).toBe(true)
    const metrics = await server.app.inject({ method: 'GET', url: '/metrics' })
    expect(metrics.body).toContain('gridsight_live_compacted_rows{kind="cases"} 1')
    expect(metrics.body).toContain('gridsight_live_compacted_rows{kind="disputes"} 1')

    // nothing more to drop: the screens keep their stream
    expect(server.app.compactLive()).toEqual({ cases: 0, disputes: 0 })
    await new Promise((r) => setTimeout(r, 200))
    expect(screens.map((c) => c.snapshots.length)).toEqual([2, 2, 2])
  })

  it('a restart builds the live streams without them', async () => {
    await close()
    const app = await buildApp(testConfig({ DATA_DIR: server.app.config.DATA_DIR, LIVE_RETENTION_DAYS: '31' }))
    try {
      expect(app.entities.cases.has('c-old-closed')).toBe(true)
      expect(app.live.root.tables.cases.ids).not.toContain('c-old-closed')
      expect(app.live.root.tables.cases.ids).toContain('c-old-open')
      expect(app.live.root.tables.disputes.ids).toEqual(['d-old-escalated'])
    } finally {
      await app.close()
    }
  })
})
