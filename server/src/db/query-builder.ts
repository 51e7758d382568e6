/**
 * A Kysely that only builds and compiles statements for an engine, never connects: the way to
 * prepare statements for `store.execute()` (e.g. the alerts module writing its own table).
 *   const q = queryBuilder<AlertsDb>(store.engine)
 *   await store.execute([q.insertInto('alerts').values(row).compile()])
 */
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
import type { Engine } from './types.ts'

export function queryBuilder<DB>(engine: Engine): Kysely<DB> {
  const sqlite = engine === 'sqlite'
  return new Kysely<DB>({
    dialect: {
      createAdapter: () => (sqlite ? new SqliteAdapter() : new PostgresAdapter()),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => (sqlite ? new SqliteIntrospector(db) : new PostgresIntrospector(db)),
      createQueryCompiler: () => (sqlite ? new SqliteQueryCompiler() : new PostgresQueryCompiler()),
    },
  })
}
