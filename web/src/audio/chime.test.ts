import { describe, expect, it } from 'vitest'
import { chimeWav } from './chime.ts'

describe('chimeWav', () => {
  it('writes a valid 16-bit mono PCM WAV of the requested length', () => {
    const wav = chimeWav({ sampleRate: 8000, tones: [440, 660], toneMs: 100 })
    const v = new DataView(wav.buffer)
    const text = (at: number) => String.fromCharCode(...wav.slice(at, at + 4))
    expect([text(0), text(8), text(12), text(36)]).toEqual(['RIFF', 'WAVE', 'fmt ', 'data'])
    expect(v.getUint32(4, true)).toBe(wav.length - 8)
    expect(v.getUint16(20, true)).toBe(1)
    expect(v.getUint16(22, true)).toBe(1)
    expect(v.getUint32(24, true)).toBe(8000)
    expect(v.getUint16(34, true)).toBe(16)
    expect(v.getUint32(40, true)).toBe(2 * 800 * 2)
    expect(wav.length).toBe(44 + 1600 * 2)
  })

  it('is audible but never clips, and starts and ends silent (no click)', () => {
    const wav = chimeWav({ sampleRate: 8000, volume: 0.5 })
    const v = new DataView(wav.buffer)
    const n = (wav.length - 44) / 2
    let peak = 0
    for (let i = 0; i < n; i++) peak = Math.max(peak, Math.abs(v.getInt16(44 + i * 2, true)))
    expect(peak).toBeGreaterThan(0.45 * 32_767)
    expect(peak).toBeLessThanOrEqual(0.5 * 32_767 + 1)
    expect(v.getInt16(44, true)).toBe(0)
    expect(Math.abs(v.getInt16(44 + (n - 1) * 2, true))).toBeLessThan(50)
  })
})
