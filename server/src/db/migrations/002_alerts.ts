/**
 * 002: alerts (issue 8) — one row per alert with its current lifecycle state, and an append-only
 * history of every transition (audit: who acknowledged or resolved it, when, from where).
 * Written only on lifecycle transitions (server/src/alerts/store.ts), never per state change.
 */
import { sql, type Kysely } from 'kysely'
import type { Migration } from 'kysely/migration'
import type { Engine } from '../types.ts'

export function alerts(engine: Engine): Migration {
  const pg = engine === 'postgres'
  const id = pg ? sql`text collate "C"` : sql`text`
  const ms = pg ? 'bigint' : 'integer'
  const real = pg ? 'double precision' : 'real'
  const strict = pg ? sql`` : sql`strict`
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('alerts')
        .addColumn('id', id, (c) => c.primaryKey())
        .addColumn('rule', 'text', (c) => c.notNull())
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('unit_code', id, (c) => c.notNull())
        .addColumn('subject_kind', 'text', (c) => c.notNull())
        .addColumn('subject_id', id, (c) => c.notNull())
        .addColumn('lon', real)
        .addColumn('lat', real)
        .addColumn('raised_at', ms, (c) => c.notNull())
        .addColumn('last_at', ms, (c) => c.notNull())
        .addColumn('count', 'integer', (c) => c.notNull())
        .addColumn('message_zh', 'text', (c) => c.notNull())
        .addColumn('message_en', 'text', (c) => c.notNull())
        .addColumn('ack_by', 'text')
        .addColumn('ack_at', ms)
        .addColumn('resolved_at', ms)
        .addColumn('resolved_by', 'text')
        .addColumn('note', 'text')
        .addCheckConstraint('alerts_state', sql`state in ('raised', 'acknowledged', 'resolved')`)
        .addCheckConstraint('alerts_severity', sql`severity in ('P1', 'P2', 'P3')`)
        .modifyEnd(strict)
        .execute()
      await db.schema.createIndex('alerts_state').on('alerts').columns(['state']).execute()
      await db.schema.createIndex('alerts_raised_at').on('alerts').columns(['raised_at']).execute()

      const events = pg
        ? db.schema
            .createTable('alert_events')
            .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
        : db.schema.createTable('alert_events').addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      await events
        .addColumn('alert_id', id, (c) => c.notNull().references('alerts.id').onDelete('cascade'))
        .addColumn('at', ms, (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('by_user', 'text')
        .addColumn('from_addr', 'text')
        .addColumn('note', 'text')
        .modifyEnd(strict)
        .execute()
      await db.schema.createIndex('alert_events_alert').on('alert_events').columns(['alert_id', 'id']).execute()
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('alert_events').execute()
      await db.schema.dropTable('alerts').execute()
    },
  }
}
