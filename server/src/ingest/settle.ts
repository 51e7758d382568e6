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
 * clear thousands of "not dispatched" and "not resolved" alerts at once. Cameras and members are
 * shown change by change (an SOS must never be folded away).
 */
import type { AppliedChange } from './ingest-service.ts'

const CASE_DONE: ReadonlySet<string> = new Set(['resolved', 'closed'])
const DISPUTE_DONE: ReadonlySet<string> = new Set(['resolved', 'unresolved'])

export function settled(applied: AppliedChange[]): AppliedChange[] {
  // the common case: no case or dispute changes twice in the batch
  let steps: Map<string, number[]> | null = null
  let repeats = false
  for (let k = 0; k < applied.length; k++) {
    const c = applied[k]!.change
    if (c.kind !== 'case' && c.kind !== 'dispute') continue
    steps ??= new Map()
    const key = c.kind === 'case' ? `c${c.row.id}` : `d${c.row.id}`
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
    const isDone = applied[list[0]!]!.change.kind === 'case' ? CASE_DONE : DISPUTE_DONE
    const statusAt = (j: number) => (applied[list[j]!]!.change.row as { status: string }).status
    // the start of the final run of done statuses, if the batch ends in one
    let keepFrom = list.length - 1
    if (isDone.has(statusAt(keepFrom))) {
      while (keepFrom > 0 && isDone.has(statusAt(keepFrom - 1))) keepFrom--
      // a run that began before the batch keeps its earlier done time: nothing more to show
      const prev = applied[list[0]!]!.prev as { status: string } | undefined
      if (keepFrom === 0 && prev !== undefined && isDone.has(prev.status)) keepFrom = list.length - 1
    }
    for (let j = 0; j < list.length - 1; j++) if (j !== keepFrom) drop[list[j]!] = 1
  }
  return applied.filter((_, k) => drop[k] === 0)
}
