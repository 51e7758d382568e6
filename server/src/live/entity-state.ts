/**
 * The authoritative in-memory state: the latest row per entity. It is a pure
 * function of the ordered stream of accepted changes, and is rebuilt from the
 * database at start.
 */
import type { CameraRow, CaseRow, DisputeRow, MemberRow, StoredChange } from '../db/index.ts'

export class EntityState {
  readonly cameras = new Map<string, CameraRow>()
  readonly members = new Map<string, MemberRow>()
  readonly cases = new Map<string, CaseRow>()
  readonly disputes = new Map<string, DisputeRow>()

  /** Applies a change and returns the entity's previous row (undefined when new). */
  apply(change: StoredChange): StoredChange['row'] | undefined {
    const table = this.tableOf(change.kind) as Map<string, StoredChange['row']>
    const prev = table.get(change.row.id)
    table.set(change.row.id, change.row)
    return prev
  }

  tableOf(kind: StoredChange['kind']) {
    switch (kind) {
      case 'camera':
        return this.cameras
      case 'member':
        return this.members
      case 'case':
        return this.cases
      case 'dispute':
        return this.disputes
    }
  }

  /** The whole state as changes, e.g. to seed the live hub. */
  *changes(): Generator<StoredChange> {
    for (const row of this.cameras.values()) yield { kind: 'camera', row, statusChanged: false }
    for (const row of this.members.values()) yield { kind: 'member', row }
    for (const row of this.cases.values()) yield { kind: 'case', row, statusChanged: false }
    for (const row of this.disputes.values()) yield { kind: 'dispute', row, statusChanged: false }
  }

  load(all: { cameras: CameraRow[]; members: MemberRow[]; cases: CaseRow[]; disputes: DisputeRow[] }): void {
    for (const row of all.cameras) this.cameras.set(row.id, row)
    for (const row of all.members) this.members.set(row.id, row)
    for (const row of all.cases) this.cases.set(row.id, row)
    for (const row of all.disputes) this.disputes.set(row.id, row)
  }
}
