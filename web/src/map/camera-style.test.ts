import { describe, expect, it } from 'vitest'
import { liveSnapshot, mirrorOf } from '../test-support/live-snapshot.ts'
import { FADE_FLOOR, lastReportMs, packStatus, pulsePhase, STALE_AFTER_MS, staleFade } from './camera-style.ts'

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

describe('lastReportMs', () => {
  it('takes the camera’s own report time from the stream, else when a delta last carried it', () => {
    expect(lastReportMs(1_000, 5_000)).toBe(1_000)
    expect(lastReportMs(Number.NaN, 5_000)).toBe(5_000)
    expect(lastReportMs(Number.NaN, Number.NaN)).toBeNaN()
  })

  it('fades a camera silent since before the screen connected, from the snapshot’s `at` column', () => {
    const now = Date.UTC(2026, 10, 22, 8, 0, 0)
    const m = mirrorOf(
      liveSnapshot(
        {
          cameras: {
            ids: ['fresh', 'silent', 'unknown'],
            dict: ['public'],
            pos: new Float32Array(6).buffer,
            status: new Uint8Array(3).buffer,
            attr: new Uint16Array(3).buffer,
            at: new Uint32Array([now / 1000 - 60, (now - 2 * STALE_AFTER_MS) / 1000, 0]).buffer,
          },
        },
        { ts: now },
      ),
    )
    const t = m.tables.cameras
    const fade = (row: number) => staleFade(now - lastReportMs(t.at[row]!, t.seen[row]!))
    expect(fade(0)).toBe(1)
    expect(fade(1)).toBeCloseTo(FADE_FLOOR)
    expect(fade(2)).toBe(1)
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
