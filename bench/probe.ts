/**
 * Ingest→screen latency without a shared channel: the load generator moves a
 * probe member (`probe0`…`probe6`) to a latitude that encodes its send time (ms modulo 10 s, at
 * ~0.2 ms resolution in float32); a screen decodes it when the probe's position
 * reaches it. Sender and screens share the machine's clock.
 */
export const PROBE_ID = 'probe'
/**
 * Probes rotate over these members, one every PROBE_EVERY_MS: each member moves only every
 * 700 ms, never twice in one 500 ms tick, so no probe is coalesced with another and each one's
 * latency includes its wait for the tick. Ten probes a second give a 20-second run 200 send
 * times, so its p99 is a percentile rather than the slowest of 28.
 */
export const PROBE_IDS: readonly string[] = Array.from({ length: 7 }, (_, i) => `${PROBE_ID}${i}`)
export const PROBE_EVERY_MS = 100
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
