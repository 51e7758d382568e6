/**
 * What the listeners of one committed batch (the live hub, KPIs, alerts) are shown of it.
 *
 * Every accepted change is committed — each status step of a case or dispute is in the database
 * and its history — but a case or dispute that changes several times within one batch is shown
 * as it stands after the batch, not step by step: its last change, plus, when it ends in a done
 * status (case resolved/closed, dispute resolved/unresolved), the change that entered that done
 * status (the KPIs count handling time and trends from it, as their rebuild from the status
 * events does). The steps in between were never the state anyone could see, and shown one by one
 * they would trigger rules on a past that is already over: a backfill of last month's work
 * orders (the simulator's pre-rolled history, a platform importing its records) would raise and
 * clear thousands of "not dispatched" and "not resolved" alerts at once. A camera is shown the
 * same way: its last change, plus the change that entered its last status (when it began within
 * the batch: "offline for N minutes" counts from it); a backfill of its status history is then one
 * or two changes to the listeners, not a month of outages. Members are shown change by change (an
 * SOS must never be folded away).
 */
import { FINISHED_STATUSES } from '@gridsight/shared'
import type { AppliedChange } from './ingest-service.ts'

const CASE_DONE: ReadonlySet<string> = new Set(FINISHED_STATUSES.cases)
const DISPUTE_DONE: ReadonlySet<string> = new Set(FINISHED_STATUSES.disputes)

export function settled(applied: AppliedChange[]): AppliedChange[] {
  // the common case: no case or dispute changes twice in the batch
  let steps: Map<string, number[]> | null = null
  let repeats = false
  for (let k = 0; k < applied.length; k++) {
    const c = applied[k]!.change
    if (c.kind === 'member') continue
    steps ??= new Map()
    const key = c.kind === 'case' ? `c${c.row.id}` : c.kind === 'dispute' ? `d${c.row.id}` : `v${c.row.id}`
    const list = steps.get(key)
    if (list) {
      list.push(k)
      repeats = true
    } else steps.set(key, [k])
  }
  if (!repeats || steps === null) return applied
  const drop = new Uint8Array(applied.length)
  for (const list of steps.values()) {
    if (list.length === 1) continue
    const kind = applied[list[0]!]!.change.kind
    const statusAt = (j: number) => (applied[list[j]!]!.change.row as { status: string }).status
    const last = list.length - 1
    // the final run: of done statuses (a case or dispute, if the batch ends in one), of its last status (a camera)
    const isDone = kind === 'case' ? CASE_DONE : DISPUTE_DONE
    const inRun =
      kind === 'camera'
        ? (s: string) => s === statusAt(last)
        : isDone.has(statusAt(last))
          ? isDone.has.bind(isDone)
          : null
    // the start of the final run
    let keepFrom = last
    let left = -1
    if (inRun) {
      while (keepFrom > 0 && inRun(statusAt(keepFrom - 1))) keepFrom--
      const prev = applied[list[0]!]!.prev as { status: string } | undefined
      if (prev !== undefined && inRun(prev.status)) {
        // a run that began before the batch keeps its earlier time: nothing more to show; one
        // left and entered again within the batch shows the leaving too (listeners compare with prev)
        if (keepFrom === 0) keepFrom = last
        else left = keepFrom - 1
      }
    }
    for (let j = 0; j < last; j++) if (j !== keepFrom && j !== left) drop[list[j]!] = 1
  }
  return applied.filter((_, k) => drop[k] === 0)
}
