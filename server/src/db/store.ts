/**
 * The Store over Kysely: SQLite (better-sqlite3; default) or PostgreSQL (pg) — same queries,
 * same results. Writes go through a group commit: every write() that arrives in the same tick, or
 * while the previous group is committing, joins one transaction, and is acknowledged only after
 * COMMIT returned (SQLite: WAL + synchronous=FULL, PostgreSQL: synchronous_commit on).
 * On SQLite the transactions run in a writer thread that owns the write connection (writer.ts);
 * this thread keeps a read-only connection for queries.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import pg from 'pg'
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely'
import { Migrator } from 'kysely/migration'
import { migrationProvider } from './migrations/index.ts'
import type { CamerasTable, CasesTable, Database, DisputesTable, MembersTable, UnitsTable } from './schema.ts'
import { cachedSqlite, openSqlite, SQLITE_FILE } from './sqlite.ts'
import { WriteRunner } from './write-runner.ts'
import { inlineWriter, threadWriter, type Writer } from './writer.ts'
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
  RawStatement,
  StatusEvent,
  Store,
  StoreStats,
  StoredChange,
  TrackPoint,
  UnitRow,
} from './types.ts'

export { SQLITE_FILE }
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
  /** runs every write: group transactions, units, pruning (SQLite: in its own thread) */
  writer: Writer
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
    let commitMs = 0
    let ok = false
    let error: unknown
    try {
      await this.#exclusive(async () => {
        start = performance.now()
        if (changes.length > 0) commitMs = await this.#h.writer.commit(changes, Date.now())
      })
      ok = true
    } catch (err) {
      error = err
      commitMs = performance.now() - start
    }
    const waitMs = start - group[0]!.at
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
    if (q.within !== undefined) s = s.where('grid_code', 'like', `${unitCodeOnly(q.within)}%`)
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
    if (q.within !== undefined) s = s.where('grid_code', 'like', `${unitCodeOnly(q.within)}%`)
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
    if (q.within !== undefined) s = s.where('grid_code', 'like', `${unitCodeOnly(q.within)}%`)
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
    if (q.within !== undefined) s = s.where('grid_code', 'like', `${unitCodeOnly(q.within)}%`)
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

  async escalatedDisputes(ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return []
    const rows = await this.#h.reader
      .selectFrom('dispute_events')
      .select('dispute_id')
      .distinct()
      .where('status', '=', 'escalated')
      .where('dispute_id', 'in', ids)
      .orderBy('dispute_id')
      .execute()
    return rows.map((r) => r.dispute_id)
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
    return this.#exclusive(() => this.#h.writer.upsertUnits(units))
  }

  execute(statements: readonly RawStatement[]): Promise<number[]> {
    if (this.#closed) return Promise.reject(new Error('store is closed'))
    return this.#exclusive(() => this.#h.writer.execute(statements))
  }

  async pruneTracks(olderThanTs: number, batch = PRUNE_BATCH): Promise<number> {
    if (this.#closed) throw new Error('store is closed')
    // In slices, each its own short transaction: group commits go on in between instead of
    // waiting for one huge DELETE.
    let total = 0
    for (;;) {
      const deleted = await this.#exclusive(() => this.#h.writer.pruneSlice(olderThanTs, batch))
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
    // The pool serves reads and writes; the writer shares it and closes with it.
    const writer = inlineWriter(new WriteRunner(db, 'postgres'), async () => {})
    return new KyselyStore({ engine: 'postgres', writer, reader: db, destroy: () => db.destroy() }, opts)
  }

  mkdirSync(opts.dataDir, { recursive: true })
  const file = join(opts.dataDir, SQLITE_FILE)
  const main = new Kysely<Database>({
    dialect: new SqliteDialect({ database: cachedSqlite(openSqlite(file, false)) }),
  })
  let writer: Writer
  try {
    await migrate(main, 'sqlite')
    if (opts.sqliteWriter === 'main') {
      writer = inlineWriter(new WriteRunner(main, 'sqlite'), () => main.destroy())
    } else {
      // Migrated: hand the database to the writer thread, the only write connection from now on.
      await main.destroy()
      writer = await threadWriter(file)
    }
  } catch (err) {
    await main.destroy()
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
        await writer.close()
      },
    },
    opts,
  )
}

/** Unit codes are digits; anything else would change what a LIKE pattern matches. */
function unitCodeOnly(code: string): string {
  if (!/^\d+$/.test(code)) throw new Error(`not a unit code: ${JSON.stringify(code)}`)
  return code
}
