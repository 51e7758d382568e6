import { describe, expect, it } from 'vitest'
import { TrailBuffer } from './trail-buffer.ts'

describe('TrailBuffer', () => {
  it('keeps the last N positions per member, newest first, and skips a member that did not move', () => {
    const t = new TrailBuffer(3)
    expect(t.push(0, 120, 30)).toBe(true)
    expect(t.push(0, 120, 30)).toBe(false)
    t.push(0, 120.1, 30)
    t.push(0, 120.2, 30)
    t.push(0, 120.3, 30)
    expect(t.size(0)).toBe(3)
    const p = new Float32Array(2)
    expect(t.at(0, 0, p)).toBe(true)
    expect(p[0]).toBeCloseTo(120.3, 5)
    t.at(0, 2, p)
    expect(p[0]).toBeCloseTo(120.1, 5)
    expect(t.at(0, 3, p)).toBe(false)
    expect(t.size(5)).toBe(0)
  })

  it('grows for new rows and keeps what it held', () => {
    const t = new TrailBuffer(4)
    t.push(0, 1, 2)
    t.push(500, 3, 4)
    expect(t.capacity).toBeGreaterThanOrEqual(501)
    const p = [0, 0]
    t.at(0, 0, p)
    expect(p).toEqual([1, 2])
    t.at(500, 0, p)
    expect(p).toEqual([3, 4])
  })

  it('derives the heading from the last two positions, clockwise from north', () => {
    const t = new TrailBuffer()
    t.push(0, 120, 30)
    expect(t.heading(0)).toBeNaN()
    t.push(0, 120, 30.01)
    expect(t.heading(0)).toBeCloseTo(0, 5)
    t.push(0, 120.01, 30.01)
    expect(t.heading(0)).toBeCloseTo(90, 5)
    t.push(0, 120.01, 30)
    expect(t.heading(0)).toBeCloseTo(180, 5)
    t.push(0, 120, 30)
    expect(t.heading(0)).toBeCloseTo(270, 5)
    // a degree of longitude is shorter than one of latitude away from the equator
    t.push(0, 120.01, 30.01)
    expect(t.heading(0)).toBeCloseTo((Math.atan2(Math.cos((30.01 * Math.PI) / 180), 1) * 180) / Math.PI, 1)
  })

  it('writes trails as segments oldest to newest, with ages, skipping excluded members', () => {
    const t = new TrailBuffer(4)
    for (let k = 0; k < 6; k++) t.push(0, k, 0) // ring wrapped: holds 2, 3, 4, 5
    t.push(1, 10, 10) // one position: no segment
    t.push(2, 20, 20)
    t.push(2, 21, 20)
    const max = t.maxSegments()
    expect(max).toBe(9)
    const src = new Float32Array(max * 2)
    const dst = new Float32Array(max * 2)
    const age = new Float32Array(max)
    expect(t.segments(src, dst, age)).toBe(4)
    expect([...src.subarray(0, 6)]).toEqual([2, 0, 3, 0, 4, 0])
    expect([...dst.subarray(0, 6)]).toEqual([3, 0, 4, 0, 5, 0])
    expect([...age.subarray(0, 4)]).toEqual([1, 0.5, 0, 0])
    expect([...src.subarray(6, 8)]).toEqual([20, 20])
    const rows = new Uint32Array(max)
    expect(t.segments(src, dst, age, (row) => row !== 0, rows)).toBe(1)
    expect(rows[0]).toBe(2)
  })

  it('forgets everything on reset, and rejects a length it cannot hold', () => {
    const t = new TrailBuffer()
    t.push(0, 1, 1)
    t.push(0, 2, 2)
    t.reset()
    expect(t.size(0)).toBe(0)
    expect(t.heading(0)).toBeNaN()
    expect(() => new TrailBuffer(1)).toThrow(/trail length/)
    expect(() => new TrailBuffer(300)).toThrow(/trail length/)
  })
})
