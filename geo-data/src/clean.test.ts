import { describe, expect, it } from 'vitest'
import { cleanRing, nodeRings } from './clean.ts'
import type { XY } from './clean.ts'

describe('cleanRing', () => {
  it('keeps a valid ring (closed) and drops duplicate vertices', () => {
    const sq: XY[] = [
      [0, 0],
      [1, 0],
      [1, 0],
      [1, 1],
      [0, 1],
      [0, 0],
    ]
    expect(cleanRing(sq)).toEqual([
      [0, 0],
      [1, 0],
      [1, 1],
      [0, 1],
      [0, 0],
    ])
  })
  it('drops a pinched loop that touches an edge at a vertex', () => {
    // square with a small spur whose end touches the square's left edge
    const r: XY[] = [
      [0, 0],
      [4, 0],
      [4, 4],
      [0, 4],
      [0, 3],
      [-1, 3],
      [-1, 2],
      [0, 2],
      [0, 0],
    ]
    // no crossing: a proper notch-free ring: unchanged
    expect(cleanRing(r)).toHaveLength(9)
    const pinched: XY[] = [
      [0, 0],
      [4, 0],
      [4, 4],
      [2, 4],
      [2, 2],
      [3, 2],
      [3, 3],
      [2, 3],
      [1, 4],
      [0, 4],
      [0, 0],
    ]
    expect(cleanRing(pinched)).toEqual([
      [0, 0],
      [4, 0],
      [4, 4],
      [2, 4],
      [2, 3],
      [1, 4],
      [0, 4],
      [0, 0],
    ])
  })
  it('removes a back-tracking spike', () => {
    const r: XY[] = [
      [0, 0],
      [2, 0],
      [2, 2],
      [3, 3],
      [2, 2],
      [0, 2],
      [0, 0],
    ]
    expect(cleanRing(r)).toEqual([
      [0, 0],
      [2, 0],
      [2, 2],
      [0, 2],
      [0, 0],
    ])
  })
  it('untangles a bow-tie by keeping the larger loop', () => {
    const r: XY[] = [
      [0, 0],
      [4, 4],
      [4, 0],
      [0, 5],
      [0, 0],
    ]
    const out = cleanRing(r)!
    expect(out.length).toBe(4)
  })
  it('returns null when nothing with area is left', () => {
    expect(
      cleanRing([
        [0, 0],
        [1, 1],
        [0, 0],
      ]),
    ).toBeNull()
    expect(
      cleanRing([
        [0, 0],
        [1, 0],
        [2, 0],
        [0, 0],
      ]),
    ).toBeNull()
  })
})

describe('nodeRings', () => {
  it('inserts a neighbour vertex lying (almost) on an edge, in order, and nothing else', () => {
    const parent: XY[] = [
      [0, 0],
      [4, 0],
      [4, 4],
      [0, 4],
      [0, 0],
    ]
    const left: XY[] = [
      [0, 0],
      [2, 1e-7],
      [2, 4],
      [0, 4],
      [0, 0],
    ]
    const right: XY[] = [
      [2, 1e-7],
      [4, 0],
      [4, 4],
      [2, 4],
      [2, 1e-7],
    ]
    const far: XY[] = [
      [1, 1],
      [3, 1],
      [3, 3],
      [1, 1],
    ]
    const n = nodeRings([parent, left, right, far], 1e-6)
    expect(n).toBe(2)
    expect(parent).toEqual([
      [0, 0],
      [2, 1e-7],
      [4, 0],
      [4, 4],
      [2, 4],
      [0, 4],
      [0, 0],
    ])
    expect(far).toEqual([
      [1, 1],
      [3, 1],
      [3, 3],
      [1, 1],
    ])
  })
})
