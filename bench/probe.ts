/**
 * Ingest→screen latency without a shared channel: the load generator moves one
 * member, `probe`, to a latitude that encodes its send time (ms modulo 10 s, at
 * ~0.2 ms resolution in float32); a screen decodes it when the probe's position
 * reaches it. Sender and screens share the machine's clock.
 */
export const PROBE_ID = 'probe'
const BASE_LAT = 30.7
const WINDOW_MS = 10_000
const DEG_PER_MS = 1e-5

export function probeLat(sendMs: number): number {
  return BASE_LAT + (sendMs % WINDOW_MS) * DEG_PER_MS
}

/** Milliseconds from the probe's send to `nowMs`; valid for latencies under 10 s. */
export function probeLatency(lat: number, nowMs: number): number {
  const sentMod = Math.round((lat - BASE_LAT) / DEG_PER_MS)
  return (nowMs - sentMod + WINDOW_MS * 2) % WINDOW_MS
}
