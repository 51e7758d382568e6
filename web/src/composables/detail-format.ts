/**
 * Pure helpers of the detail panel: a case's lifecycle from its status history, a
 * camera's status over the last 24 hours as segments of a bar, a member's track
 * as a path with its length, and durations worded coarsely enough to read from
 * across the room. Times are epoch ms; history events arrive as ISO strings.
 */
import type { StatusEvent, TrackPoint } from '@gridsight/shared'

export const CASE_STAGES = ['reported', 'dispatched', 'handling', 'resolved', 'closed'] as const
export type CaseStage = (typeof CASE_STAGES)[number]

export interface TimedStatus {
  status: string
  at: number
}

/** History events as epoch ms, oldest first; unreadable times are dropped. */
export function timedEvents(history: readonly StatusEvent[]): TimedStatus[] {
  return history
    .map((e) => ({ status: e.status, at: Date.parse(e.ts) }))
    .filter((e) => Number.isFinite(e.at))
    .sort((a, b) => a.at - b.at)
}

export interface LifecycleStep {
  stage: CaseStage
  /** when the case entered the stage; null when it has not (yet) or the history does not say */
  at: number | null
  /** how long it stayed: until the next stage was entered, or until now for the current one */
  durationMs: number | null
  /** done: passed; current: where the case is; skipped: passed without a record; pending: ahead */
  state: 'done' | 'current' | 'skipped' | 'pending'
}

/**
 * The reported → dispatched → handling → resolved → closed steps of a case. A stage
 * counts as entered at its first event; `reportedAt` stands in for a missing
 * `reported` event. A closed case's last step has no duration: nothing runs any more.
 */
export function caseLifecycle(
  record: { status: string; reportedAt: string },
  history: readonly StatusEvent[],
  now: number,
): LifecycleStep[] {
  const entered = new Map<string, number>()
  for (const e of timedEvents(history)) if (!entered.has(e.status)) entered.set(e.status, e.at)
  const reportedAt = Date.parse(record.reportedAt)
  if (Number.isFinite(reportedAt)) {
    const r = entered.get('reported')
    entered.set('reported', r === undefined ? reportedAt : Math.min(r, reportedAt))
  }
  const current = Math.max(0, CASE_STAGES.indexOf(record.status as CaseStage))
  const steps: LifecycleStep[] = CASE_STAGES.map((stage, i) => {
    const at = i <= current ? (entered.get(stage) ?? null) : null
    const state = i > current ? 'pending' : i === current ? 'current' : at === null ? 'skipped' : 'done'
    return { stage, at, durationMs: null, state }
  })
  for (let i = 0; i <= current; i++) {
    const s = steps[i]!
    if (s.at === null) continue
    const next = steps.slice(i + 1, current + 1).find((n) => n.at !== null)
    if (next) s.durationMs = Math.max(0, next.at! - s.at)
    else if (s.stage !== 'closed') s.durationMs = Math.max(0, now - s.at)
  }
  return steps
}

/** From report to close (or to now while open); null without a report time. */
export function caseElapsedMs(steps: readonly LifecycleStep[], now: number): number | null {
  const start = steps[0]?.at ?? null
  if (start === null) return null
  const closed = steps.find((s) => s.stage === 'closed')?.at ?? null
  return Math.max(0, (closed ?? now) - start)
}

/**
 * Whether the case left (or has still not left) `reported` later than the dispatch
 * deadline: the first later stage entered, or now, against the report time.
 */
export function dispatchLate(steps: readonly LifecycleStep[], now: number, slaMs: number): boolean {
  const start = steps[0]?.at ?? null
  if (start === null) return false
  const left = steps.slice(1).find((s) => s.at !== null)?.at
  const passed = steps.slice(1).some((s) => s.state !== 'pending')
  return (left ?? (passed ? start : now)) - start > slaMs
}

export interface StatusSegment {
  /** the status, or 'unknown' before the first known event */
  status: string
  start: number
  end: number
}

/**
 * The statuses over [from, to] as contiguous segments: before the first event in the
 * window the status is that of the last event before it ('unknown' if none);
 * neighbours with the same status are merged.
 */
export function statusSegments(history: readonly StatusEvent[], from: number, to: number): StatusSegment[] {
  if (!(to > from)) return []
  const events = timedEvents(history)
  let status = 'unknown'
  for (const e of events) if (e.at <= from) status = e.status
  const out: StatusSegment[] = []
  let start = from
  for (const e of events) {
    if (e.at <= from) continue
    if (e.at >= to) break
    if (e.status === status) continue
    if (e.at > start) out.push({ status, start, end: e.at })
    status = e.status
    start = e.at
  }
  out.push({ status, start, end: to })
  return out
}

/** Share of the window each status had, 0–1 (the 24-hour online share of a camera). */
export function statusShare(segments: readonly StatusSegment[], status: string): number | null {
  const known = segments.filter((s) => s.status !== 'unknown')
  const total = known.reduce((n, s) => n + (s.end - s.start), 0)
  if (total <= 0) return null
  return known.filter((s) => s.status === status).reduce((n, s) => n + (s.end - s.start), 0) / total
}

export interface DurationParts {
  /** i18n key under `detail.dur` */
  unit: 's' | 'm' | 'hm' | 'dh'
  n: number
  /** the smaller unit: minutes of `hm`, hours of `dh` */
  m: number
}

/** A duration in at most two units: 45 s, 12 min, 3 h 5 min, 2 d 4 h. */
export function durationParts(ms: number): DurationParts {
  const s = Math.max(0, Math.floor(ms / 1000))
  if (s < 60) return { unit: 's', n: s, m: 0 }
  if (s < 3600) return { unit: 'm', n: Math.floor(s / 60), m: 0 }
  if (s < 86_400) return { unit: 'hm', n: Math.floor(s / 3600), m: Math.floor((s % 3600) / 60) }
  return { unit: 'dh', n: Math.floor(s / 86_400), m: Math.floor((s % 86_400) / 3600) }
}

export interface TrackPath {
  /** [lon, lat] per fix, oldest first */
  path: [number, number][]
  /** metres along the path */
  lengthM: number
  from: number | null
  to: number | null
}

const EARTH_R = 6_371_008.8
const RAD = Math.PI / 180

/** Great-circle distance in metres. */
export function haversineM(a: readonly [number, number], b: readonly [number, number]): number {
  const dLat = (b[1] - a[1]) * RAD
  const dLon = (b[0] - a[0]) * RAD
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * RAD) * Math.cos(b[1] * RAD) * Math.sin(dLon / 2) ** 2
  return 2 * EARTH_R * Math.asin(Math.min(1, Math.sqrt(h)))
}

/** Today's fixes as a drawable path (time order, unreadable points dropped) and its length. */
export function trackPath(track: readonly TrackPoint[]): TrackPath {
  const points = track
    .map((p) => ({ at: Date.parse(p.ts), lon: p.lon, lat: p.lat }))
    .filter((p) => Number.isFinite(p.at) && Number.isFinite(p.lon) && Number.isFinite(p.lat))
    .sort((a, b) => a.at - b.at)
  const path = points.map((p): [number, number] => [p.lon, p.lat])
  let lengthM = 0
  for (let i = 1; i < path.length; i++) lengthM += haversineM(path[i - 1]!, path[i]!)
  return { path, lengthM, from: points[0]?.at ?? null, to: points.at(-1)?.at ?? null }
}
