import { describe, expect, it } from 'vitest'
import { FADE_FLOOR, packStatus, pulsePhase, STALE_AFTER_MS, staleFade } from './camera-style.ts'

describe('staleFade', () => {
  it('keeps fresh and unknown-age cameras opaque and fades the silent ones to a floor', () => {
    expect(staleFade(Number.NaN)).toBe(1)
    expect(staleFade(0)).toBe(1)
    expect(staleFade(STALE_AFTER_MS)).toBe(1)
    expect(staleFade(1.5 * STALE_AFTER_MS)).toBeCloseTo(1 - 0.5 * (1 - FADE_FLOOR))
    expect(staleFade(2 * STALE_AFTER_MS)).toBeCloseTo(FADE_FLOOR)
    expect(staleFade(100 * STALE_AFTER_MS)).toBe(FADE_FLOOR)
  })
})

describe('packStatus', () => {
  it('packs the positions of one status into the buffer, growing it when needed', () => {
    const pos = new Float32Array([1, 2, 3, 4, 5, 6, 7, 8])
    const status = new Uint8Array([1, 0, 1, 1])
    const small = new Float32Array(2)
    const a = packStatus(pos, status, 3, 1, small)
    expect(a.count).toBe(2)
    expect(a.buffer).not.toBe(small)
    expect(Array.from(a.buffer.subarray(0, 4))).toEqual([1, 2, 5, 6])
    // the grown buffer is reused while it fits
    const b = packStatus(pos, status, 4, 1, a.buffer)
    expect(b.buffer).toBe(a.buffer)
    expect(Array.from(b.buffer.subarray(0, 6))).toEqual([1, 2, 5, 6, 7, 8])
    expect(packStatus(pos, status, 4, 2, b.buffer).count).toBe(0)
  })
})

describe('pulsePhase', () => {
  it('cycles from 0 to 1', () => {
    expect(pulsePhase(0, 1000)).toBe(0)
    expect(pulsePhase(250, 1000)).toBe(0.25)
    expect(pulsePhase(1250, 1000)).toBe(0.25)
  })
})
