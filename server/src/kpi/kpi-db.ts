/**
 * The KPI module's own reads and writes, on its own connection to the same database (the Store's
 * handles are private to it and its writes may run in another thread): camera status transitions
 * for the online-rate history at start-up, and the daily figures (`kpi_daily`, migration 003)
 * for rankings' change since yesterday. The tables are created by the Store's migrations.
 */
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely'
import pg from 'pg'
import { SQLITE_FILE } from '../db/index.ts'

interface KpiTables {
  camera_status_events: { id: number; camera_id: string; status: string; ts: number }
  kpi_daily: { day: string; unit_code: string; figures: string; updated_at: number }
}

export interface CameraTransition {
  id: string
  status: string
  ts: number
}

export type DailyFigures = Record<string, number | null>

export class KpiDb {
  private readonly db: Kysely<KpiTables>

  constructor(db: Kysely<KpiTables>) {
    this.db = db
  }

  static open(opts: { dataDir: string; databaseUrl?: string | undefined }): KpiDb {
    if (opts.databaseUrl) {
      const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 2 })
      return new KpiDb(new Kysely<KpiTables>({ dialect: new PostgresDialect({ pool }) }))
    }
    const sqlite = new BetterSqlite3(join(opts.dataDir, SQLITE_FILE))
    // the Store's writer holds the write lock for a group commit at most briefly
    sqlite.pragma('busy_timeout = 5000')
    return new KpiDb(new Kysely<KpiTables>({ dialect: new SqliteDialect({ database: sqlite }) }))
  }

  /**
   * Camera status transitions for the online-rate history since `since`: each camera's last
   * status before `since` (its state when the history starts; cameras without one did not exist
   * yet) and every transition from `since` on, ascending ts (then event id).
   */
  async cameraTransitions(since: number): Promise<{ before: CameraTransition[]; after: CameraTransition[] }> {
    const last = this.db
      .selectFrom('camera_status_events')
      .select(['camera_id', (eb) => eb.fn.max('id').as('last_id')])
      .where('ts', '<', since)
      .groupBy('camera_id')
      .as('m')
    const [before, after] = await Promise.all([
      this.db
        .selectFrom('camera_status_events as e')
        .innerJoin(last, 'm.last_id', 'e.id')
        .select(['e.camera_id as id', 'e.status', 'e.ts'])
        .execute(),
      this.db
        .selectFrom('camera_status_events')
        .select(['camera_id as id', 'status', 'ts'])
        .where('ts', '>=', since)
        .orderBy('ts')
        .orderBy('id')
        .execute(),
    ])
    const num = (rows: CameraTransition[]) => rows.map((r) => ({ id: r.id, status: r.status, ts: Number(r.ts) }))
    return { before: num(before), after: num(after) }
  }

  /** the figures of `day` (YYYY-MM-DD, local) by unit code */
  async loadDaily(day: string): Promise<Map<string, DailyFigures>> {
    const rows = await this.db.selectFrom('kpi_daily').select(['unit_code', 'figures']).where('day', '=', day).execute()
    return new Map(rows.map((r) => [r.unit_code, JSON.parse(r.figures) as DailyFigures]))
  }

  /** writes (or replaces) the figures of `day` for the given units */
  async saveDaily(day: string, figures: Map<string, DailyFigures>, now: number): Promise<void> {
    const rows = [...figures].map(([code, f]) => ({
      day,
      unit_code: code,
      figures: JSON.stringify(f),
      updated_at: now,
    }))
    await this.db.transaction().execute(async (trx) => {
      for (let k = 0; k < rows.length; k += 200) {
        await trx
          .insertInto('kpi_daily')
          .values(rows.slice(k, k + 200))
          .onConflict((oc) =>
            oc.columns(['day', 'unit_code']).doUpdateSet((eb) => ({
              figures: eb.ref('excluded.figures'),
              updated_at: eb.ref('excluded.updated_at'),
            })),
          )
          .execute()
      }
    })
  }

  close(): Promise<void> {
    return this.db.destroy()
  }
}
