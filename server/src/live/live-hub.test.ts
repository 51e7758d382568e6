import { describe, expect, it } from 'vitest'
import msgpackParser from 'socket.io-msgpack-parser'
import { CASE_FLAGS, LiveMirror, type LiveDelta, type LiveSnapshot } from '@gridsight/shared'
import { LiveHub, type LiveEntity } from './live-hub.ts'

const REGION = '330402'
const STREET_A = '330402001'
const STREET_B = '330402002'
const gridOf = (street: string, n: number) => `${street}001${String(n).padStart(3, '0')}`

const member = (id: string, lon: number, gridCode: string | null, status = 1): LiveEntity => ({
  kind: 'members',
  id,
  lon,
  lat: 30.75,
  status,
  attr: 'grid',
  gridCode,
})

// What a client receives: Buffers become what msgpack hands the client (Uint8Array views).
const asSnapshot = (s: unknown) => s as LiveSnapshot
const asDelta = (d: unknown) => d as LiveDelta

/** Through the wire codec the screens use (socket.io-msgpack-parser): encode, then decode. */
function overTheWire<T>(data: T): T {
  const [bytes] = new msgpackParser.Encoder().encode({ type: 2, nsp: '/live', data: ['event', data] }) as unknown as [
    Buffer,
  ]
  let out: unknown
  const decoder = new msgpackParser.Decoder()
  decoder.on('decoded', (packet: { data: [string, unknown] }) => (out = packet.data[1]))
  decoder.add(bytes)
  return out as T
}

describe('LiveHub', () => {
  it('routes a change to the root and to the streams of every enclosing unit only', () => {
    const hub = new LiveHub(REGION)
    const a = hub.stream(STREET_A)
    const b = hub.stream(STREET_B)
    const community = hub.stream(`${STREET_A}001`)
    hub.upsert(member('m1', 120.7, gridOf(STREET_A, 1)))
    hub.upsert(member('m2', 120.8, gridOf(STREET_B, 1)))
    hub.upsert(member('m3', 120.9, null))
    expect(hub.root.tables.members.ids).toEqual(['m1', 'm2', 'm3'])
    expect(a.tables.members.ids).toEqual(['m1'])
    expect(community.tables.members.ids).toEqual(['m1'])
    expect(b.tables.members.ids).toEqual(['m2'])
  })

  it('seeds a stream opened later with the current state of its unit, not as a delta', () => {
    const hub = new LiveHub(REGION)
    hub.upsert(member('m1', 120.7, gridOf(STREET_A, 1)))
    hub.upsert(member('m2', 120.8, gridOf(STREET_B, 2)))
    const a = hub.stream(STREET_A)
    expect(a.seq).toBe(0)
    expect(a.cutDelta()).toBeNull()
    const mirror = new LiveMirror()
    mirror.applySnapshot(asSnapshot(a.snapshot()))
    expect(mirror.tables.members.ids).toEqual(['m1'])
    expect(mirror.scope).toBe(STREET_A)
  })

  it('keeps seq +1 per delta and only cuts one when something changed', () => {
    const hub = new LiveHub(REGION)
    expect(hub.root.cutDelta()).toBeNull()
    hub.upsert(member('m1', 120.7, null))
    expect(hub.root.cutDelta()?.seq).toBe(1)
    expect(hub.root.cutDelta()).toBeNull()
    hub.upsert(member('m1', 120.71, null))
    hub.upsert(member('m1', 120.72, null))
    const d = hub.root.cutDelta()!
    expect(d.seq).toBe(2)
    expect(Object.keys(d.tables)).toEqual(['members'])
  })

  it('replays exactly the missed deltas, and refuses when the ring no longer holds them', () => {
    const hub = new LiveHub(REGION, 5)
    const mirror = new LiveMirror()
    mirror.applySnapshot(asSnapshot(hub.root.snapshot()))
    for (let i = 1; i <= 3; i++) {
      hub.upsert(member('m1', 120 + i, null))
      mirror.applyDelta(asDelta(hub.root.cutDelta()))
    }
    // Away for four deltas.
    for (let i = 4; i <= 7; i++) {
      hub.upsert(member('m1', 120 + i, null))
      hub.root.cutDelta()
    }
    const replay = hub.root.replaySince({ epoch: mirror.epoch!, seq: mirror.seq })!
    expect(replay.map((d) => d.seq)).toEqual([4, 5, 6, 7])
    for (const d of replay) expect(mirror.applyDelta(asDelta(d))).toBe('applied')
    expect(mirror.memberPosition('m1')).toEqual([127, Math.fround(30.75)])

    expect(hub.root.replaySince({ epoch: mirror.epoch!, seq: 7 })).toEqual([])
    expect(hub.root.replaySince({ epoch: mirror.epoch!, seq: 1 })).toBeNull()
    expect(hub.root.replaySince({ epoch: 'another-epoch', seq: 7 })).toBeNull()
    expect(hub.root.replaySince({ epoch: mirror.epoch!, seq: 99 })).toBeNull()
  })

  it('gives a reopened scope a new epoch so old clients are not replayed foreign deltas', () => {
    const hub = new LiveHub(REGION)
    const first = hub.stream(STREET_A)
    hub.close(STREET_A)
    const second = hub.stream(STREET_A)
    expect(second.epoch).not.toBe(first.epoch)
    expect(second.replaySince({ epoch: first.epoch, seq: 0 })).toBeNull()
  })

  it('carries status and attribute columns with dictionaries', () => {
    const hub = new LiveHub(REGION)
    const mirror = new LiveMirror()
    mirror.applySnapshot(asSnapshot(hub.root.snapshot()))
    hub.upsert({ kind: 'cameras', id: 'c1', lon: 120.7, lat: 30.7, status: 1, attr: 'social', gridCode: null })
    hub.upsert({ kind: 'cases', id: 'k1', lon: 120.7, lat: 30.7, status: 2, attr: '治安', gridCode: null })
    expect(mirror.applyDelta(asDelta(hub.root.cutDelta()))).toBe('applied')
    expect(mirror.statusOf('cameras', 'c1')).toBe('offline')
    expect(mirror.statusOf('cases', 'k1')).toBe('handling')
    expect(mirror.tables.cameras.dict[mirror.tables.cameras.attr[0]!]).toBe('social')
    expect(mirror.tables.cases.dict).toEqual(['治安'])
  })

  it('carries each timed row’s own time (`at`, Unix s) through the codec: cameras, cases, disputes; members none', () => {
    const hub = new LiveHub(REGION)
    const reported = Date.UTC(2026, 10, 22, 8, 0, 0)
    const heartbeat = reported + 90_500
    hub.upsert(member('m1', 120.7, null))
    hub.upsert({
      kind: 'cases',
      id: 'k1',
      lon: 120.7,
      lat: 30.7,
      status: 0,
      attr: 'road',
      gridCode: null,
      at: reported,
    })
    hub.upsert({
      kind: 'cameras',
      id: 'c1',
      lon: 120.7,
      lat: 30.7,
      status: 0,
      attr: 'public',
      gridCode: null,
      at: heartbeat,
    })
    hub.upsert({ kind: 'disputes', id: 'd1', lon: 120.7, lat: 30.7, status: 0, attr: 'family', gridCode: null })
    hub.root.markClean()
    const snap = overTheWire(hub.root.snapshot())
    expect(snap.tables.members.at).toBeUndefined()
    const mirror = new LiveMirror()
    mirror.applySnapshot(snap)
    expect(mirror.tables.cases.at[0]).toBe(reported)
    // whole seconds on the wire
    expect(mirror.tables.cameras.at[0]).toBe(heartbeat - 500)
    expect(Number.isNaN(mirror.tables.disputes.at[0]!)).toBe(true)
    expect(Number.isNaN(mirror.tables.members.at[0]!)).toBe(true)

    // a delta: the camera's next heartbeat and a new case carry theirs; a member's row stays 15 bytes
    hub.upsert({
      kind: 'cameras',
      id: 'c1',
      lon: 120.7,
      lat: 30.7,
      status: 1,
      attr: 'public',
      gridCode: null,
      at: heartbeat + 60_000,
    })
    hub.upsert({
      kind: 'cases',
      id: 'k2',
      lon: 120.8,
      lat: 30.8,
      status: 0,
      attr: 'road',
      gridCode: null,
      at: reported + 5_000,
    })
    hub.upsert(member('m1', 120.71, null))
    const d = overTheWire(hub.root.cutDelta()!)
    const m = d.tables.members!
    expect(m.at).toBeUndefined()
    const bytes = (b: ArrayBuffer | Uint8Array) => b.byteLength
    expect(bytes(m.idx) + bytes(m.pos) + bytes(m.status) + bytes(m.attr)).toBe(15)
    expect(mirror.applyDelta(d)).toBe('applied')
    expect(mirror.tables.cameras.at[0]).toBe(heartbeat - 500 + 60_000)
    expect(mirror.tables.cases.at[1]).toBe(reported + 5_000)
    expect(mirror.tables.cases.at[0]).toBe(reported)

    // a stream opened later is seeded with the times too
    const street = new LiveMirror()
    hub.upsert({
      kind: 'cases',
      id: 'k3',
      lon: 120.8,
      lat: 30.8,
      status: 0,
      attr: 'road',
      gridCode: gridOf(STREET_A, 1),
      at: reported,
    })
    street.applySnapshot(overTheWire(hub.stream(STREET_A).snapshot()))
    expect(street.tables.cases.ids).toEqual(['k3'])
    expect(street.tables.cases.at[0]).toBe(reported)
  })
})

describe('LiveHub case flags', () => {
  const kase = (id: string, status: number, gridCode: string | null = gridOf(STREET_A, 1)): LiveEntity => ({
    kind: 'cases',
    id,
    lon: 120.7,
    lat: 30.7,
    status,
    attr: '治安',
    gridCode,
    at: Date.UTC(2026, 10, 22, 8, 0, 0),
  })

  it('sends a case whose flags changed with no other change, in every stream holding it; a change keeps them', () => {
    const hub = new LiveHub(REGION)
    hub.upsert(kase('k1', 1))
    hub.upsert(member('m1', 120.7, gridOf(STREET_A, 1)))
    const street = hub.stream(STREET_A)
    hub.root.markClean()
    const root = new LiveMirror()
    root.applySnapshot(overTheWire(hub.root.snapshot()))
    const scoped = new LiveMirror()
    scoped.applySnapshot(overTheWire(street.snapshot()))
    expect(root.tables.cases.flagged).toBe(true)
    expect(root.tables.members.flagged).toBe(false)
    expect(root.tables.cases.flags[0]).toBe(0)

    // the resolve deadline passes: only the flags change
    hub.setCaseFlags('k1', CASE_FLAGS.resolveOverdue)
    hub.setCaseFlags('k1', CASE_FLAGS.resolveOverdue) // unchanged: nothing more
    for (const [stream, mirror] of [
      [hub.root, root],
      [street, scoped],
    ] as const) {
      const d = overTheWire(stream.cutDelta()!)
      const c = d.tables.cases!
      expect(Object.keys(d.tables)).toEqual(['cases'])
      const bytes = (b: ArrayBuffer | Uint8Array) => b.byteLength
      // a case update: 4 index + 8 position + 1 status + 2 attr + 4 at + 1 flags
      expect(bytes(c.idx) + bytes(c.pos) + bytes(c.status) + bytes(c.attr) + bytes(c.at!) + bytes(c.flags!)).toBe(20)
      expect(mirror.applyDelta(d)).toBe('applied')
      expect(mirror.tables.cases.flags[0]).toBe(CASE_FLAGS.resolveOverdue)
      expect(stream.cutDelta()).toBeNull()
    }

    // an ingest change of the case (the engine has not spoken yet) keeps them; a member carries no column
    hub.upsert(kase('k1', 2))
    hub.upsert(member('m1', 120.71, gridOf(STREET_A, 1)))
    const d = overTheWire(hub.root.cutDelta()!)
    expect(d.tables.members!.flags).toBeUndefined()
    expect(root.applyDelta(d)).toBe('applied')
    expect(root.statusOf('cases', 'k1')).toBe('handling')
    expect(root.tables.cases.flags[0]).toBe(CASE_FLAGS.resolveOverdue)

    // resolved: the engine clears them
    hub.upsert(kase('k1', 3))
    hub.setCaseFlags('k1', 0)
    expect(root.applyDelta(overTheWire(hub.root.cutDelta()!))).toBe('applied')
    expect(root.tables.cases.flags[0]).toBe(0)
    expect(root.statusOf('cases', 'k1')).toBe('resolved')
  })

  it('seeds a stream opened later with the flags, and gives them to a case that moves into a unit', () => {
    const hub = new LiveHub(REGION)
    hub.upsert(kase('k1', 0))
    hub.upsert(kase('k2', 0, gridOf(STREET_B, 1)))
    hub.setCaseFlags('k1', CASE_FLAGS.dispatchOverdue | CASE_FLAGS.resolveOverdue)
    hub.setCaseFlags('k2', CASE_FLAGS.dispatchOverdue)
    hub.setCaseFlags('unknown', CASE_FLAGS.dispatchOverdue)
    const a = new LiveMirror()
    a.applySnapshot(overTheWire(hub.stream(STREET_A).snapshot()))
    expect(a.tables.cases.ids).toEqual(['k1'])
    expect(a.tables.cases.flags[0]).toBe(3)
    // k2 is moved into street A: a new row there, with its flags
    hub.upsert(kase('k2', 0, gridOf(STREET_A, 2)))
    expect(a.applyDelta(overTheWire(hub.stream(STREET_A).cutDelta()!))).toBe('applied')
    expect(a.tables.cases.ids).toEqual(['k1', 'k2'])
    expect(a.tables.cases.flags[1]).toBe(CASE_FLAGS.dispatchOverdue)
  })
})
