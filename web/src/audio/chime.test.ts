import { describe, expect, it } from 'vitest'
import { chimeSamples } from './chime.ts'

describe('chimeSamples', () => {
  it('is as long as its tones', () => {
    expect(chimeSamples({ sampleRate: 8000, tones: [440, 660], toneMs: 100 }).length).toBe(1600)
    expect(chimeSamples({ sampleRate: 8000 }).length).toBe(3 * 1440)
  })

  it('is audible but never clips, and each tone starts and ends silent (no click)', () => {
    const s = chimeSamples({ sampleRate: 8000, tones: [440, 660], toneMs: 100, volume: 0.5 })
    const peak = s.reduce((m, x) => Math.max(m, Math.abs(x)), 0)
    expect(peak).toBeGreaterThan(0.45)
    expect(peak).toBeLessThanOrEqual(0.5)
    for (const i of [0, 799, 800, 1599]) expect(Math.abs(s[i]!)).toBeLessThan(0.01)
  })

  it('plays the tones in order (zero crossings follow the frequency)', () => {
    const s = chimeSamples({ sampleRate: 8000, tones: [400, 800], toneMs: 500 })
    const crossings = (from: number, to: number) => {
      let n = 0
      for (let i = from + 1; i < to; i++) if (Math.sign(s[i]!) !== Math.sign(s[i - 1]!) && s[i] !== 0) n++
      return n
    }
    // 0.4 s of the middle of each tone: 2 crossings per period
    expect(crossings(400, 3600)).toBeGreaterThan(310)
    expect(crossings(400, 3600)).toBeLessThan(330)
    expect(crossings(4400, 7600)).toBeGreaterThan(630)
    expect(crossings(4400, 7600)).toBeLessThan(650)
  })
})
