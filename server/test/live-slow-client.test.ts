/**
 * A screen that cannot keep up (its TCP socket stops reading) is skipped, not
 * queued for: the server's backlog for it stays bounded, other screens keep
 * their exact stream, and once it drains it gets a fresh snapshot.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Socket as NetSocket } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { MAX_BUFFERED_PACKETS } from '../src/plugins/app/live.ts'
import { startServer } from './helpers.ts'
import { followLive, until, type LiveClient } from './live-client.ts'

const KEY = 'test-key-0123456789abcdef'

/** The TCP socket under a socket.io-client websocket (the `ws` package's). */
const tcpOf = (c: LiveClient) => (c.socket.io.engine.transport as unknown as { ws: { _socket: NetSocket } }).ws._socket

describe('slow screens', () => {
  let app: FastifyInstance
  let url: string
  let token: string
  const clients: LiveClient[] = []

  beforeAll(async () => {
    ;({ app, url, token } = await startServer({ GRIDSIGHT_INGEST_KEY: KEY, TICK_MS: '50' }))
    // A paused TCP socket cannot answer heartbeats either: on a loaded machine, filling the
    // kernel's buffers can outlast the default 45 s heartbeat window, and the server would then
    // drop the screen for a missed ping — a different path from the one under test (lag).
    Object.assign(app.io.engine.opts, { pingInterval: 120_000, pingTimeout: 120_000 })
  })
  afterAll(async () => {
    for (const c of clients) {
      tcpOf(c)?.resume()
      c.close()
    }
    await app.close()
  })

  it('skips a screen that stops reading, keeps others exact, and re-snapshots it after it drains', async () => {
    const slow = followLive(url, token)
    const healthy = followLive(url, token)
    clients.push(slow, healthy)
    await until(() => slow.snapshots.length === 1 && healthy.snapshots.length === 1, 5000, 'snapshots')
    const serverSide = () => [...app.io.of('/live').sockets.values()].find((s) => s.id === slow.socket.id)!
    const backlog = () => (serverSide().conn as unknown as { writeBuffer: unknown[] }).writeBuffer.length

    tcpOf(slow).pause()
    // Heavy deltas (10,000 members, ~150 kB a tick) until the kernel's socket buffers are full.
    let maxBacklog = 0
    for (let round = 0; round < 80 && !serverSide().rooms.has('lagging'); round++) {
      const ts = new Date(Date.now()).toISOString()
      const items = Array.from({ length: 10_000 }, (_, i) => ({
        id: `m${i}`,
        lon: 120.7 + Math.random() * 0.1,
        lat: 30.7 + Math.random() * 0.1,
        ts,
      }))
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/ingest/members',
        headers: { authorization: `Bearer ${KEY}` },
        payload: { items },
      })
      expect(res.json()).toMatchObject({ accepted: 10_000 })
      await new Promise((r) => setTimeout(r, 100))
      maxBacklog = Math.max(maxBacklog, backlog())
    }
    expect(serverSide().rooms.has('lagging')).toBe(true)
    // Bounded: at most the threshold plus what one tick adds before it is noticed.
    expect(maxBacklog).toBeLessThanOrEqual(MAX_BUFFERED_PACKETS + 2)
    const healthySeq = healthy.mirror.seq
    expect(healthy.gaps).toBe(0)
    expect(healthySeq).toBeGreaterThan(10)

    tcpOf(slow).resume()
    await until(() => slow.snapshots.length >= 2, 10_000, 'a fresh snapshot for the slow screen')
    await until(() => slow.mirror.memberCount === 10_000, 5000, 'the slow screen to hold everything')
    expect(serverSide().rooms.has('lagging')).toBe(false)
    expect(healthy.snapshots).toHaveLength(1)
    expect(healthy.gaps).toBe(0)
  }, 120_000)
})
