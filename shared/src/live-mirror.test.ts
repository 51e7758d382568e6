import { describe, expect, it } from 'vitest'
import { LiveMirror } from './live-mirror.ts'
import type { LiveDelta, LiveSnapshot } from './protocol.ts'

const snapshot = (seq: number, epoch = 'e1'): LiveSnapshot => ({
  epoch,
  seq,
  ts: 1000,
  members: { ids: ['a', 'b'], pos: new Float32Array([120.1, 30.1, 120.2, 30.2]).buffer },
})

const delta = (seq: number, changes: [number, number, number][], added: string[] = [], epoch = 'e1'): LiveDelta => ({
  epoch,
  seq,
  ts: 2000 + seq,
  members: {
    added,
    idx: new Uint32Array(changes.map((c) => c[0])).buffer,
    pos: new Float32Array(changes.flatMap((c) => [c[1], c[2]])).buffer,
  },
})

describe('LiveMirror', () => {
  it('ignores deltas until the first snapshot', () => {
    const m = new LiveMirror()
    expect(m.applyDelta(delta(1, [[0, 1, 1]]))).toBe('waiting')
    expect(m.memberCount).toBe(0)
  })

  it('applies consecutive deltas over a snapshot, latest position wins', () => {
    const m = new LiveMirror()
    m.applySnapshot(snapshot(7))
    expect(m.applyDelta(delta(8, [[1, 121, 31]]))).toBe('applied')
    expect(m.applyDelta(delta(9, [[1, 122, 32]]))).toBe('applied')
    expect(m.seq).toBe(9)
    expect(m.memberPosition('a')).toEqual([Math.fround(120.1), Math.fround(30.1)])
    expect(m.memberPosition('b')).toEqual([122, 32])
  })

  it('registers added members at the next indexes', () => {
    const m = new LiveMirror()
    m.applySnapshot(snapshot(0))
    expect(m.applyDelta(delta(1, [[2, 120.5, 30.5]], ['c']))).toBe('applied')
    expect(m.memberIds).toEqual(['a', 'b', 'c'])
    expect(m.memberPosition('c')).toEqual([120.5, 30.5])
  })

  it('reports a skipped seq, a new epoch and an unknown index as gaps', () => {
    const m = new LiveMirror()
    m.applySnapshot(snapshot(3))
    expect(m.applyDelta(delta(5, [[0, 1, 1]]))).toBe('gap')
    expect(m.applyDelta(delta(4, [[0, 1, 1]], [], 'e2'))).toBe('gap')
    expect(m.applyDelta(delta(4, [[9, 1, 1]]))).toBe('gap')
    expect(m.seq).toBe(3)
  })

  it('drops deltas already covered by the snapshot', () => {
    const m = new LiveMirror()
    m.applySnapshot(snapshot(3))
    expect(m.applyDelta(delta(3, [[0, 1, 1]]))).toBe('stale')
    expect(m.memberPosition('a')).toEqual([Math.fround(120.1), Math.fround(30.1)])
  })

  it('accepts Node Buffers at odd offsets as binary fields', () => {
    const m = new LiveMirror()
    const raw = new Uint8Array(17)
    raw.set(new Uint8Array(new Float32Array([120, 30, 121, 31]).buffer), 1)
    m.applySnapshot({ ...snapshot(0), members: { ids: ['a', 'b'], pos: raw.subarray(1) } })
    expect(m.memberPosition('b')).toEqual([121, 31])
  })
})
