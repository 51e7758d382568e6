/**
 * Persistence of alerts and their history (tables from migration 002_alerts). Written only on
 * lifecycle transitions, in order, off the hot path: the engine decides in memory and queues.
 *
 * Writes go through the entity store's generic write path (`Store.execute`: on SQLite the writer
 * thread, in order with the group commits), so the main thread never waits on SQLite's write lock
 * or fsync. Reads use a connection of their own (read-only on SQLite). Queries are built once with
 * Kysely for both engines.
 */
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import pg from 'pg'
import {
  DummyDriver,
  Kysely,
  PostgresDialect,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type CompiledQuery,
  type Compilable,
} from 'kysely'
import type { Store } from '../db/types.ts'
import type { Alert, AlertAction, AlertHistoryEntry, AlertListQuery } from '@gridsight/shared'
import { SQLITE_FILE } from '../db/index.ts'

interface AlertsTable {
  id: string
  rule: string
  severity: string
  state: string
  unit_code: string
  subject_kind: string
  subject_id: string
  lon: number | null
  lat: number | null
  raised_at: number
  last_at: number
  count: number
  message_zh: string
  message_en: string
  ack_by: string | null
  ack_at: number | null
  resolved_at: number | null
  resolved_by: string | null
  note: string | null
}
interface AlertEventsTable {
  id?: number
  alert_id: string
  at: number
  action: string
  by_user: string | null
  from_addr: string | null
  note: string | null
}
interface AlertsDb {
  alerts: AlertsTable
  alert_events: AlertEventsTable
}

export interface AlertEventInput {
  action: AlertAction
  at: number
  by: string | null
  from: string | null
  note: string | null
}

const toRow = (a: Alert): AlertsTable => ({
  id: a.id,
  rule: a.rule,
  severity: a.severity,
  state: a.state,
  unit_code: a.unitCode,
  subject_kind: a.subject.kind,
  subject_id: a.subject.id,
  lon: a.lon,
  lat: a.lat,
  raised_at: a.raisedAt,
  last_at: a.lastAt,
  count: a.count,
  message_zh: a.message.zh,
  message_en: a.message.en,
  ack_by: a.ackBy,
  ack_at: a.ackAt,
  resolved_at: a.resolvedAt,
  resolved_by: a.resolvedBy,
  note: a.note,
})

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v))

const fromRow = (r: AlertsTable): Alert => ({
  id: r.id,
  rule: r.rule as Alert['rule'],
  severity: r.severity as Alert['severity'],
  state: r.state as Alert['state'],
  unitCode: r.unit_code,
  subject: { kind: r.subject_kind as Alert['subject']['kind'], id: r.subject_id },
  lon: num(r.lon),
  lat: num(r.lat),
  raisedAt: Number(r.raised_at),
  lastAt: Number(r.last_at),
  count: Number(r.count),
  message: { zh: r.message_zh, en: r.message_en },
  ackBy: r.ack_by,
  ackAt: num(r.ack_at),
  resolvedAt: num(r.resolved_at),
  resolvedBy: r.resolved_by,
  note: r.note,
})

export class AlertStore {
  private readonly qb: Kysely<AlertsDb>
  private readonly sqlite: BetterSqlite3.Database | null
  private readonly writer: Pick<Store, 'execute'>
  private tail: Promise<void> = Promise.resolve()
  /** writes that failed (logged by the caller's onError) */
  failures = 0

  private constructor(qb: Kysely<AlertsDb>, sqlite: BetterSqlite3.Database | null, writer: Pick<Store, 'execute'>) {
    this.qb = qb
    this.sqlite = sqlite
    this.writer = writer
  }

  /** `writer`: the entity store (its tables, migration 002, already exist when this opens) */
  static open(opts: { dataDir: string; databaseUrl?: string; writer: Pick<Store, 'execute'> }): AlertStore {
    if (opts.databaseUrl) {
      const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 2 })
      return new AlertStore(new Kysely<AlertsDb>({ dialect: new PostgresDialect({ pool }) }), null, opts.writer)
    }
    const db = new BetterSqlite3(join(opts.dataDir, SQLITE_FILE), { readonly: true, fileMustExist: true })
    const qb = new Kysely<AlertsDb>({
      dialect: {
        createAdapter: () => new SqliteAdapter(),
        createDriver: () => new DummyDriver(),
        createIntrospector: (k) => new SqliteIntrospector(k),
        createQueryCompiler: () => new SqliteQueryCompiler(),
      },
    })
    return new AlertStore(qb, db, opts.writer)
  }

  private async all<T>(q: Compilable): Promise<T[]> {
    const c = q.compile()
    if (this.sqlite) return this.sqlite.prepare(c.sql).all(...(c.parameters as unknown[])) as T[]
    return (await this.qb.executeQuery(c)).rows as T[]
  }

  private async commit(queries: CompiledQuery[]): Promise<void> {
    await this.writer.execute(queries)
  }

  /** Queues an upsert of the alert and one history entry; writes run one at a time, in order. */
  save(alert: Alert, event: AlertEventInput, isNew: boolean): Promise<void> {
    const row = toRow(alert)
    const { id, ...rest } = row
    const upsert = isNew
      ? this.qb.insertInto('alerts').values(row).compile()
      : this.qb.updateTable('alerts').set(rest).where('id', '=', id).compile()
    const ev = this.qb
      .insertInto('alert_events')
      .values({
        alert_id: alert.id,
        at: event.at,
        action: event.action,
        by_user: event.by,
        from_addr: event.from,
        note: event.note,
      })
      .compile()
    const run = this.tail.then(() => this.commit([upsert, ev]))
    this.tail = run.catch(() => {
      this.failures++
    })
    return run
  }

  /** resolves when every queued write has been attempted */
  idle(): Promise<void> {
    return this.tail
  }

  async loadOpen(): Promise<Alert[]> {
    const rows = await this.all<AlertsTable>(
      this.qb.selectFrom('alerts').selectAll().where('state', '!=', 'resolved').orderBy('raised_at').orderBy('id'),
    )
    return rows.map(fromRow)
  }

  /**
   * rule|subject keys whose latest alert (resolved since `sinceMs`) an operator resolved by hand:
   * not to be raised again at start while their condition still holds.
   */
  async loadManuallyResolved(sinceMs: number): Promise<{ rule: string; subjectId: string }[]> {
    const rows = await this.all<Pick<AlertsTable, 'rule' | 'subject_id' | 'resolved_by'>>(
      this.qb
        .selectFrom('alerts')
        .select(['rule', 'subject_id', 'resolved_by'])
        .where('state', '=', 'resolved')
        .where('resolved_at', '>=', sinceMs)
        .orderBy('raised_at')
        .orderBy('id'),
    )
    const latest = new Map<string, { rule: string; subjectId: string; manual: boolean }>()
    for (const r of rows) {
      latest.set(`${r.rule}|${r.subject_id}`, { rule: r.rule, subjectId: r.subject_id, manual: r.resolved_by !== null })
    }
    return [...latest.values()].filter((r) => r.manual).map(({ rule, subjectId }) => ({ rule, subjectId }))
  }

  async get(id: string): Promise<{ alert: Alert; history: AlertHistoryEntry[] } | undefined> {
    await this.idle()
    const [row] = await this.all<AlertsTable>(this.qb.selectFrom('alerts').selectAll().where('id', '=', id))
    if (!row) return undefined
    const events = await this.all<AlertEventsTable>(
      this.qb.selectFrom('alert_events').selectAll().where('alert_id', '=', id).orderBy('id'),
    )
    return {
      alert: fromRow(row),
      history: events.map((e) => ({
        at: Number(e.at),
        action: e.action as AlertAction,
        by: e.by_user,
        from: e.from_addr,
        note: e.note,
      })),
    }
  }

  async list(q: AlertListQuery): Promise<{ items: Alert[]; nextOffset: number | null }> {
    await this.idle()
    const limit = q.limit ?? 50
    const offset = q.offset ?? 0
    let s = this.qb.selectFrom('alerts').selectAll()
    if (q.state === 'open') s = s.where('state', '!=', 'resolved')
    else if (q.state) s = s.where('state', '=', q.state)
    if (q.severity) s = s.where('severity', '=', q.severity)
    if (q.rule) s = s.where('rule', '=', q.rule)
    // unit codes are digits only (schema pattern), so the prefix needs no LIKE escaping
    if (q.unit) s = s.where('unit_code', 'like', `${q.unit}%`)
    const rows = await this.all<AlertsTable>(
      s
        .orderBy('raised_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit + 1)
        .offset(offset),
    )
    return {
      items: rows.slice(0, limit).map(fromRow),
      nextOffset: rows.length > limit ? offset + limit : null,
    }
  }

  async close(): Promise<void> {
    await this.idle()
    if (this.sqlite) this.sqlite.close()
    await this.qb.destroy()
  }
}
