/**
 * Everything that writes, over one Kysely connection: the group transaction of ingested changes,
 * unit upserts, track pruning and raw compiled statements. It runs where the write connection lives:
 * on the main thread for PostgreSQL (pg is asynchronous), in the writer thread for SQLite
 * (better-sqlite3 blocks its thread for the whole transaction, fsync included).
 */
import { performance } from 'node:perf_hooks'
import { CompiledQuery, sql, type Compilable, type Kysely, type RawBuilder, type Transaction } from 'kysely'
import type { Database } from './schema.ts'
import type { Engine, RawStatement, StoredChange, UnitRow } from './types.ts'

/** rows per multi-row INSERT: well under SQLite's 32766 and PostgreSQL's 65535 bind parameters */
const CHUNK = 500

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

export class WriteRunner {
  readonly #db: Kysely<Database>
  readonly #engine: Engine
  /** compiled batched inserts by table and row count */
  readonly #compiled = new Map<string, CompiledQuery>()

  constructor(db: Kysely<Database>, engine: Engine) {
    this.#db = db
    this.#engine = engine
  }

  #bool(v: boolean): boolean | number {
    return this.#engine === 'sqlite' ? (v ? 1 : 0) : v
  }

  /** One group transaction (BEGIN … COMMIT); resolves with its duration in ms once committed. */
  async commit(changes: StoredChange[], now: number): Promise<number> {
    const start = performance.now()
    if (changes.length > 0) await this.#db.transaction().execute((trx) => this.#apply(trx, changes, now))
    return performance.now() - start
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
            this.#db,
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

  upsertUnits(units: UnitRow[]): Promise<void> {
    return this.#db.transaction().execute(async (trx) => {
      const byCode = [...new Map(units.map((u) => [u.code, u])).values()]
      for (let i = 0; i < byCode.length; i += CHUNK) {
        await trx
          .insertInto('units')
          .values(
            byCode.slice(i, i + CHUNK).map((u) => ({
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
    })
  }

  /** Deletes up to `batch` track points with ts < olderThanTs; returns how many. */
  async pruneSlice(olderThanTs: number, batch: number): Promise<number> {
    const r = await this.#db
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
  }

  /** Runs the statements in one transaction, in order; returns the rows changed by each. */
  execute(statements: readonly RawStatement[]): Promise<number[]> {
    return this.#db.transaction().execute(async (trx) => {
      const changed: number[] = []
      for (const s of statements) {
        const r = await trx.executeQuery(CompiledQuery.raw(s.sql, [...s.parameters]))
        changed.push(Number(r.numAffectedRows ?? 0))
      }
      return changed
    })
  }
}
