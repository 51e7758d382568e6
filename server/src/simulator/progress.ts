/**
 * How far the pre-rolled history got, kept in the database (migration 005: simulator_state), so
 * that a restart in the middle of it — the city's history takes a minute or more — sends the rest
 * instead of leaving it cut short.
 *
 * The history is deterministic: the same seed, region, scale and first-start instant give the same
 * items in the same order per kind, however they are cut into steps. The record holds those, and
 * per kind the number of history items sent and the last of them; a restart makes the same history
 * again, skips what was sent (checking that the last one sent is where it should be: a changed
 * simulator makes another history, which is then not resumed) and sends the rest. Progress is
 * written after the items it counts are committed, in order with the ingest commits; a crash may
 * lose the last few records, and the items they counted are sent again — ingest ignores an item
 * that is not newer than what it holds, so that costs time, not data.
 */
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely'
import pg from 'pg'
import type { IngestKind } from '@gridsight/shared'
import { SQLITE_FILE, type Engine, type Store } from '../db/index.ts'
import { INGEST_KINDS } from './runner.ts'

export interface PrerollRecord {
  /** what the history depends on: a record for another seed, region or scale is not resumed */
  seed: number
  region: string
  scale: string
  /** the first start's instant, where the history ends */
  start: number
  /** history items sent (and committed) per kind, in the simulator's order */
  sent: Record<IngestKind, number>
  /** the last of them, `${id}@${ts}` */
  last: Record<IngestKind, string | null>
  /** the whole history is sent */
  done: boolean
}

const KEY = 'preroll'

export function newRecord(o: { seed: number; region: string; scale: string; start: number }): PrerollRecord {
  return {
    ...o,
    sent: { cameras: 0, members: 0, cases: 0, disputes: 0 },
    last: { cameras: null, members: null, cases: null, disputes: null },
    done: false,
  }
}

const mark = (item: unknown) => {
  const { id, ts } = item as { id?: unknown; ts?: unknown }
  return `${String(id)}@${String(ts)}`
}

/**
 * Follows a history as it is sent: `pending` drops from a step's items those an earlier run sent
 * already; `sent` counts the ones committed now.
 */
export class PrerollProgress {
  readonly record: PrerollRecord
  /** per kind, history items of an earlier run still to be skipped */
  private readonly skip: Record<IngestKind, number>

  constructor(record: PrerollRecord) {
    this.record = record
    this.skip = { ...record.sent }
  }

  /** true while items sent by an earlier run are still being skipped */
  get skipping(): boolean {
    return INGEST_KINDS.some((k) => this.skip[k] > 0)
  }

  /**
   * The items of `kind` in this step still to send. Throws when the last item an earlier run sent
   * is not where this history has it (another history: a changed simulator or pack).
   */
  pending<T>(kind: IngestKind, items: readonly T[]): readonly T[] {
    const n = Math.min(this.skip[kind], items.length)
    if (n === 0) return items
    this.skip[kind] -= n
    if (this.skip[kind] === 0 && mark(items[n - 1]) !== this.record.last[kind]) {
      throw new Error(
        `the history differs from the one sent before: its ${kind} item ${this.record.sent[kind]} is ${mark(items[n - 1])}, not ${this.record.last[kind]}`,
      )
    }
    return items.slice(n)
  }

  /** `items` of `kind` are committed */
  sent(kind: IngestKind, items: readonly unknown[]): void {
    if (items.length === 0) return
    this.record.sent[kind] += items.length
    this.record.last[kind] = mark(items[items.length - 1])
  }
}

interface StateTable {
  key: string
  value: string
  updated_at: number
}

/** Reads the record once at start (a connection of its own), writes through the entity store. */
export class SimulatorStateStore {
  private readonly qb: Kysely<{ simulator_state: StateTable }>
  private readonly writer: Pick<Store, 'execute'>
  private tail: Promise<void> = Promise.resolve()

  constructor(engine: Engine, writer: Pick<Store, 'execute'>) {
    this.writer = writer
    const pgEngine = engine === 'postgres'
    this.qb = new Kysely({
      dialect: {
        createAdapter: () => (pgEngine ? new PostgresAdapter() : new SqliteAdapter()),
        createDriver: () => new DummyDriver(),
        createIntrospector: (k) => (pgEngine ? new PostgresIntrospector(k) : new SqliteIntrospector(k)),
        createQueryCompiler: () => (pgEngine ? new PostgresQueryCompiler() : new SqliteQueryCompiler()),
      },
    })
  }

  /** the pre-roll record, null when there is none (a fresh database, or one from before records) */
  static async load(opts: { dataDir: string; databaseUrl?: string | undefined }): Promise<PrerollRecord | null> {
    let value: string | undefined
    if (opts.databaseUrl) {
      const client = new pg.Client({ connectionString: opts.databaseUrl })
      await client.connect()
      try {
        const res = await client.query<{ value: string }>('select value from simulator_state where key = $1', [KEY])
        value = res.rows[0]?.value
      } finally {
        await client.end()
      }
    } else {
      const db = new BetterSqlite3(join(opts.dataDir, SQLITE_FILE), { readonly: true, fileMustExist: true })
      try {
        const row = db.prepare('select value from simulator_state where key = ?').get(KEY) as
          { value: string } | undefined
        value = row?.value
      } finally {
        db.close()
      }
    }
    return value === undefined ? null : (JSON.parse(value) as PrerollRecord)
  }

  /**
   * Queues a write of the record as it is now (one at a time, in order with the ingest commits);
   * the promise settles when it is committed.
   */
  save(record: PrerollRecord): Promise<void> {
    const row = { key: KEY, value: JSON.stringify(record), updated_at: Date.now() }
    const q = this.qb
      .insertInto('simulator_state')
      .values(row)
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: row.value, updated_at: row.updated_at }))
      .compile()
    const run = this.tail.then(() => this.writer.execute([q])).then(() => undefined)
    this.tail = run.catch(() => undefined)
    return run
  }
}
