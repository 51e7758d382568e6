/**
 * 001: registry, event and track tables.
 * One schema for both engines; only the column types differ (see `columnTypes`).
 * SQLite tables are STRICT so that a wrong type fails as it would in PostgreSQL.
 */
import { sql, type Kysely } from 'kysely'
import type { Migration } from 'kysely/migration'
import type { Engine } from '../types.ts'

export const CAMERA_KINDS = ['public', 'social'] as const
export const CAMERA_STATUSES = ['online', 'offline', 'fault'] as const
export const CASE_STATUSES = ['reported', 'dispatched', 'handling', 'resolved', 'closed'] as const
export const DISPUTE_STATUSES = ['accepted', 'assigned', 'mediating', 'resolved', 'unresolved', 'escalated'] as const

const oneOf = (column: string, values: readonly string[]) =>
  sql.raw(`${column} in (${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ')})`)
const lonLat = sql`lon between -180 and 180 and lat between -90 and 90`

function columnTypes(engine: Engine) {
  return engine === 'postgres'
    ? {
        // Byte-order collation: ids sort (and page) exactly as in SQLite, whatever the database locale.
        id: sql`text collate "C"`,
        text: 'text' as const,
        ms: 'bigint' as const,
        real: 'double precision' as const,
        int: 'integer' as const,
        bool: 'boolean' as const,
      }
    : {
        id: 'text' as const,
        text: 'text' as const,
        ms: 'integer' as const,
        real: 'real' as const,
        int: 'integer' as const,
        bool: 'integer' as const,
      }
}

export function initial(engine: Engine): Migration {
  const t = columnTypes(engine)
  const strict = engine === 'sqlite' ? sql`strict` : sql``
  // Autoincrementing event id: monotonic, never reused.
  const serial = (db: Kysely<unknown>, table: string) =>
    engine === 'postgres'
      ? db.schema.createTable(table).addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
      : db.schema.createTable(table).addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
  const bool01 = (column: string) => (engine === 'sqlite' ? sql.raw(`${column} in (0, 1)`) : sql`true`)

  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('units')
        .addColumn('code', t.id, (c) => c.primaryKey())
        .addColumn('name', t.text, (c) => c.notNull())
        .addColumn('level', t.text, (c) => c.notNull())
        .addColumn('parent', t.id)
        .addColumn('urban', t.bool, (c) => c.notNull())
        .addColumn('area_km2', t.real, (c) => c.notNull())
        .addCheckConstraint('units_urban', bool01('urban'))
        .modifyEnd(strict)
        .execute()
      await db.schema.createIndex('units_parent').on('units').columns(['parent']).execute()

      // cameras --------------------------------------------------------------------------------
      await db.schema
        .createTable('cameras')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('name', t.text)
        .addColumn('kind', t.text, (c) => c.notNull())
        .addColumn('lon', t.real, (c) => c.notNull())
        .addColumn('lat', t.real, (c) => c.notNull())
        .addColumn('grid_code', t.id)
        .addColumn('status', t.text, (c) => c.notNull())
        .addColumn('ts', t.ms, (c) => c.notNull())
        .addColumn('updated_at', t.ms, (c) => c.notNull())
        .addCheckConstraint('cameras_kind', oneOf('kind', CAMERA_KINDS))
        .addCheckConstraint('cameras_status', oneOf('status', CAMERA_STATUSES))
        .addCheckConstraint('cameras_lon_lat', lonLat)
        .modifyEnd(strict)
        .execute()
      await db.schema.createIndex('cameras_status_id').on('cameras').columns(['status', 'id']).execute()
      await db.schema.createIndex('cameras_grid_id').on('cameras').columns(['grid_code', 'id']).execute()

      await serial(db, 'camera_status_events')
        .addColumn('camera_id', t.id, (c) => c.notNull().references('cameras.id').onDelete('cascade'))
        .addColumn('status', t.text, (c) => c.notNull())
        .addColumn('ts', t.ms, (c) => c.notNull())
        .addCheckConstraint('camera_status_events_status', oneOf('status', CAMERA_STATUSES))
        .modifyEnd(strict)
        .execute()
      // Unique: a re-sent transition is not recorded twice (ON CONFLICT DO NOTHING); also serves history reads.
      await db.schema
        .createIndex('camera_status_events_key')
        .on('camera_status_events')
        .columns(['camera_id', 'ts', 'status'])
        .unique()
        .execute()

      // members --------------------------------------------------------------------------------
      await db.schema
        .createTable('members')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('name', t.text)
        .addColumn('role', t.text)
        .addColumn('on_duty', t.bool, (c) => c.notNull())
        .addColumn('grid_code', t.id)
        .addColumn('lon', t.real, (c) => c.notNull())
        .addColumn('lat', t.real, (c) => c.notNull())
        .addColumn('accuracy', t.real)
        .addColumn('speed', t.real)
        .addColumn('heading', t.real)
        .addColumn('ts', t.ms, (c) => c.notNull())
        .addColumn('updated_at', t.ms, (c) => c.notNull())
        .addCheckConstraint('members_on_duty', bool01('on_duty'))
        .addCheckConstraint('members_lon_lat', lonLat)
        .modifyEnd(strict)
        .execute()
      await db.schema.createIndex('members_grid_id').on('members').columns(['grid_code', 'id']).execute()
      await db.schema.createIndex('members_on_duty_id').on('members').columns(['on_duty', 'id']).execute()

      await db.schema
        .createTable('member_tracks')
        .addColumn('member_id', t.id, (c) => c.notNull().references('members.id').onDelete('cascade'))
        .addColumn('ts', t.ms, (c) => c.notNull())
        .addColumn('lon', t.real, (c) => c.notNull())
        .addColumn('lat', t.real, (c) => c.notNull())
        // (member_id, ts) is the track index and makes a re-sent position a no-op.
        .addPrimaryKeyConstraint('member_tracks_pk', ['member_id', 'ts'])
        .addCheckConstraint('member_tracks_lon_lat', lonLat)
        .modifyEnd(engine === 'sqlite' ? sql`without rowid, strict` : sql``)
        .execute()
      // Retention pruning deletes by ts alone.
      await db.schema.createIndex('member_tracks_ts').on('member_tracks').columns(['ts']).execute()

      // cases ----------------------------------------------------------------------------------
      await db.schema
        .createTable('cases')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('type', t.text, (c) => c.notNull())
        .addColumn('status', t.text, (c) => c.notNull())
        .addColumn('priority', t.int)
        .addColumn('title', t.text)
        .addColumn('source', t.text)
        .addColumn('assignee', t.text)
        .addColumn('lon', t.real, (c) => c.notNull())
        .addColumn('lat', t.real, (c) => c.notNull())
        .addColumn('grid_code', t.id)
        .addColumn('reported_at', t.ms, (c) => c.notNull())
        .addColumn('ts', t.ms, (c) => c.notNull())
        .addColumn('updated_at', t.ms, (c) => c.notNull())
        .addCheckConstraint('cases_status', oneOf('status', CASE_STATUSES))
        .addCheckConstraint('cases_priority', sql`priority between 1 and 3`)
        .addCheckConstraint('cases_lon_lat', lonLat)
        .modifyEnd(strict)
        .execute()
      await db.schema.createIndex('cases_status_id').on('cases').columns(['status', 'id']).execute()
      await db.schema.createIndex('cases_type_id').on('cases').columns(['type', 'id']).execute()
      await db.schema.createIndex('cases_grid_id').on('cases').columns(['grid_code', 'id']).execute()
      await db.schema.createIndex('cases_ts').on('cases').columns(['ts']).execute()

      await serial(db, 'case_events')
        .addColumn('case_id', t.id, (c) => c.notNull().references('cases.id').onDelete('cascade'))
        .addColumn('status', t.text, (c) => c.notNull())
        .addColumn('ts', t.ms, (c) => c.notNull())
        .addCheckConstraint('case_events_status', oneOf('status', CASE_STATUSES))
        .modifyEnd(strict)
        .execute()
      await db.schema
        .createIndex('case_events_key')
        .on('case_events')
        .columns(['case_id', 'ts', 'status'])
        .unique()
        .execute()

      // disputes -------------------------------------------------------------------------------
      await db.schema
        .createTable('disputes')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('category', t.text, (c) => c.notNull())
        .addColumn('status', t.text, (c) => c.notNull())
        .addColumn('title', t.text)
        .addColumn('parties', t.int)
        .addColumn('lon', t.real, (c) => c.notNull())
        .addColumn('lat', t.real, (c) => c.notNull())
        .addColumn('grid_code', t.id)
        .addColumn('accepted_at', t.ms, (c) => c.notNull())
        .addColumn('ts', t.ms, (c) => c.notNull())
        .addColumn('updated_at', t.ms, (c) => c.notNull())
        .addCheckConstraint('disputes_status', oneOf('status', DISPUTE_STATUSES))
        .addCheckConstraint('disputes_parties', sql`parties >= 0`)
        .addCheckConstraint('disputes_lon_lat', lonLat)
        .modifyEnd(strict)
        .execute()
      await db.schema.createIndex('disputes_status_id').on('disputes').columns(['status', 'id']).execute()
      await db.schema.createIndex('disputes_category_id').on('disputes').columns(['category', 'id']).execute()
      await db.schema.createIndex('disputes_grid_id').on('disputes').columns(['grid_code', 'id']).execute()
      await db.schema.createIndex('disputes_ts').on('disputes').columns(['ts']).execute()

      await serial(db, 'dispute_events')
        .addColumn('dispute_id', t.id, (c) => c.notNull().references('disputes.id').onDelete('cascade'))
        .addColumn('status', t.text, (c) => c.notNull())
        .addColumn('ts', t.ms, (c) => c.notNull())
        .addCheckConstraint('dispute_events_status', oneOf('status', DISPUTE_STATUSES))
        .modifyEnd(strict)
        .execute()
      await db.schema
        .createIndex('dispute_events_key')
        .on('dispute_events')
        .columns(['dispute_id', 'ts', 'status'])
        .unique()
        .execute()
    },

    async down(db: Kysely<unknown>) {
      for (const table of [
        'dispute_events',
        'disputes',
        'case_events',
        'cases',
        'member_tracks',
        'members',
        'camera_status_events',
        'cameras',
        'units',
      ]) {
        await db.schema.dropTable(table).execute()
      }
    },
  }
}
