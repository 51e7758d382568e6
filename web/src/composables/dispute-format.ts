/**
 * Pure helpers of the detail panel for a dispute (矛盾纠纷): its status timeline from the
 * status history, like a case's lifecycle, but a dispute's path is not a fixed row of stages:
 * accepted → assigned → mediating → resolved | unresolved, and a mediation may be escalated
 * (督办) and go back to mediating, more than once. So the timeline lists the stages as they
 * were entered, in order (with any of the first three that the history skipped), then what is
 * still ahead. Times are epoch ms; history events arrive as ISO strings.
 */
import type { StatusEvent } from '@gridsight/shared'
import { timedEvents } from './detail-format.ts'

/** The path every dispute takes until its outcome. */
export const DISPUTE_PATH = ['accepted', 'assigned', 'mediating'] as const
export const DISPUTE_OUTCOMES = ['resolved', 'unresolved'] as const
/** a pending step for the outcome, whichever it will be */
export const OUTCOME = 'outcome'

export type DisputeStage =
  (typeof DISPUTE_PATH)[number] | (typeof DISPUTE_OUTCOMES)[number] | 'escalated' | typeof OUTCOME

export interface DisputeStep {
  stage: DisputeStage
  /** when the dispute entered the stage; null when the history does not say, or it is ahead */
  at: number | null
  /** until the next stage was entered, or until now for the current one; null for an outcome or without a time */
  durationMs: number | null
  /** done: passed; current: where the dispute is; skipped: passed without a record; pending: ahead */
  state: 'done' | 'current' | 'skipped' | 'pending'
}

const isOutcome = (s: string) => (DISPUTE_OUTCOMES as readonly string[]).includes(s)
/** how far along the path a status is: escalation and outcome come after mediating */
const depthOf = (s: string) => {
  const k = (DISPUTE_PATH as readonly string[]).indexOf(s)
  return k >= 0 ? k : DISPUTE_PATH.length
}
const isKnown = (s: string) => (DISPUTE_PATH as readonly string[]).includes(s) || isOutcome(s) || s === 'escalated'

/**
 * The steps of a dispute. A stage counts as entered at each event that changed the status
 * (repeats of the same status are one stage); `acceptedAt` stands in for a missing `accepted`
 * event. An outcome has no duration: nothing runs any more. When the record's status is newer
 * than the history, it is the current step, without a time.
 */
export function disputeTimeline(
  record: { status: string; acceptedAt: string },
  history: readonly StatusEvent[],
  now: number,
): DisputeStep[] {
  const events = timedEvents(history).filter((e) => isKnown(e.status))
  const acceptedAt = Date.parse(record.acceptedAt)
  if (Number.isFinite(acceptedAt)) {
    const first = events.find((e) => e.status === 'accepted')
    if (first) first.at = Math.min(first.at, acceptedAt)
    else events.unshift({ status: 'accepted', at: acceptedAt })
    events.sort((a, b) => a.at - b.at)
  }
  const entered: { stage: DisputeStage; at: number | null }[] = []
  for (const e of events)
    if (entered.at(-1)?.stage !== e.status) entered.push({ stage: e.status as DisputeStage, at: e.at })
  if (isKnown(record.status) && entered.at(-1)?.stage !== record.status)
    entered.push({ stage: record.status as DisputeStage, at: null })

  const steps: DisputeStep[] = []
  let depth = 0
  for (const e of entered) {
    // the stages of the path passed over without a record (an on-the-spot mediation)
    for (const d = depthOf(e.stage); depth < d; depth++) {
      const skipped = DISPUTE_PATH[depth]!
      steps.push({ stage: skipped, at: null, durationMs: null, state: 'skipped' })
    }
    depth = Math.max(depth, depthOf(e.stage) + 1)
    steps.push({ stage: e.stage, at: e.at, durationMs: null, state: 'done' })
  }
  const last = steps.at(-1)
  if (last) last.state = 'current'
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i]!
    if (s.at === null || isOutcome(s.stage)) continue
    const next = steps.slice(i + 1).find((n) => n.at !== null)
    if (next) s.durationMs = Math.max(0, next.at! - s.at)
    else if (s.state === 'current') s.durationMs = Math.max(0, now - s.at)
  }
  // what is still ahead of an open dispute
  const current = last?.stage
  if (current !== undefined && !isOutcome(current)) {
    const from = current === 'escalated' ? DISPUTE_PATH.indexOf('mediating') : depthOf(current) + 1
    for (const stage of DISPUTE_PATH.slice(from)) steps.push({ stage, at: null, durationMs: null, state: 'pending' })
    steps.push({ stage: OUTCOME, at: null, durationMs: null, state: 'pending' })
  }
  return steps
}

/** From acceptance to the outcome (or to now while open); null without an acceptance time. */
export function disputeElapsedMs(steps: readonly DisputeStep[], now: number): number | null {
  const start = steps.find((s) => s.stage === 'accepted')?.at ?? null
  if (start === null) return null
  const end = steps.find((s) => isOutcome(s.stage) && s.state !== 'pending')
  return Math.max(0, (end ? (end.at ?? now) : now) - start)
}

/** How many times the dispute was escalated (督办). */
export function escalations(steps: readonly DisputeStep[]): number {
  return steps.filter((s) => s.stage === 'escalated' && s.state !== 'pending').length
}
