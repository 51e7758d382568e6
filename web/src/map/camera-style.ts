/**
 * Pure parts of the camera layers: how stale cameras fade, and packing the
 * cameras of one status into a reused buffer.
 */

/** No report for this long and a camera starts to fade; it is faintest at twice this. */
export const STALE_AFTER_MS = 30 * 60_000
export const FADE_FLOOR = 0.25

/** Opacity factor for a camera whose last report is `ageMs` old (NaN: unknown, not faded). */
export function staleFade(ageMs: number, staleAfterMs = STALE_AFTER_MS): number {
  if (!(ageMs > staleAfterMs)) return 1
  return Math.max(FADE_FLOOR, 1 - ((ageMs - staleAfterMs) / staleAfterMs) * (1 - FADE_FLOOR))
}

/**
 * When a camera last reported (epoch ms, NaN unknown): its own time from the stream's `at`
 * column (the event time of its last heartbeat or status, in snapshots and deltas alike), else
 * when a delta last carried it (`seen`, for a server that sends no `at`).
 */
export function lastReportMs(at: number, seen: number): number {
  return Number.isNaN(at) ? seen : at
}

/**
 * Copies the lon,lat of the rows whose status is `code` into `out` (grown when
 * too small, doubling) and returns the buffer and how many rows it holds.
 */
export function packStatus(
  pos: Float32Array,
  status: Uint8Array,
  n: number,
  code: number,
  out: Float32Array,
): { buffer: Float32Array; count: number } {
  let count = 0
  for (let i = 0; i < n; i++) if (status[i] === code) count++
  let buffer = out
  if (buffer.length < count * 2) buffer = new Float32Array(Math.max(count * 2, buffer.length * 2, 64))
  let k = 0
  for (let i = 0; i < n; i++) {
    if (status[i] !== code) continue
    buffer[k++] = pos[2 * i]!
    buffer[k++] = pos[2 * i + 1]!
  }
  return { buffer, count }
}

/** The pulse of offline cameras: 0 → 1 over `periodMs`, then again. */
export function pulsePhase(timeMs: number, periodMs = 1600): number {
  return (timeMs % periodMs) / periodMs
}
