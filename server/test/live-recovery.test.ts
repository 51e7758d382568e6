/**
 * Recovery over real sockets: a short absence is replayed exactly once; a long
 * one, or a server restart, ends in a snapshot equal to the server's state.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { ENTITY_KINDS, LiveMirror, type LiveSnapshot } from '@gridsight/shared'
import { buildApp } from '../src/app.ts'
import { testConfig, wallToken } from './helpers.ts'
import { followLive, until, type LiveClient } from './live-client.ts'

const KEY = 'test-key-0123456789abcdef'
const open: { apps: FastifyInstance[]; clients: LiveClient[] } = { apps: [], clients: [] }

afterEach(async () => {
  for (const c of open.clients.splice(0)) c.close()
  for (const a of open.apps.splice(0)) await a.close()
})

async function start(config: ReturnType<typeof testConfig>, port = 0) {
  const app = await buildApp(config)
  open.apps.push(app)
  await app.listen({ port, host: '127.0.0.1' })
  return { app, url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, token: await wallToken(app) }
}

/** Ingests member n<i> for i in [from, to), spread over `batches` requests `everyMs` apart. */
async function numberedChanges(app: FastifyInstance, from: number, to: number, batches: number, everyMs: number) {
  const per = Math.ceil((to - from) / batches)
  for (let b = 0; b < batches; b++) {
    const items = []
    for (let i = from + b * per; i < Math.min(to, from + (b + 1) * per); i++) {
      items.push({ id: `n${i}`, lon: 120.7 + i / 1e5, lat: 30.7, ts: new Date().toISOString() })
    }
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/ingest/members',
      headers: { authorization: `Bearer ${KEY}` },
      payload: { items },
    })
    expect(res.json().rejected).toEqual([])
    await new Promise((r) => setTimeout(r, everyMs))
  }
}

const receivedIds = (client: LiveClient) => client.deltas.flatMap((d) => d.tables.members?.added ?? [])

/** The client's mirror holds exactly the server's state (same ids, positions and statuses). */
function expectSameState(mirror: LiveMirror, snapshot: LiveSnapshot) {
  const server = new LiveMirror()
  server.applySnapshot(snapshot)
  for (const kind of ENTITY_KINDS) {
    const a = mirror.tables[kind]
    const b = server.tables[kind]
    expect(a.ids).toEqual(b.ids)
    expect(a.pos.subarray(0, a.count * 2)).toEqual(b.pos.subarray(0, b.count * 2))
    expect(a.status.subarray(0, a.count)).toEqual(b.status.subarray(0, b.count))
  }
}

describe('live recovery', () => {
  it('replays each of 1,000 changes exactly once to a client away for 5 s', async () => {
    const { app, url, token } = await start(testConfig({ GRIDSIGHT_INGEST_KEY: KEY, TICK_MS: '100' }))
    const client = followLive(url, token)
    open.clients.push(client)
    await until(() => client.snapshots.length === 1, 5000, 'first snapshot')

    const flowing = numberedChanges(app, 0, 1000, 40, 200) // ~8 s of changes
    await until(() => receivedIds(client).length >= 100, 5000, 'first changes')
    client.socket.disconnect()
    const awayFrom = receivedIds(client).length
    await new Promise((r) => setTimeout(r, 5000))
    client.socket.connect()
    await flowing
    await until(() => receivedIds(client).length >= 1000, 10_000, 'all 1,000 changes')

    const ids = receivedIds(client)
    expect(ids).toHaveLength(1000)
    expect(new Set(ids).size).toBe(1000)
    expect(awayFrom).toBeLessThan(900) // the absence really covered part of the flow
    expect(client.snapshots).toHaveLength(1) // recovered by replay, not by a new snapshot
    expect(client.gaps).toBe(0)
    for (let i = 1; i < client.deltas.length; i++) expect(client.deltas[i]!.seq).toBe(client.deltas[i - 1]!.seq + 1)
    expectSameState(client.mirror, app.live.root.snapshot() as unknown as LiveSnapshot)
  }, 30_000)

  it('sends a snapshot equal to the server state to a client away longer than the ring', async () => {
    const { app, url, token } = await start(
      testConfig({ GRIDSIGHT_INGEST_KEY: KEY, TICK_MS: '50', LIVE_REPLAY_DELTAS: '5' }),
    )
    const client = followLive(url, token)
    open.clients.push(client)
    await until(() => client.snapshots.length === 1, 5000, 'first snapshot')
    client.socket.disconnect()
    await numberedChanges(app, 0, 200, 20, 60) // ~20 deltas, far more than the ring's 5
    client.socket.connect()
    await until(() => client.snapshots.length === 2, 5000, 'second snapshot')
    expect(client.mirror.memberCount).toBe(200)
    expectSameState(client.mirror, app.live.root.snapshot() as unknown as LiveSnapshot)
  }, 20_000)

  it('gives a screen that connects between two ticks each entity exactly once', async () => {
    const { app, url, token } = await start(testConfig({ GRIDSIGHT_INGEST_KEY: KEY, TICK_MS: '1000' }))
    const watcher = followLive(url, token)
    open.clients.push(watcher)
    await until(() => watcher.snapshots.length === 1, 5000, 'first snapshot')
    await numberedChanges(app, 0, 10, 1, 0)
    await until(() => watcher.mirror.memberCount === 10, 5000, 'the first tick')
    // Just after a tick: these changes wait up to a second for the next one while a screen connects.
    await numberedChanges(app, 10, 50, 1, 0)
    const late = followLive(url, token)
    open.clients.push(late)
    await until(() => late.snapshots.length === 1, 5000, 'the late snapshot')
    await numberedChanges(app, 50, 60, 1, 0)
    await until(() => late.deltas.length > 0 && watcher.mirror.memberCount >= 60, 5000, 'the next tick')
    const server = app.live.root.snapshot() as unknown as LiveSnapshot
    for (const client of [watcher, late]) {
      expect(client.gaps).toBe(0)
      expect(client.mirror.memberCount).toBe(60)
      expectSameState(client.mirror, server)
    }
  }, 20_000)

  it('sends a snapshot of the rebuilt state to a client across a server restart', async () => {
    const config = testConfig({ GRIDSIGHT_INGEST_KEY: KEY, TICK_MS: '50' })
    const first = await start(config)
    const port = (first.app.server.address() as AddressInfo).port
    await numberedChanges(first.app, 0, 50, 2, 0)
    const client = followLive(first.url, first.token)
    open.clients.push(client)
    await until(() => client.mirror.memberCount === 50, 5000, '50 members')
    const oldEpoch = client.mirror.epoch

    await first.app.close()
    open.apps.splice(open.apps.indexOf(first.app), 1)
    const second = await start(config, port)
    await numberedChanges(second.app, 50, 60, 1, 0)
    await until(
      () => client.snapshots.length === 2 && client.mirror.memberCount === 60,
      10_000,
      'snapshot after restart',
    )
    expect(client.mirror.epoch).not.toBe(oldEpoch)
    expectSameState(client.mirror, second.app.live.root.snapshot() as unknown as LiveSnapshot)
  }, 20_000)
})
