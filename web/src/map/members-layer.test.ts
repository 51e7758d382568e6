import { describe, expect, it } from 'vitest'
import { LiveMirror, type LiveSnapshot } from '@gridsight/shared'
import { liveSnapshot } from '../test-support/live-snapshot.ts'
import { MEMBER_COLORS, MemberMotion } from './members-layer.ts'

/** a: on duty, b: off duty */
const snapshot = (epoch = 'e1'): LiveSnapshot =>
  liveSnapshot(
    {
      members: {
        ids: ['a', 'b'],
        dict: ['grid'],
        pos: new Float32Array([120, 30, 121, 31]).buffer,
        status: new Uint8Array([1, 0]).buffer,
        attr: new Uint16Array([0, 0]).buffer,
      },
    },
    { epoch },
  )

/** moves both members north-east / east */
function move(m: LiveMirror, seq: number, da: number): void {
  const result = m.applyDelta({
    epoch: m.epoch!,
    scope: '330402',
    seq,
    ts: 1_000 + seq,
    tables: {
      members: {
        added: [],
        dictAdded: [],
        idx: new Uint32Array([0, 1]).buffer,
        pos: new Float32Array([120, 30 + da, 121 + da, 31]).buffer,
        status: new Uint8Array([1, 0]).buffer,
        attr: new Uint16Array([0, 0]).buffer,
      },
    },
  })
  expect(result).toBe('applied')
}

const attr = (layer: unknown, name: string) =>
  (layer as { props: { data: { attributes: Record<string, { value: ArrayLike<number> }> } } }).props.data.attributes[
    name
  ]!.value

describe('MemberMotion', () => {
  it('draws neither trail nor heading before a member has moved', () => {
    const m = new LiveMirror()
    m.applySnapshot(snapshot())
    const motion = new MemberMotion()
    expect(motion.update(m)).toBe(true)
    expect(motion.update(m)).toBe(false)
    expect(motion.layers(1, true)).toEqual({ trails: null, heading: null })
  })

  it('gives each moved member a chevron turned by its heading and a trail in its status colour', () => {
    const m = new LiveMirror()
    m.applySnapshot(snapshot())
    const motion = new MemberMotion()
    motion.update(m)
    move(m, 1, 0.01)
    motion.update(m)
    const { trails, heading } = motion.layers(1, true)
    expect(heading?.props.data).toHaveProperty('length', 2)
    const angles = attr(heading, 'getAngle')
    // a went north, b east; deck.gl turns counter-clockwise
    expect(angles[0]).toBeCloseTo(0, 3)
    expect(angles[1]).toBeCloseTo(-90, 3)
    expect(trails?.props.data).toHaveProperty('length', 2)
    const colors = attr(trails, 'getColor')
    expect([colors[0], colors[1], colors[2]]).toEqual(MEMBER_COLORS[1]!.slice(0, 3))
    expect([colors[4], colors[5], colors[6]]).toEqual(MEMBER_COLORS[0]!.slice(0, 3))
    expect(motion.layers(1, false).trails).toBeNull()
  })

  it('keeps at most 7 segments per member and forgets trails on a new stream', () => {
    const m = new LiveMirror()
    m.applySnapshot(snapshot())
    const motion = new MemberMotion()
    for (let k = 1; k <= 12; k++) {
      move(m, k, k * 0.001)
      motion.update(m)
    }
    expect(motion.layers(1, true).trails?.props.data).toHaveProperty('length', 14)
    m.applySnapshot(snapshot('e2'))
    motion.update(m)
    expect(motion.layers(1, true)).toEqual({ trails: null, heading: null })
  })
})
