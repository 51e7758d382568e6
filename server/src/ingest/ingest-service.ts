/**
 * One batch in: validate each item, decide it against the current state in
 * order, commit the accepted changes (group commit), then publish them live.
 * A batch's valid items are kept even when others are rejected.
 *
 * Decisions are made against state that already includes changes still being
 * committed, so concurrent batches for the same entity order correctly. If a
 * commit fails, memory is ahead of the database: the service reports it as fatal
 * and the process must restart, rebuilding state from what was committed.
 */
import {
  ingestItemSchemas,
  itemValidator,
  type IngestItemByKind,
  type IngestKind,
  type IngestResponse,
} from '@gridsight/shared'
import type { Store, StoredChange } from '../db/index.ts'
import type { EntityState } from '../live/entity-state.ts'
import {
  checkTime,
  decideCamera,
  decideCase,
  decideDispute,
  decideMember,
  type Decision,
  type Locate,
  type TimeWindow,
} from './normalize.ts'
import { settled } from './settle.ts'

const validators = {
  cameras: itemValidator<IngestItemByKind['cameras']>(ingestItemSchemas.cameras),
  members: itemValidator<IngestItemByKind['members']>(ingestItemSchemas.members),
  cases: itemValidator<IngestItemByKind['cases']>(ingestItemSchemas.cases),
  disputes: itemValidator<IngestItemByKind['disputes']>(ingestItemSchemas.disputes),
}

/** A committed change with the entity's previous row (undefined when it is new). */
export interface AppliedChange {
  change: StoredChange
  prev: StoredChange['row'] | undefined
}

export interface IngestServiceOptions {
  store: Store
  state: EntityState
  locate: Locate
  /** called with every committed change, in order */
  publish: (applied: AppliedChange[]) => void
  /** memory and database disagree after a failed commit: restart */
  onFatal: (err: unknown) => void
  maxFutureMs?: number
  maxAgeMs?: number
  now?: () => number
}

export class CommitFailedError extends Error {
  override name = 'CommitFailedError'
  statusCode = 503
}

export class IngestService {
  private readonly o: Required<IngestServiceOptions>
  private failed = false

  constructor(options: IngestServiceOptions) {
    this.o = { maxFutureMs: 5 * 60_000, maxAgeMs: 365 * 86_400_000, now: Date.now, ...options }
  }

  /**
   * @param within the sender's jurisdiction (a unit code): an item that would place or move an
   *   entity outside it, or change one that is outside it, is rejected. Undefined: the whole region.
   */
  async ingest<K extends IngestKind>(kind: K, items: readonly unknown[], within?: string): Promise<IngestResponse> {
    if (this.failed) throw new CommitFailedError('storage failed earlier; the server is restarting')
    const window: TimeWindow = { now: this.o.now(), maxFutureMs: this.o.maxFutureMs, maxAgeMs: this.o.maxAgeMs }
    const validator = validators[kind]
    const rejected: IngestResponse['rejected'] = []
    const applied: AppliedChange[] = []
    let accepted = 0

    items.forEach((item, index) => {
      const id =
        typeof item === 'object' && item !== null && typeof (item as { id?: unknown }).id === 'string'
          ? (item as { id: string }).id
          : null
      if (!validator.check(item)) {
        rejected.push({ index, id, errors: validator.errors(item) })
        return
      }
      const ts = checkTime((item as { ts: string }).ts, window)
      if (typeof ts === 'string') {
        rejected.push({ index, id, errors: [ts] })
        return
      }
      const decision = this.decide(kind, item, ts)
      if ('error' in decision) {
        rejected.push({ index, id, errors: [decision.error] })
        return
      }
      if (within !== undefined && 'change' in decision) {
        const outside = this.outside(decision.change, within)
        if (outside !== undefined) {
          rejected.push({ index, id, errors: [outside] })
          return
        }
      }
      accepted++
      if ('change' in decision) {
        applied.push({ change: decision.change, prev: this.o.state.apply(decision.change) })
      }
    })

    if (applied.length > 0) {
      try {
        await this.o.store.write(applied.map((a) => a.change))
      } catch (err) {
        this.failed = true
        this.o.onFatal(err)
        throw new CommitFailedError('could not commit this batch; nothing in it was acknowledged')
      }
      // each case or dispute as it stands after the batch (settle.ts); all of it is committed
      this.o.publish(settled(applied))
    }
    return { accepted, rejected }
  }

  private outside(change: StoredChange, within: string): string | undefined {
    const { state } = this.o
    const prev =
      change.kind === 'camera'
        ? state.cameras.get(change.row.id)
        : change.kind === 'member'
          ? state.members.get(change.row.id)
          : change.kind === 'case'
            ? state.cases.get(change.row.id)
            : state.disputes.get(change.row.id)
    for (const code of [prev?.gridCode, change.row.gridCode]) {
      if (code === undefined) continue
      if (code === null || !code.startsWith(within)) {
        return `this key may send data within unit ${within} only; ${change.kind} ${change.row.id} is in ${code ?? 'no grid of the region'}`
      }
    }
    return undefined
  }

  private decide(kind: IngestKind, item: unknown, ts: number): Decision {
    const { state, locate } = this.o
    switch (kind) {
      case 'cameras': {
        const it = item as IngestItemByKind['cameras']
        return decideCamera(it, state.cameras.get(it.id), ts, locate)
      }
      case 'members': {
        const it = item as IngestItemByKind['members']
        return decideMember(it, state.members.get(it.id), ts, locate)
      }
      case 'cases': {
        const it = item as IngestItemByKind['cases']
        return decideCase(it, state.cases.get(it.id), ts, locate)
      }
      case 'disputes': {
        const it = item as IngestItemByKind['disputes']
        return decideDispute(it, state.disputes.get(it.id), ts, locate)
      }
    }
  }
}
