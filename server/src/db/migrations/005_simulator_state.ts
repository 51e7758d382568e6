/**
 * 005: the built-in simulator's own state, as JSON by key — where its pre-rolled history got to
 * (`preroll`), so that a restart in the middle of it sends the rest instead of leaving the history
 * cut short (server/src/simulator/progress.ts).
 */
import { sql, type Kysely } from 'kysely'
import type { Migration } from 'kysely/migration'
import type { Engine } from '../types.ts'

export function simulatorState(engine: Engine): Migration {
  const pg = engine === 'postgres'
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('simulator_state')
        .addColumn('key', pg ? sql`text collate "C"` : 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('updated_at', pg ? 'bigint' : 'integer', (c) => c.notNull())
        .modifyEnd(pg ? sql`` : sql`strict`)
        .execute()
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('simulator_state').execute()
    },
  }
}
