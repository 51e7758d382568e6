/**
 * Entity times on the live stream (`at`): a screen that connects after a case was reported or
 * after a camera went quiet gets their times in the snapshot, so it can ring the overdue case and
 * fade the silent camera at once; deltas carry them for the rows they change. Members carry none.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Socket } from 'socket.io-client'
import { LiveMirror, type LiveDelta, type LiveSnapshot } from '@gridsight/shared'
import { connectLive, nextEvent, startServer } from './helpers.ts'

const KEY = 'test-key-0123456789abcdef'

describe('entity times on /live', () => {
  let server: Awaited<ReturnType<typeof startServer>>
  const sockets: Socket[] = []
  // whole seconds, as on the wire
  const now = Math.floor(Date.now() / 1000) * 1000
  const reported = now - 45 * 60_000
  const heartbeat = now - 50 * 60_000

  const ingest = (kind: string, items: unknown[]) =>
    server.app.inject({
      method: 'POST',
      url: `/api/v1/ingest/${kind}`,
      headers: { authorization: `Bearer ${KEY}` },
      payload: { items },
    })

  const accepted: unknown[] = []

  beforeAll(async () => {
    server = await startServer({ TICK_MS: '50' })
    const iso = (ms: number) => new Date(ms).toISOString()
    for (const [kind, item] of [
      ['cases', { id: 'case-old', type: '治安', status: 'reported', lon: 120.76, lat: 30.75, ts: iso(reported) }],
      ['cameras', { id: 'cam-quiet', kind: 'public', status: 'online', lon: 120.76, lat: 30.75, ts: iso(heartbeat) }],
      ['members', { id: 'm-1', lon: 120.76, lat: 30.75, ts: iso(now) }],
    ] as const) {
      accepted.push((await ingest(kind, [item])).json())
    }
  })
  afterAll(async () => {
    for (const s of sockets) s.close()
    await server.app.close()
  })

  it('a snapshot carries each case’s report time and each camera’s last report; members no column', async () => {
    const socket = connectLive(server.url, { token: server.token })
    sockets.push(socket)
    expect(accepted).toEqual(Array(3).fill({ accepted: 1, rejected: [] }))
    const snap = await nextEvent<LiveSnapshot>(socket, 'snapshot')
    expect(snap.tables.members.ids).toEqual(['m-1'])
    expect(snap.tables.members.at).toBeUndefined()
    const mirror = new LiveMirror()
    mirror.applySnapshot(snap)
    const cases = mirror.tables.cases
    const cameras = mirror.tables.cameras
    expect(cases.at[cases.row('case-old')!]).toBe(reported)
    expect(cameras.at[cameras.row('cam-quiet')!]).toBe(heartbeat)

    // a later report moves the camera's time; the case keeps its report time through a status change
    const deltas: LiveDelta[] = []
    socket.on('delta', (d: LiveDelta) => deltas.push(d))
    const iso = (ms: number) => new Date(ms).toISOString()
    await ingest('cameras', [{ id: 'cam-quiet', status: 'offline', ts: iso(now - 60_000) }])
    await ingest('cases', [
      { id: 'case-old', type: '治安', status: 'dispatched', lon: 120.76, lat: 30.75, ts: iso(now) },
    ])
    const deadline = Date.now() + 5000
    while (Date.now() < deadline && (cases.status[0] !== 1 || cameras.status[0] !== 1)) {
      await new Promise((r) => setTimeout(r, 50))
      for (const d of deltas.splice(0)) expect(mirror.applyDelta(d)).toBe('applied')
    }
    expect(mirror.statusOf('cameras', 'cam-quiet')).toBe('offline')
    expect(mirror.statusOf('cases', 'case-old')).toBe('dispatched')
    expect(cameras.at[cameras.row('cam-quiet')!]).toBe(now - 60_000)
    expect(cases.at[cases.row('case-old')!]).toBe(reported)
  })
})
