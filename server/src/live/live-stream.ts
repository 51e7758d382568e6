/**
 * The sequenced stream of live state: one epoch per process lifetime, seq +1 per
 * delta. A delta is cut on each tick only when something changed.
 */
import { randomUUID } from 'node:crypto'
import type { LiveDelta, LiveSnapshot } from '@gridsight/shared'
import { MemberPositions } from './member-positions.ts'
import { toWire } from './wire.ts'

export class LiveStream {
  readonly epoch = randomUUID()
  readonly members = new MemberPositions()
  private seqNo = 0

  get seq(): number {
    return this.seqNo
  }

  snapshot(now = Date.now()): LiveSnapshot<Buffer> {
    return {
      epoch: this.epoch,
      seq: this.seqNo,
      ts: now,
      members: { ids: [...this.members.ids], pos: toWire(this.members.snapshotPositions()) },
    }
  }

  /** Cuts the next delta, or returns null when nothing changed since the last one. */
  cutDelta(now = Date.now()): LiveDelta<Buffer> | null {
    const changes = this.members.drainChanges()
    if (!changes) return null
    this.seqNo += 1
    return {
      epoch: this.epoch,
      seq: this.seqNo,
      ts: now,
      members: { added: changes.added, idx: toWire(changes.idx), pos: toWire(changes.pos) },
    }
  }
}
