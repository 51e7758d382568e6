/**
 * The storage contract: row shapes in camelCase as the rest of the server sees them,
 * and the Store interface implemented for SQLite and PostgreSQL alike.
 * Timestamps are epoch milliseconds; positions are WGS-84 degrees.
 */

export type Engine = 'sqlite' | 'postgres'

/** A statement compiled for the store's engine, e.g. `db.insertInto('alerts').values(row).compile()`. */
export interface RawStatement {
  sql: string
  parameters: readonly unknown[]
}

export interface CameraRow {
  id: string
  name: string | null
  kind: 'public' | 'social'
  lon: number
  lat: number
  gridCode: string | null
  status: 'online' | 'offline' | 'fault'
  /** event time of the last applied status */
  ts: number
}

export interface MemberRow {
  id: string
  name: string | null
  role: string | null
  onDuty: boolean
  gridCode: string | null
  lon: number
  lat: number
  accuracy: number | null
  speed: number | null
  heading: number | null
  ts: number
  /** SOS raised on the member's device (in memory only: not a column; false after a restart until re-sent) */
  sos?: boolean
}

export interface CaseRow {
  id: string
  type: string
  status: string
  priority: number | null
  title: string | null
  source: string | null
  assignee: string | null
  lon: number
  lat: number
  gridCode: string | null
  reportedAt: number
  ts: number
}

export interface DisputeRow {
  id: string
  category: string
  status: string
  title: string | null
  parties: number | null
  lon: number
  lat: number
  gridCode: string | null
  acceptedAt: number
  ts: number
}

export interface UnitRow {
  code: string
  name: string
  level: string
  parent: string | null
  urban: boolean
  areaKm2: number
}

export type StoredChange =
  /** upsert; plus a camera_status_events row when statusChanged */
  | { kind: 'camera'; row: CameraRow; statusChanged: boolean }
  /** upsert; plus a member_tracks row */
  | { kind: 'member'; row: MemberRow }
  /** upsert; plus a case_events row when statusChanged */
  | { kind: 'case'; row: CaseRow; statusChanged: boolean }
  /** upsert; plus a dispute_events row when statusChanged */
  | { kind: 'dispute'; row: DisputeRow; statusChanged: boolean }

export interface Page<T> {
  items: T[]
  /** opaque; pass back as `cursor` for the next page, null on the last page */
  nextCursor: string | null
}

export interface StatusEvent {
  status: string
  ts: number
}

export interface EntityStatusEvent {
  id: string
  status: string
  ts: number
}

export interface TrackPoint {
  ts: number
  lon: number
  lat: number
}

export interface StoreStats {
  /** committed group transactions */
  commits: number
  /** group transactions that failed (all their callers were rejected) */
  failedCommits: number
  /** write() calls acknowledged */
  writes: number
  /** changes committed */
  changes: number
  /** duration of the last commit (BEGIN … COMMIT), ms */
  lastCommitMs: number
  /** groups whose first write waited longer than groupCommitMaxMs before its commit started */
  slowGroups: number
}

export interface CommitInfo {
  ok: boolean
  /** write() calls in the group */
  writes: number
  changes: number
  /** from the first write() of the group to the start of its transaction */
  waitMs: number
  /** BEGIN … COMMIT */
  commitMs: number
}

export interface ListCamerasQuery {
  status?: string
  gridCode?: string
  /** a unit code: only rows whose grid code starts with it (the reader's jurisdiction) */
  within?: string
  limit: number
  cursor?: string
}
export interface ListMembersQuery {
  gridCode?: string
  /** a unit code: only rows whose grid code starts with it (the reader's jurisdiction) */
  within?: string
  onDuty?: boolean
  limit: number
  cursor?: string
}
export interface ListCasesQuery {
  status?: string
  type?: string
  gridCode?: string
  /** a unit code: only rows whose grid code starts with it (the reader's jurisdiction) */
  within?: string
  limit: number
  cursor?: string
}
export interface ListDisputesQuery {
  status?: string
  category?: string
  gridCode?: string
  /** a unit code: only rows whose grid code starts with it (the reader's jurisdiction) */
  within?: string
  limit: number
  cursor?: string
}

export interface Store {
  readonly engine: Engine
  /** counters for tests and /metrics */
  readonly stats: Readonly<StoreStats>
  /**
   * Group commit: calls arriving while a commit is in flight (or within the same tick) share ONE
   * transaction; resolves only after COMMIT is durable; rejects if the transaction fails (then none
   * of that group's rows are written). Changes apply in call order (later upserts of the same id win).
   */
  write(changes: StoredChange[]): Promise<void>
  /** Everything needed to rebuild live state at start (each list ordered by id). */
  loadAll(): Promise<{ cameras: CameraRow[]; members: MemberRow[]; cases: CaseRow[]; disputes: DisputeRow[] }>
  getCamera(id: string): Promise<CameraRow | undefined>
  getMember(id: string): Promise<MemberRow | undefined>
  getCase(id: string): Promise<CaseRow | undefined>
  getDispute(id: string): Promise<DisputeRow | undefined>
  /** Keyset paging on id (ascending); an unreadable cursor throws InvalidCursorError (statusCode 400). */
  listCameras(q: ListCamerasQuery): Promise<Page<CameraRow>>
  listMembers(q: ListMembersQuery): Promise<Page<MemberRow>>
  listCases(q: ListCasesQuery): Promise<Page<CaseRow>>
  listDisputes(q: ListDisputesQuery): Promise<Page<DisputeRow>>
  /** status history, ascending ts */
  cameraEvents(id: string): Promise<StatusEvent[]>
  caseEvents(id: string): Promise<StatusEvent[]>
  disputeEvents(id: string): Promise<StatusEvent[]>
  /**
   * Of these disputes, the ones whose status history holds an escalation (ordered by id): the row
   * shows only the status now, and one escalated and back in mediation looks like any other.
   */
  escalatedDisputes(ids: readonly string[]): Promise<string[]>
  /** every status event of all cases or all disputes, ordered by entity id then ts (the KPI rebuild) */
  allStatusEvents(kind: 'case' | 'dispute'): Promise<EntityStatusEvent[]>
  /** track points with ts >= sinceTs, ascending ts */
  memberTrack(id: string, sinceTs: number): Promise<TrackPoint[]>
  upsertUnits(units: UnitRow[]): Promise<void>
  listUnits(): Promise<UnitRow[]>
  /**
   * Deletes track points with ts < olderThanTs, in slices of `batch` rows (default 20,000), each its
   * own short transaction; returns the number of rows deleted.
   */
  pruneTracks(olderThanTs: number, batch?: number): Promise<number>
  /**
   * A generic write path for tables outside the ingest stream (e.g. alerts): runs the statements
   * in one transaction on the store's writer (SQLite: the writer thread), in order with the group
   * commits; resolves with the rows each one changed, after COMMIT. Build them with Kysely for this
   * store's engine and pass `{ sql, parameters }` (a `CompiledQuery` fits as it is).
   */
  execute(statements: readonly RawStatement[]): Promise<number[]>
  /** waits for pending writes, then closes; later calls reject */
  close(): Promise<void>
}

export interface OpenStoreOptions {
  /** SQLite file `${dataDir}/gridsight.sqlite` (created) unless databaseUrl is given */
  dataDir: string
  /** postgres://… selects PostgreSQL */
  databaseUrl?: string
  /**
   * Latency bound for group commit (default 50 ms). The store never holds a write back on purpose:
   * a group starts committing right after the tick it was formed in, or as soon as the commit in
   * flight ends. A group that still waited longer than this (behind a slow commit) is counted in
   * `stats.slowGroups`, for /metrics.
   */
  groupCommitMaxMs?: number
  /** called after every group transaction, e.g. for a commit-latency histogram */
  onCommit?: (info: CommitInfo) => void
  /**
   * SQLite only: where writes run. `thread` (default): a worker thread owns the write connection,
   * so commits and their fsync never block the event loop. `main`: on the main thread (the earlier
   * design; the benchmark's same-run comparison).
   */
  sqliteWriter?: 'thread' | 'main'
}
