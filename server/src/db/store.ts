/**
 * The Store over Kysely: SQLite (better-sqlite3; default) or PostgreSQL (pg) — same queries,
 * same results. Writes go through a group commit: every write() that arrives in the same tick, or
 * while the previous group is committing, joins one transaction, and is acknowledged only after
 * COMMIT returned (SQLite: WAL + synchronous=FULL, PostgreSQL: synchronous_commit on).
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import BetterSqlite3 from 'better-sqlite3'
import pg from 'pg'
import {
  Kysely,
  PostgresDialect,
  SqliteDialect,
  sql,
  type Compilable,
  type CompiledQuery,
  type RawBuilder,
  type SqliteDatabase,
  type SqliteStatement,
  type Transaction,
} from 'kysely'
import { Migrator } from 'kysely/migration'
import { migrationProvider } from './migrations/index.ts'
import type { CamerasTable, CasesTable, Database, DisputesTable, MembersTable, UnitsTable } from './schema.ts'
import type {
  CameraRow,
  CaseRow,
  CommitInfo,
  DisputeRow,
  Engine,
  EntityStatusEvent,
  ListCamerasQuery,
  ListCasesQuery,
  ListDisputesQuery,
  ListMembersQuery,
  MemberRow,
  OpenStoreOptions,
  Page,
  StatusEvent,
  Store,
  StoreStats,
  StoredChange,
  TrackPoint,
  UnitRow,
} from './types.ts'

export const SQLITE_FILE = 'gridsight.sqlite'
/** rows per multi-row INSERT: well under SQLite's 32766 and PostgreSQL's 65535 bind parameters */
const CHUNK = 500
const MAX_LIMIT = 10_000
const PRUNE_BATCH = 20_000

/** A bad list query (cursor or limit); `statusCode` makes Fastify answer 400. */
export class StoreQueryError extends Error {
  override name = 'StoreQueryError'
  statusCode = 400
}

export function encodeCursor(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url')
}

export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined
  const id = Buffer.from(cursor, 'base64url').toString('utf8')
  if (cursor === '' || encodeCursor(id) !== cursor) throw new StoreQueryError('cursor is not one this server issued')
  return id
}

function checkLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new StoreQueryError(`limit must be an integer from 1 to ${MAX_LIMIT}`)
  }
  return limit
}

function toPage<T extends { id: string }>(rows: T[], limit: number): Page<T> {
  if (rows.length <= limit) return { items: rows, nextCursor: null }
  const items = rows.slice(0, limit)
  return { items, nextCursor: encodeCursor(items[items.length - 1]!.id) }
}

function* chunks<T>(items: T[], size = CHUNK): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size)
}

/** `SET col = excluded.col` for each column: the incoming row replaces the stored one. */
function excluded<C extends string>(columns: readonly C[]): Record<C, RawBuilder<never>> {
  return Object.fromEntries(columns.map((c) => [c, sql.ref<never>(`excluded.${c}`)])) as Record<C, RawBuilder<never>>
}

const CAMERA_SET = excluded(['name', 'kind', 'lon', 'lat', 'grid_code', 'status', 'ts', 'updated_at'] as const)
const MEMBER_SET = excluded([
  'name',
  'role',
  'on_duty',
  'grid_code',
  'lon',
  'lat',
  'accuracy',
  'speed',
  'heading',
  'ts',
  'updated_at',
] as const)
const CASE_SET = excluded([
  'type',
  'status',
  'priority',
  'title',
  'source',
  'assignee',
  'lon',
  'lat',
  'grid_code',
  'reported_at',
  'ts',
  'updated_at',
] as const)
const DISPUTE_SET = excluded([
  'category',
  'status',
  'title',
  'parties',
  'lon',
  'lat',
  'grid_code',
  'accepted_at',
  'ts',
  'updated_at',
] as const)
const UNIT_SET = excluded(['name', 'level', 'parent', 'urban', 'area_km2'] as const)

/** One kind of batched insert: its columns (parameter order) and how Kysely builds it for given rows. */
interface InsertSpec {
  table: string
  columns: readonly string[]
  build(db: Kysely<Database>, rows: Record<string, unknown>[]): Compilable
}

const INSERTS = {
  cameras: {
    table: 'cameras',
    columns: ['id', 'name', 'kind', 'lon', 'lat', 'grid_code', 'status', 'ts', 'updated_at'],
    build: (db, rows) =>
      db
        .insertInto('cameras')
        .values(rows as never)
        .onConflict((oc) => oc.column('id').doUpdateSet(CAMERA_SET)),
  },
  cameraEvents: {
    table: 'camera_status_events',
    columns: ['camera_id', 'status', 'ts'],
    build: (db, rows) =>
      db
        .insertInto('camera_status_events')
        .values(rows as never)
        .onConflict((oc) => oc.columns(['camera_id', 'ts', 'status']).doNothing()),
  },
  members: {
    table: 'members',
    columns: [
      'id',
      'name',
      'role',
      'on_duty',
      'grid_code',
      'lon',
      'lat',
      'accuracy',
      'speed',
      'heading',
      'ts',
      'updated_at',
    ],
    build: (db, rows) =>
      db
        .insertInto('members')
        .values(rows as never)
        .onConflict((oc) => oc.column('id').doUpdateSet(MEMBER_SET)),
  },
  tracks: {
    table: 'member_tracks',
    columns: ['member_id', 'ts', 'lon', 'lat'],
    build: (db, rows) =>
      db
        .insertInto('member_tracks')
        .values(rows as never)
        .onConflict((oc) => oc.columns(['member_id', 'ts']).doNothing()),
  },
  cases: {
    table: 'cases',
    columns: [
      'id',
      'type',
      'status',
      'priority',
      'title',
      'source',
      'assignee',
      'lon',
      'lat',
      'grid_code',
      'reported_at',
      'ts',
      'updated_at',
    ],
    build: (db, rows) =>
      db
        .insertInto('cases')
        .values(rows as never)
        .onConflict((oc) => oc.column('id').doUpdateSet(CASE_SET)),
  },
  caseEvents: {
    table: 'case_events',
    columns: ['case_id', 'status', 'ts'],
    build: (db, rows) =>
      db
        .insertInto('case_events')
        .values(rows as never)
        .onConflict((oc) => oc.columns(['case_id', 'ts', 'status']).doNothing()),
  },
  disputes: {
    table: 'disputes',
    columns: [
      'id',
      'category',
      'status',
      'title',
      'parties',
      'lon',
      'lat',
      'grid_code',
      'accepted_at',
      'ts',
      'updated_at',
    ],
    build: (db, rows) =>
      db
        .insertInto('disputes')
        .values(rows as never)
        .onConflict((oc) => oc.column('id').doUpdateSet(DISPUTE_SET)),
  },
  disputeEvents: {
    table: 'dispute_events',
    columns: ['dispute_id', 'status', 'ts'],
    build: (db, rows) =>
      db
        .insertInto('dispute_events')
        .values(rows as never)
        .onConflict((oc) => oc.columns(['dispute_id', 'ts', 'status']).doNothing()),
  },
} satisfies Record<string, InsertSpec>

// Row mapping ------------------------------------------------------------------------------------

const toBool = (v: boolean | number): boolean => v === true || v === 1

function toCamera(r: CamerasTable): CameraRow {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind as CameraRow['kind'],
    lon: r.lon,
    lat: r.lat,
    gridCode: r.grid_code,
    status: r.status as CameraRow['status'],
    ts: r.ts,
  }
}

function toMember(r: Omit<MembersTable, 'on_duty'> & { on_duty: boolean | number }): MemberRow {
  return {
    id: r.id,
    name: r.name,
    role: r.role,
    onDuty: toBool(r.on_duty),
    gridCode: r.grid_code,
    lon: r.lon,
    lat: r.lat,
    accuracy: r.accuracy,
    speed: r.speed,
    heading: r.heading,
    ts: r.ts,
  }
}

function toCase(r: CasesTable): CaseRow {
  return {
    id: r.id,
    type: r.type,
    status: r.status,
    priority: r.priority,
    title: r.title,
    source: r.source,
    assignee: r.assignee,
    lon: r.lon,
    lat: r.lat,
    gridCode: r.grid_code,
    reportedAt: r.reported_at,
    ts: r.ts,
  }
}

function toDispute(r: DisputesTable): DisputeRow {
  return {
    id: r.id,
    category: r.category,
    status: r.status,
    title: r.title,
    parties: r.parties,
    lon: r.lon,
    lat: r.lat,
    gridCode: r.grid_code,
    acceptedAt: r.accepted_at,
    ts: r.ts,
  }
}

function toUnit(r: Omit<UnitsTable, 'urban'> & { urban: boolean | number }): UnitRow {
  return { code: r.code, name: r.name, level: r.level, parent: r.parent, urban: toBool(r.urban), areaKm2: r.area_km2 }
}

// Engines ----------------------------------------------------------------------------------------

/**
 * better-sqlite3 behind Kysely's SqliteDialect, with a small statement cache: the dialect prepares
 * every query anew, which costs more than running it for the short statements we issue.
 */
function cachedSqlite(db: BetterSqlite3.Database, size = 128): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>()
  return {
    close: () => db.close(),
    prepare(text: string): SqliteStatement {
      let stmt = cache.get(text)
      if (stmt) {
        cache.delete(text)
      } else {
        stmt = db.prepare(text) as unknown as SqliteStatement
        if (cache.size >= size) cache.delete(cache.keys().next().value!)
      }
      cache.set(text, stmt)
      return stmt
    },
  }
}

function openSqlite(file: string, readonly: boolean): BetterSqlite3.Database {
  const db = new BetterSqlite3(file)
  db.pragma('busy_timeout = 5000')
  if (readonly) {
    db.pragma('query_only = ON')
  } else {
    const mode = db.pragma('journal_mode = WAL', { simple: true })
    if (mode !== 'wal') throw new Error(`SQLite refused WAL mode for ${file} (journal_mode=${String(mode)})`)
    // FULL: the WAL is fsynced at every COMMIT, so an acknowledged write survives a power cut.
    db.pragma('synchronous = FULL')
    db.pragma('foreign_keys = ON')
  }
  return db
}

/** BIGINT (epoch ms, counts) as number: every value we store is below 2^53. */
const pgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 && format !== 'binary'
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
}

// The store --------------------------------------------------------------------------------------

interface PendingWrite {
  changes: StoredChange[]
  at: number
  resolve: () => void
  reject: (err: unknown) => void
}

interface EngineHandles {
  engine: Engine
  /** runs the group transactions (the only writer) */
  writer: Kysely<Database>
  /** reads: sees committed data only (SQLite: a second connection; PostgreSQL: the pool) */
  reader: Kysely<Database>
  destroy(): Promise<void>
}

class KyselyStore implements Store {
  readonly engine: Engine
  readonly stats: StoreStats = {
    commits: 0,
    failedCommits: 0,
    writes: 0,
    changes: 0,
    lastCommitMs: 0,
    slowGroups: 0,
  }
  readonly #h: EngineHandles
  readonly #maxMs: number
  readonly #onCommit: ((info: CommitInfo) => void) | undefined
  #queue: PendingWrite[] = []
  #scheduled = false
  #flushing: Promise<void> | null = null
  /** serialises everything that writes: group commits, unit upserts, pruning */
  #writeLock: Promise<unknown> = Promise.resolve()
  /** serialises snapshot reads on the single SQLite reader connection */
  #snapshotLock: Promise<unknown> = Promise.resolve()
  #closed = false
  /** compiled batched inserts by table and row count */
  readonly #compiled = new Map<string, CompiledQuery>()
  #closing: Promise<void> | null = null

  constructor(h: EngineHandles, opts: OpenStoreOptions) {
    this.#h = h
    this.engine = h.engine
    this.#maxMs = opts.groupCommitMaxMs ?? 50
    this.#onCommit = opts.onCommit
  }

  #bool(v: boolean): boolean | number {
    return this.engine === 'sqlite' ? (v ? 1 : 0) : v
  }

  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#writeLock.then(fn, fn)
    this.#writeLock = run.catch(() => undefined)
    return run
  }

  // Group commit ---------------------------------------------------------------------------------

  write(changes: StoredChange[]): Promise<void> {
    if (this.#closed) return Promise.reject(new Error('store is closed'))
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ changes, at: performance.now(), resolve, reject })
      this.#schedule()
    })
  }

  #schedule(): void {
    // A running flush picks the queue up when its commit ends; otherwise start one after this
    // tick so that every write() of the tick joins the group.
    if (this.#scheduled || this.#flushing) return
    this.#scheduled = true
    setImmediate(() => {
      this.#scheduled = false
      this.#flushing = this.#flush().finally(() => {
        this.#flushing = null
        if (this.#queue.length > 0) this.#schedule()
      })
    })
  }

  async #flush(): Promise<void> {
    while (this.#queue.length > 0) {
      const group = this.#queue
      this.#queue = []
      await this.#commitGroup(group)
      // Writes that arrived during that commit form the next group; let this tick's stragglers join.
      if (this.#queue.length > 0) await new Promise((r) => setImmediate(r))
    }
  }

  async #commitGroup(group: PendingWrite[]): Promise<void> {
    const changes = group.length === 1 ? group[0]!.changes : group.flatMap((p) => p.changes)
    let start = 0
    let ok = false
    let error: unknown
    try {
      await this.#exclusive(async () => {
        start = performance.now()
        if (changes.length > 0) {
          await this.#h.writer.transaction().execute((trx) => this.#apply(trx, changes, Date.now()))
        }
      })
      ok = true
    } catch (err) {
      error = err
    }
    const end = performance.now()
    const waitMs = start - group[0]!.at
    const commitMs = end - start
    this.stats.lastCommitMs = commitMs
    // The store never holds a write back on purpose; a group that waited longer than
    // groupCommitMaxMs waited for a slow commit before it, which /metrics should show.
    if (waitMs > this.#maxMs) this.stats.slowGroups++
    if (ok) {
      this.stats.commits++
      this.stats.writes += group.length
      this.stats.changes += changes.length
      for (const p of group) p.resolve()
    } else {
      this.stats.failedCommits++
      for (const p of group) p.reject(error)
    }
    this.#onCommit?.({ ok, writes: group.length, changes: changes.length, waitMs, commitMs })
  }

  /**
   * Multi-row INSERT … ON CONFLICT for `rows` (each an array in `spec.columns` order), in chunks.
   * The statement for a chunk size is built and compiled by Kysely once, then re-run with new
   * parameters: building a 500-row insert costs more than executing it.
   */
  async #insertMany(trx: Transaction<Database>, spec: InsertSpec, rows: unknown[][]): Promise<void> {
    for (let i = 0; i < rows.length; i += CHUNK) {
      const part = rows.length - i < CHUNK ? rows.slice(i) : rows.slice(i, i + CHUNK)
      const key = `${spec.table}:${part.length}`
      let compiled = this.#compiled.get(key)
      if (!compiled) {
        const dummy = Object.fromEntries(spec.columns.map((c) => [c, 0]))
        compiled = spec
          .build(
            this.#h.writer,
            Array.from({ length: part.length }, () => dummy),
          )
          .compile()
        if (compiled.parameters.length !== part.length * spec.columns.length) {
          throw new Error(`unexpected parameter layout for ${spec.table}`)
        }
        this.#compiled.set(key, compiled)
      }
      await trx.executeQuery({ ...compiled, parameters: part.flat() })
    }
  }

  async #apply(trx: Transaction<Database>, changes: StoredChange[], now: number): Promise<void> {
    // Last upsert of an id wins (Map keeps the latest value); history rows keep call order.
    const cameras = new Map<string, unknown[]>()
    const members = new Map<string, unknown[]>()
    const cases = new Map<string, unknown[]>()
    const disputes = new Map<string, unknown[]>()
    const cameraEvents: unknown[][] = []
    const tracks: unknown[][] = []
    const caseEvents: unknown[][] = []
    const disputeEvents: unknown[][] = []
    const n = (v: unknown) => v ?? null
    for (const c of changes) {
      switch (c.kind) {
        case 'camera': {
          const r = c.row
          cameras.set(r.id, [r.id, n(r.name), r.kind, r.lon, r.lat, n(r.gridCode), r.status, r.ts, now])
          if (c.statusChanged) cameraEvents.push([r.id, r.status, r.ts])
          break
        }
        case 'member': {
          const r = c.row
          members.set(r.id, [
            r.id,
            n(r.name),
            n(r.role),
            this.#bool(r.onDuty),
            n(r.gridCode),
            r.lon,
            r.lat,
            n(r.accuracy),
            n(r.speed),
            n(r.heading),
            r.ts,
            now,
          ])
          tracks.push([r.id, r.ts, r.lon, r.lat])
          break
        }
        case 'case': {
          const r = c.row
          cases.set(r.id, [
            r.id,
            r.type,
            r.status,
            n(r.priority),
            n(r.title),
            n(r.source),
            n(r.assignee),
            r.lon,
            r.lat,
            n(r.gridCode),
            r.reportedAt,
            r.ts,
            now,
          ])
          if (c.statusChanged) caseEvents.push([r.id, r.status, r.ts])
          break
        }
        case 'dispute': {
          const r = c.row
          disputes.set(r.id, [
            r.id,
            r.category,
            r.status,
            n(r.title),
            n(r.parties),
            r.lon,
            r.lat,
            n(r.gridCode),
            r.acceptedAt,
            r.ts,
            now,
          ])
          if (c.statusChanged) disputeEvents.push([r.id, r.status, r.ts])
          break
        }
        default:
          throw new Error(`unknown change kind ${String((c as { kind: unknown }).kind)}`)
      }
    }
    // Parents before their history rows (foreign keys).
    await this.#insertMany(trx, INSERTS.cameras, [...cameras.values()])
    await this.#insertMany(trx, INSERTS.cameraEvents, cameraEvents)
    await this.#insertMany(trx, INSERTS.members, [...members.values()])
    await this.#insertMany(trx, INSERTS.tracks, tracks)
    await this.#insertMany(trx, INSERTS.cases, [...cases.values()])
    await this.#insertMany(trx, INSERTS.caseEvents, caseEvents)
    await this.#insertMany(trx, INSERTS.disputes, [...disputes.values()])
    await this.#insertMany(trx, INSERTS.disputeEvents, disputeEvents)
  }

  // Reads ----------------------------------------------------------------------------------------

  async loadAll(): Promise<{ cameras: CameraRow[]; members: MemberRow[]; cases: CaseRow[]; disputes: DisputeRow[] }> {
    // One snapshot across the four tables, so that rebuilt live state is consistent.
    const read = () =>
      (this.engine === 'postgres'
        ? this.#h.reader.transaction().setIsolationLevel('repeatable read')
        : this.#h.reader.transaction()
      ).execute(async (trx) => ({
        cameras: (await trx.selectFrom('cameras').selectAll().orderBy('id').execute()).map(toCamera),
        members: (await trx.selectFrom('members').selectAll().orderBy('id').execute()).map(toMember),
        cases: (await trx.selectFrom('cases').selectAll().orderBy('id').execute()).map(toCase),
        disputes: (await trx.selectFrom('disputes').selectAll().orderBy('id').execute()).map(toDispute),
      }))
    if (this.engine === 'postgres') return read()
    const run = this.#snapshotLock.then(read, read)
    this.#snapshotLock = run.catch(() => undefined)
    return run
  }

  async getCamera(id: string): Promise<CameraRow | undefined> {
    const r = await this.#h.reader.selectFrom('cameras').selectAll().where('id', '=', id).executeTakeFirst()
    return r && toCamera(r)
  }

  async getMember(id: string): Promise<MemberRow | undefined> {
    const r = await this.#h.reader.selectFrom('members').selectAll().where('id', '=', id).executeTakeFirst()
    return r && toMember(r)
  }

  async getCase(id: string): Promise<CaseRow | undefined> {
    const r = await this.#h.reader.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirst()
    return r && toCase(r)
  }

  async getDispute(id: string): Promise<DisputeRow | undefined> {
    const r = await this.#h.reader.selectFrom('disputes').selectAll().where('id', '=', id).executeTakeFirst()
    return r && toDispute(r)
  }

  async listCameras(q: ListCamerasQuery): Promise<Page<CameraRow>> {
    const limit = checkLimit(q.limit)
    const after = decodeCursor(q.cursor)
    let s = this.#h.reader.selectFrom('cameras').selectAll()
    if (q.status !== undefined) s = s.where('status', '=', q.status)
    if (q.gridCode !== undefined) s = s.where('grid_code', '=', q.gridCode)
    if (after !== undefined) s = s.where('id', '>', after)
    const rows = await s
      .orderBy('id')
      .limit(limit + 1)
      .execute()
    return toPage(rows.map(toCamera), limit)
  }

  async listMembers(q: ListMembersQuery): Promise<Page<MemberRow>> {
    const limit = checkLimit(q.limit)
    const after = decodeCursor(q.cursor)
    let s = this.#h.reader.selectFrom('members').selectAll()
    if (q.gridCode !== undefined) s = s.where('grid_code', '=', q.gridCode)
    if (q.onDuty !== undefined) s = s.where('on_duty', '=', this.#bool(q.onDuty))
    if (after !== undefined) s = s.where('id', '>', after)
    const rows = await s
      .orderBy('id')
      .limit(limit + 1)
      .execute()
    return toPage(rows.map(toMember), limit)
  }

  async listCases(q: ListCasesQuery): Promise<Page<CaseRow>> {
    const limit = checkLimit(q.limit)
    const after = decodeCursor(q.cursor)
    let s = this.#h.reader.selectFrom('cases').selectAll()
    if (q.status !== undefined) s = s.where('status', '=', q.status)
    if (q.type !== undefined) s = s.where('type', '=', q.type)
    if (q.gridCode !== undefined) s = s.where('grid_code', '=', q.gridCode)
    if (after !== undefined) s = s.where('id', '>', after)
    const rows = await s
      .orderBy('id')
      .limit(limit + 1)
      .execute()
    return toPage(rows.map(toCase), limit)
  }

  async listDisputes(q: ListDisputesQuery): Promise<Page<DisputeRow>> {
    const limit = checkLimit(q.limit)
    const after = decodeCursor(q.cursor)
    let s = this.#h.reader.selectFrom('disputes').selectAll()
    if (q.status !== undefined) s = s.where('status', '=', q.status)
    if (q.category !== undefined) s = s.where('category', '=', q.category)
    if (q.gridCode !== undefined) s = s.where('grid_code', '=', q.gridCode)
    if (after !== undefined) s = s.where('id', '>', after)
    const rows = await s
      .orderBy('id')
      .limit(limit + 1)
      .execute()
    return toPage(rows.map(toDispute), limit)
  }

  cameraEvents(id: string): Promise<StatusEvent[]> {
    return this.#h.reader
      .selectFrom('camera_status_events')
      .select(['status', 'ts'])
      .where('camera_id', '=', id)
      .orderBy('ts')
      .orderBy('id')
      .execute()
  }

  caseEvents(id: string): Promise<StatusEvent[]> {
    return this.#h.reader
      .selectFrom('case_events')
      .select(['status', 'ts'])
      .where('case_id', '=', id)
      .orderBy('ts')
      .orderBy('id')
      .execute()
  }

  disputeEvents(id: string): Promise<StatusEvent[]> {
    return this.#h.reader
      .selectFrom('dispute_events')
      .select(['status', 'ts'])
      .where('dispute_id', '=', id)
      .orderBy('ts')
      .orderBy('id')
      .execute()
  }

  async allStatusEvents(kind: 'case' | 'dispute'): Promise<EntityStatusEvent[]> {
    // one snapshot of the whole table, ordered as each entity's history
    if (kind === 'case') {
      return this.#h.reader
        .selectFrom('case_events')
        .select(['case_id as id', 'status', 'ts'])
        .orderBy('case_id')
        .orderBy('ts')
        .orderBy('id')
        .execute()
    }
    return this.#h.reader
      .selectFrom('dispute_events')
      .select(['dispute_id as id', 'status', 'ts'])
      .orderBy('dispute_id')
      .orderBy('ts')
      .orderBy('id')
      .execute()
  }

  memberTrack(id: string, sinceTs: number): Promise<TrackPoint[]> {
    return this.#h.reader
      .selectFrom('member_tracks')
      .select(['ts', 'lon', 'lat'])
      .where('member_id', '=', id)
      .where('ts', '>=', sinceTs)
      .orderBy('ts')
      .execute()
  }

  async listUnits(): Promise<UnitRow[]> {
    return (await this.#h.reader.selectFrom('units').selectAll().orderBy('code').execute()).map(toUnit)
  }

  // Other writes ---------------------------------------------------------------------------------

  upsertUnits(units: UnitRow[]): Promise<void> {
    if (this.#closed) return Promise.reject(new Error('store is closed'))
    return this.#exclusive(() =>
      this.#h.writer.transaction().execute(async (trx) => {
        const byCode = new Map(units.map((u) => [u.code, u]))
        for (const part of chunks([...byCode.values()])) {
          await trx
            .insertInto('units')
            .values(
              part.map((u) => ({
                code: u.code,
                name: u.name,
                level: u.level,
                parent: u.parent,
                urban: this.#bool(u.urban),
                area_km2: u.areaKm2,
              })),
            )
            .onConflict((oc) => oc.column('code').doUpdateSet(UNIT_SET))
            .execute()
        }
      }),
    )
  }

  async pruneTracks(olderThanTs: number, batch = PRUNE_BATCH): Promise<number> {
    if (this.#closed) throw new Error('store is closed')
    // In slices, each its own short transaction: group commits go on in between instead of
    // waiting for (on SQLite: the event loop being blocked by) one huge DELETE.
    let total = 0
    for (;;) {
      const deleted = await this.#exclusive(async () => {
        const r = await this.#h.writer
          .deleteFrom('member_tracks')
          .where(({ eb, refTuple, selectFrom }) =>
            eb(
              refTuple('member_id', 'ts'),
              'in',
              selectFrom('member_tracks')
                .select(['member_id', 'ts'])
                .where('ts', '<', olderThanTs)
                .limit(batch)
                .$asTuple('member_id', 'ts'),
            ),
          )
          .executeTakeFirst()
        return Number(r.numDeletedRows)
      })
      total += deleted
      if (deleted < batch) return total
      await new Promise((r) => setImmediate(r))
    }
  }

  close(): Promise<void> {
    this.#closed = true
    this.#closing ??= (async () => {
      // Acknowledge (or reject) everything already accepted, then let go of the database.
      while (this.#scheduled || this.#flushing || this.#queue.length > 0) {
        await (this.#flushing ?? new Promise((r) => setImmediate(r)))
      }
      await this.#writeLock
      await this.#snapshotLock
      await this.#h.destroy()
    })()
    return this.#closing
  }
}

async function migrate(db: Kysely<Database>, engine: Engine): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider(engine) })
  const { error, results } = await migrator.migrateToLatest()
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName
    throw new Error(`database migration ${failed ?? ''} failed: ${String(error)}`, { cause: error })
  }
}

export async function openStore(opts: OpenStoreOptions): Promise<Store> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, types: pgTypes, max: 10 })
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
    try {
      await migrate(db, 'postgres')
    } catch (err) {
      await db.destroy()
      throw err
    }
    return new KyselyStore({ engine: 'postgres', writer: db, reader: db, destroy: () => db.destroy() }, opts)
  }

  mkdirSync(opts.dataDir, { recursive: true })
  const file = join(opts.dataDir, SQLITE_FILE)
  const writer = new Kysely<Database>({
    dialect: new SqliteDialect({ database: cachedSqlite(openSqlite(file, false)) }),
  })
  try {
    await migrate(writer, 'sqlite')
  } catch (err) {
    await writer.destroy()
    throw err
  }
  const reader = new Kysely<Database>({
    dialect: new SqliteDialect({ database: cachedSqlite(openSqlite(file, true)) }),
  })
  return new KyselyStore(
    {
      engine: 'sqlite',
      writer,
      reader,
      async destroy() {
        await reader.destroy()
        await writer.destroy()
      },
    },
    opts,
  )
}
