import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Socket } from 'socket.io-client'
import { LiveMirror, readUint32, type LiveDelta, type LiveSnapshot } from '@gridsight/shared'
import { readMembers } from '@gridsight/geo-data'
import { connectLive, nextEvent, startServer } from './helpers.ts'

const PACK_MEMBERS = readMembers('330402').length

describe('/live over a real socket.io-client', () => {
  let server: Awaited<ReturnType<typeof startServer>>
  const sockets: Socket[] = []

  beforeAll(async () => {
    // SIM_SPEED 60: members report every few simulated seconds at any hour of the day.
    server = await startServer({ SIMULATOR: 'on', TICK_MS: '100', SIM_SEED: '7', SIM_SPEED: '60' })
  })
  afterAll(async () => {
    for (const s of sockets) s.close()
    await server.app.close()
  })

  const connect = (auth: Record<string, unknown> = {}) => {
    const s = connectLive(server.url, { token: server.token, ...auth })
    sockets.push(s)
    return s
  }

  it('sends a snapshot of all simulated members on connect', async () => {
    const socket = connect()
    const snap = await nextEvent<LiveSnapshot>(socket, 'snapshot')
    expect(snap.epoch).toBe(server.app.live.epoch)
    expect(snap.scope).toBe('330402')
    expect(snap.tables.members.ids).toHaveLength(PACK_MEMBERS)
    const mirror = new LiveMirror()
    mirror.applySnapshot(snap)
    const first = snap.tables.members.ids[0]!
    const [lon, lat] = mirror.memberPosition(first)!
    // Inside the 南湖 bbox.
    expect(lon).toBeGreaterThan(120.6)
    expect(lon).toBeLessThan(121.0)
    expect(lat).toBeGreaterThan(30.6)
    expect(lat).toBeLessThan(30.85)
    expect(['on-duty', 'off-duty']).toContain(mirror.statusOf('members', first))
  })

  it('streams consecutive deltas that move the points', async () => {
    const socket = connect()
    const mirror = new LiveMirror()
    const deltas: LiveDelta[] = []
    socket.on('delta', (d: LiveDelta) => deltas.push(d))
    mirror.applySnapshot(await nextEvent<LiveSnapshot>(socket, 'snapshot'))
    const n = mirror.memberCount
    const before = Float32Array.from(mirror.memberPos.subarray(0, 2 * n))

    // A little over two seconds: more than two minutes of simulated patrol.
    await new Promise((r) => setTimeout(r, 2300))
    expect(deltas.length).toBeGreaterThanOrEqual(2)
    const results = deltas.map((d) => mirror.applyDelta(d))
    expect(results.filter((r) => r === 'gap')).toEqual([])
    for (let i = 1; i < deltas.length; i++) expect(deltas[i]!.seq).toBe(deltas[i - 1]!.seq + 1)
    expect(results).toContain('applied')

    let moved = 0
    for (let i = 0; i < n; i++) {
      if (before[2 * i] !== mirror.memberPos[2 * i] || before[2 * i + 1] !== mirror.memberPos[2 * i + 1]) moved++
    }
    expect(moved).toBeGreaterThan(10)
    // Each member update on the wire: uint32 index + two float32 + uint8 status + uint16 attr.
    // (a tick may carry only cameras or KPI figures: take the last one with members)
    const m = deltas.findLast((d) => d.tables.members)!.tables.members!
    const bytes = [m.idx, m.pos, m.status, m.attr].reduce((n, b) => n + (b as Uint8Array).byteLength, 0)
    expect(bytes).toBe(readUint32(m.idx).length * 15)
  })

  it('answers resync with a fresh snapshot at the current seq', async () => {
    const socket = connect()
    await nextEvent<LiveSnapshot>(socket, 'snapshot')
    await nextEvent<LiveDelta>(socket, 'delta')
    socket.emit('resync')
    const snap = await nextEvent<LiveSnapshot>(socket, 'snapshot')
    expect(snap.seq).toBeGreaterThan(0)
    expect(snap.seq).toBeLessThanOrEqual(server.app.live.root.seq)
  })

  it('refuses a scope outside the region, naming it', async () => {
    const socket = connect({ scope: '110101' })
    const err = await nextEvent<Error>(socket, 'connect_error')
    expect(err.message).toBe('scope 110101 is outside your jurisdiction 330402')
    const unknown = connect({ scope: '330402999' })
    expect((await nextEvent<Error>(unknown, 'connect_error')).message).toBe(
      'scope must be a unit code within region 330402 (got "330402999")',
    )
  })
})
