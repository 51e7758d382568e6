import { describe, expect, it } from 'vitest'
import { MemberPositions } from './member-positions.ts'

describe('MemberPositions', () => {
  it('coalesces several moves within a tick into the latest position', () => {
    const m = new MemberPositions()
    m.upsert('a', 1, 1)
    m.upsert('b', 2, 2)
    m.upsert('a', 3, 3)
    const c = m.drainChanges()!
    expect(c.added).toEqual(['a', 'b'])
    expect([...c.idx]).toEqual([0, 1])
    expect([...c.pos]).toEqual([3, 3, 2, 2])
    expect(m.drainChanges()).toBeNull()
  })

  it('grows past its initial capacity without losing rows', () => {
    const m = new MemberPositions()
    for (let i = 0; i < 1000; i++) m.upsert(`m${i}`, i, -i)
    expect(m.size).toBe(1000)
    expect(m.position('m999')).toEqual([999, -999])
    expect(m.drainChanges()!.idx.length).toBe(1000)
    m.upsert('m500', 5, 5)
    const c = m.drainChanges()!
    expect(c.added).toEqual([])
    expect([...c.idx]).toEqual([500])
  })
})
