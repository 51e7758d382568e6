/**
 * The P1 alert sound, made in code: a short two-tone chime as a 16-bit mono WAV, so it
 * ships with the app (no file to fetch, nothing from another host). Played through an
 * <audio> element, whose play() rejects when the browser blocks sound before a user
 * gesture: an unattended wall then says so instead of failing loudly.
 */

export interface ChimeOptions {
  sampleRate?: number
  /** each tone, Hz, played one after another */
  tones?: readonly number[]
  toneMs?: number
  /** peak amplitude 0..1 */
  volume?: number
}

/** A complete WAV file (RIFF header + PCM samples). */
export function chimeWav({
  sampleRate = 22_050,
  tones = [880, 660, 880],
  toneMs = 180,
  volume = 0.6,
}: ChimeOptions = {}): Uint8Array<ArrayBuffer> {
  const perTone = Math.round((sampleRate * toneMs) / 1000)
  const samples = perTone * tones.length
  const buf = new ArrayBuffer(44 + samples * 2)
  const v = new DataView(buf)
  const ascii = (at: number, s: string) => [...s].forEach((c, i) => v.setUint8(at + i, c.charCodeAt(0)))
  ascii(0, 'RIFF')
  v.setUint32(4, 36 + samples * 2, true)
  ascii(8, 'WAVE')
  ascii(12, 'fmt ')
  v.setUint32(16, 16, true) // PCM chunk size
  v.setUint16(20, 1, true) // PCM
  v.setUint16(22, 1, true) // mono
  v.setUint32(24, sampleRate, true)
  v.setUint32(28, sampleRate * 2, true) // byte rate
  v.setUint16(32, 2, true) // block align
  v.setUint16(34, 16, true) // bits per sample
  ascii(36, 'data')
  v.setUint32(40, samples * 2, true)
  const fade = Math.min(perTone / 2, Math.round(sampleRate * 0.012))
  tones.forEach((hz, t) => {
    for (let i = 0; i < perTone; i++) {
      // short fades at both ends of each tone: no clicks between them
      const env = Math.min(1, i / fade, (perTone - 1 - i) / fade)
      const x = volume * env * Math.sin((2 * Math.PI * hz * i) / sampleRate)
      v.setInt16(44 + (t * perTone + i) * 2, Math.round(x * 32_767), true)
    }
  })
  return new Uint8Array(buf)
}

export type PlayResult = 'played' | 'blocked'

let element: HTMLAudioElement | null = null

/** Plays the chime; 'blocked' when the browser refuses sound (no user gesture yet) or has no audio. */
export async function playChime(): Promise<PlayResult> {
  try {
    element ??= new Audio(URL.createObjectURL(new Blob([chimeWav()], { type: 'audio/wav' })))
    element.currentTime = 0
    await element.play()
    return 'played'
  } catch {
    return 'blocked'
  }
}
