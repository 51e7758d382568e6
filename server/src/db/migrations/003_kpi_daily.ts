/**
 * 003: the KPI figures of each non-grid unit per local day (the latest written that day; the
 * closing figures once the day is over), so that rankings keep their "change since yesterday"
 * across a restart (server/src/kpi/kpi-db.ts).
 */
import { sql, type Kysely } from 'kysely'
import type { Migration } from 'kysely/migration'
import type { Engine } from '../types.ts'

export function kpiDaily(engine: Engine): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('kpi_daily')
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('unit_code', 'text', (c) => c.notNull())
        // JSON object: KPI field → value (null where undefined); names, not positions, so that a
        // later field list still reads an old row
        .addColumn('figures', 'text', (c) => c.notNull())
        .addColumn('updated_at', engine === 'postgres' ? 'bigint' : 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('kpi_daily_pk', ['day', 'unit_code'])
        .modifyEnd(engine === 'sqlite' ? sql`strict` : sql``)
        .execute()
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('kpi_daily').execute()
    },
  }
}
