/**
 * The sequenced stream for one scope (the whole region, or one unit): four
 * entity tables, seq +1 per delta, and a bounded ring of recent deltas so that a
 * client back from a short disconnection gets exactly what it missed.
 */
import {
  ENTITY_KINDS,
  FLAGGED_KINDS,
  TIMED_KINDS,
  type EntityKind,
  type LiveDelta,
  type LiveKpis,
  type LiveSnapshot,
  type TableChanges,
} from '@gridsight/shared'
import { EntityTable } from './entity-table.ts'

/** Figures that travel with a stream (the KPI engine plugs in as `LiveHub.kpiSource`). */
export interface KpiSource {
  /** the scope's figures in full, for a snapshot */
  snapshot(scope: string, now: number): LiveKpis | null
  /** the scope's figures that changed since the previous tick; called once per stream and tick */
  delta(scope: string, now: number): LiveKpis | null
}

export class ScopeStream {
  readonly tables = Object.fromEntries(
    ENTITY_KINDS.map((kind) => [
      kind,
      new EntityTable(
        (TIMED_KINDS as readonly EntityKind[]).includes(kind),
        (FLAGGED_KINDS as readonly EntityKind[]).includes(kind),
      ),
    ]),
  ) as Record<EntityKind, EntityTable>
  private seqNo = 0
  private readonly ring: LiveDelta<Buffer>[] = []
  readonly epoch: string
  readonly scope: string
  private readonly ringSize: number
  private readonly kpis: () => KpiSource | null

  constructor(epoch: string, scope: string, ringSize: number, kpis: () => KpiSource | null = () => null) {
    this.epoch = epoch
    this.scope = scope
    this.ringSize = ringSize
    this.kpis = kpis
  }

  get seq(): number {
    return this.seqNo
  }

  snapshot(now = Date.now()): LiveSnapshot<Buffer> {
    const tables = {} as LiveSnapshot<Buffer>['tables']
    for (const kind of ENTITY_KINDS) tables[kind] = this.tables[kind].snapshot()
    const kpis = this.kpis()?.snapshot(this.scope, now)
    return { epoch: this.epoch, scope: this.scope, seq: this.seqNo, ts: now, tables, ...(kpis ? { kpis } : {}) }
  }

  /** Forgets pending changes: the current state is the stream's starting point. */
  markClean(): void {
    for (const kind of ENTITY_KINDS) this.tables[kind].drain()
  }

  /** Cuts the next delta, or returns null when nothing changed since the last one. */
  cutDelta(now = Date.now()): LiveDelta<Buffer> | null {
    // figures first: moving the KPI clock to `now` may flip cases' overdue flags (LiveHub.setCaseFlags),
    // which then go in this delta with the figures that count them, not in the next one
    const kpis = this.kpis()?.delta(this.scope, now)
    let tables: Partial<Record<EntityKind, TableChanges<Buffer>>> | null = null
    for (const kind of ENTITY_KINDS) {
      const changes = this.tables[kind].drain()
      if (changes) (tables ??= {})[kind] = changes
    }
    if (!tables && !kpis) return null
    this.seqNo += 1
    const delta: LiveDelta<Buffer> = {
      epoch: this.epoch,
      scope: this.scope,
      seq: this.seqNo,
      ts: now,
      tables: tables ?? {},
      ...(kpis ? { kpis } : {}),
    }
    this.ring.push(delta)
    if (this.ring.length > this.ringSize) this.ring.shift()
    return delta
  }

  /**
   * The deltas after `since`, or null when they are no longer all held (or the
   * client comes from another epoch): then it needs a snapshot.
   */
  replaySince(since: { epoch: string; seq: number }): LiveDelta<Buffer>[] | null {
    if (since.epoch !== this.epoch || since.seq > this.seqNo) return null
    if (since.seq === this.seqNo) return []
    const first = this.ring[0]
    if (!first || first.seq > since.seq + 1) return null
    return this.ring.slice(since.seq + 1 - first.seq)
  }
}
