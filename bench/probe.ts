/**
 * Ingest→screen latency without a shared channel: the load generator moves a
 * probe member (`probe0`…`probe6`) to a latitude that encodes its send time (ms modulo 10 s, at
 * ~0.2 ms resolution in float32); a screen decodes it when the probe's position
 * reaches it. Sender and screens share the machine's clock.
 */
export const PROBE_ID = 'probe'
/**
 * Probes rotate over these members, sent on their own at random gaps of 50–150 ms (mean
 * PROBE_EVERY_MS). Random gaps sample every phase of the 500 ms tick alike: probes on a fixed
 * 100 ms grid meet the tick at the same five phases for a whole run, so the wait for the tick, and
 * with it p99, depended on where that grid happened to fall. Twelve members at ≥ 50 ms gaps move
 * each one at most every 600 ms, never twice in one tick, so no probe is coalesced with another.
 * Ten probes a second give a 20-second run 200 send times, so its p99 is a percentile.
 */
export const PROBE_IDS: readonly string[] = Array.from({ length: 12 }, (_, i) => `${PROBE_ID}${i}`)
export const PROBE_EVERY_MS = 100
export const PROBE_GAP_MS = [50, 150] as const
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
