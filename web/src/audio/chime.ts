/**
 * The P1 alert sound, made in code: a short three-tone chime synthesised as PCM samples and
 * played through the Web Audio API, so it ships with the app (no file to fetch, nothing from
 * another host, and no media URL for the page's Content-Security-Policy to refuse). Browsers
 * keep an AudioContext suspended until a user gesture: an unattended wall then reports
 * 'blocked' instead of failing loudly, and the next click can enable it.
 */

export interface ChimeOptions {
  sampleRate?: number
  /** each tone, Hz, played one after another */
  tones?: readonly number[]
  toneMs?: number
  /** peak amplitude 0..1 */
  volume?: number
}

export const CHIME_SAMPLE_RATE = 22_050

/** Mono samples in -1..1, each tone with short fades at both ends (no clicks between tones). */
export function chimeSamples({
  sampleRate = CHIME_SAMPLE_RATE,
  tones = [880, 660, 880],
  toneMs = 180,
  volume = 0.6,
}: ChimeOptions = {}): Float32Array<ArrayBuffer> {
  const perTone = Math.round((sampleRate * toneMs) / 1000)
  const out = new Float32Array(perTone * tones.length)
  const fade = Math.max(1, Math.min(perTone / 2, Math.round(sampleRate * 0.012)))
  tones.forEach((hz, t) => {
    for (let i = 0; i < perTone; i++) {
      const env = Math.min(1, i / fade, (perTone - 1 - i) / fade)
      out[t * perTone + i] = volume * env * Math.sin((2 * Math.PI * hz * i) / sampleRate)
    }
  })
  return out
}

export type PlayResult = 'played' | 'blocked'

/** how long to wait for a suspended context to resume before calling it blocked */
const RESUME_WAIT_MS = 300

let ctx: AudioContext | null = null
let buffer: AudioBuffer | null = null

/** Plays the chime; 'blocked' when the browser holds sound back (no user gesture yet) or has no audio. */
export async function playChime(): Promise<PlayResult> {
  try {
    ctx ??= new AudioContext()
    if (ctx.state !== 'running') {
      // without a user gesture resume() neither resolves nor rejects: give it a moment
      await Promise.race([ctx.resume(), new Promise((r) => setTimeout(r, RESUME_WAIT_MS))])
      if ((ctx.state as AudioContextState) !== 'running') return 'blocked'
    }
    if (!buffer) {
      const samples = chimeSamples()
      buffer = ctx.createBuffer(1, samples.length, CHIME_SAMPLE_RATE)
      buffer.copyToChannel(samples, 0)
    }
    const source = ctx.createBufferSource()
    source.buffer = buffer
    source.connect(ctx.destination)
    source.start()
    return 'played'
  } catch {
    return 'blocked'
  }
}
