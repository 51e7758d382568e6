/**
 * All live streams of the region: the root stream (everything) and one stream
 * per subscribed unit. A change goes to the root and to every open stream whose
 * unit code is a prefix of the entity's grid code (区 6 → 街道 9 → 社区 12 →
 * 网格 15 digits), so routing costs O(depth), not O(streams).
 */
import { randomUUID } from 'node:crypto'
import { FINISHED_STATUSES, STATUS_CODES, type EntityKind } from '@gridsight/shared'
import { ScopeStream, type KpiSource } from './scope-stream.ts'

/** Code lengths of the admin levels below the district. */
const PREFIX_LENGTHS = [9, 12, 15]

/** the status codes of finished cases and disputes; the other kinds never leave */
const FINISHED_CODES: Partial<Record<EntityKind, readonly number[]>> = {
  cases: FINISHED_STATUSES.cases.map((s) => STATUS_CODES.cases.indexOf(s)),
  disputes: FINISHED_STATUSES.disputes.map((s) => STATUS_CODES.disputes.indexOf(s)),
}

/** Rows dropped by a compaction, by kind. */
export interface Compacted {
  cases: number
  disputes: number
}

export interface LiveEntity {
  kind: EntityKind
  id: string
  lon: number
  lat: number
  status: number
  attr: string
  gridCode: string | null
  /** the entity's own time, epoch ms (TIMED_KINDS: a camera's last report, a case's report, a dispute's acceptance) */
  at?: number
}

export class LiveHub {
  private readonly id = randomUUID()
  /** one per compaction: each starts every stream's history anew */
  private generation = 0
  private rootStream: ScopeStream
  private readonly scoped = new Map<string, ScopeStream>()
  private readonly ringSize: number
  /** every entity's latest value, to seed streams opened later */
  private readonly latest = new Map<string, LiveEntity>()
  /** the non-zero `flags` of cases (CASE_FLAGS), by id: set by the KPI engine, not by ingest */
  private readonly caseFlags = new Map<string, number>()
  private opened = 0
  /** the latest compaction's cutoff: a finished case or dispute older than it, and new here, stays out */
  private retainFrom = -Infinity
  /** figures sent with every stream's snapshots and deltas (the KPI plugin sets it) */
  kpiSource: KpiSource | null = null
  private readonly kpis = () => this.kpiSource

  constructor(regionCode: string, ringSize = 240) {
    this.ringSize = ringSize
    this.rootStream = new ScopeStream(this.id, regionCode, ringSize, this.kpis)
  }

  get root(): ScopeStream {
    return this.rootStream
  }

  /** the root stream's epoch */
  get epoch(): string {
    return this.rootStream.epoch
  }

  get streams(): ScopeStream[] {
    return [this.root, ...this.scoped.values()]
  }

  upsert(e: LiveEntity): void {
    const key = `${e.kind}:${e.id}`
    // A late change to an item the compaction dropped (an old resolved case being closed), or an
    // old finished one sent now (a pre-rolled history), would otherwise come back until the next
    // compaction. One the streams hold is updated as usual and leaves at the next compaction.
    if (!this.latest.has(key) && this.pastRetention(e)) return
    this.latest.set(key, e)
    this.root.tables[e.kind].upsert(e.id, e.lon, e.lat, e.status, e.attr, e.at)
    // an upsert keeps a row's flags; a row new to a stream (a case that moved into a unit) takes them along
    const flags = e.kind === 'cases' ? (this.caseFlags.get(e.id) ?? 0) : 0
    if (flags !== 0) this.root.tables.cases.setFlags(e.id, flags)
    if (e.gridCode === null || this.scoped.size === 0) return
    for (const len of PREFIX_LENGTHS) {
      if (e.gridCode.length < len) break
      const table = this.scoped.get(e.gridCode.slice(0, len))?.tables[e.kind]
      if (!table) continue
      table.upsert(e.id, e.lon, e.lat, e.status, e.attr, e.at)
      if (flags !== 0) table.setFlags(e.id, flags)
    }
  }

  /**
   * Sets a case's `flags` (CASE_FLAGS) in every stream that holds it; a stream sends the row in its
   * next delta when they changed. The KPI engine calls this when a deadline passes with time alone
   * and when a change moves a case past or out of one.
   */
  setCaseFlags(id: string, flags: number): void {
    if (flags === 0) this.caseFlags.delete(id)
    else this.caseFlags.set(id, flags)
    const e = this.latest.get(`cases:${id}`)
    if (!e) return
    this.root.tables.cases.setFlags(id, flags)
    if (e.gridCode === null || this.scoped.size === 0) return
    for (const len of PREFIX_LENGTHS) {
      if (e.gridCode.length < len) break
      this.scoped.get(e.gridCode.slice(0, len))?.tables.cases.setFlags(id, flags)
    }
  }

  /** The stream for a unit (or the root for the region code), opened and seeded on first use. */
  stream(scope: string): ScopeStream {
    if (scope === this.root.scope) return this.root
    let s = this.scoped.get(scope)
    if (!s) {
      s = this.seeded(scope)
      this.scoped.set(scope, s)
    }
    return s
  }

  /**
   * Drops the finished cases and disputes (FINISHED_STATUSES) whose own time `at` is before
   * `before` from the live state, and starts every open stream anew from what is left: new epochs,
   * empty rings, seq 0. Wire indexes hold for the life of a stream and the protocol cannot remove
   * a row, so a smaller table needs a new stream; the caller sends its screens the new snapshots.
   * Open items stay whatever their age, cameras and members always. When nothing is dropped the
   * streams go on as they were.
   */
  compact(before: number): Compacted {
    const dropped: Compacted = { cases: 0, disputes: 0 }
    this.retainFrom = Math.max(this.retainFrom, before)
    for (const [key, e] of this.latest) {
      if (!this.pastRetention(e)) continue
      this.latest.delete(key)
      if (e.kind === 'cases') this.caseFlags.delete(e.id)
      dropped[e.kind]++
    }
    // nothing dropped: the screens keep their streams (no snapshot for nothing)
    if (dropped.cases + dropped.disputes === 0) return dropped
    this.generation++
    this.rootStream = this.seeded(this.rootStream.scope)
    for (const scope of this.scoped.keys()) this.scoped.set(scope, this.seeded(scope))
    return dropped
  }

  /** a finished case or dispute whose own time is before the latest compaction's cutoff */
  private pastRetention(e: LiveEntity): e is LiveEntity & { kind: 'cases' | 'disputes' } {
    if (e.kind !== 'cases' && e.kind !== 'disputes') return false
    return e.at !== undefined && e.at < this.retainFrom && FINISHED_CODES[e.kind]!.includes(e.status)
  }

  /** A new stream for a scope, holding its part of the latest state, with nothing pending. */
  private seeded(scope: string): ScopeStream {
    const base = this.generation === 0 ? this.id : `${this.id}.${this.generation}`
    // Each opening is a new history: a client of an earlier stream for this scope must not be
    // replayed this one's deltas.
    const isRoot = scope === this.rootStream.scope
    const s = new ScopeStream(isRoot ? base : `${base}/${++this.opened}`, scope, this.ringSize, this.kpis)
    for (const e of this.latest.values()) {
      if (isRoot || e.gridCode?.startsWith(scope)) s.tables[e.kind].upsert(e.id, e.lon, e.lat, e.status, e.attr, e.at)
    }
    for (const [id, flags] of this.caseFlags) s.tables.cases.setFlags(id, flags)
    s.markClean()
    return s
  }

  close(scope: string): void {
    this.scoped.delete(scope)
  }
}
