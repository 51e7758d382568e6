/** better-sqlite3 connections as the store opens them (shared by the main thread and the writer thread). */
import BetterSqlite3 from 'better-sqlite3'
import type { SqliteDatabase, SqliteStatement } from 'kysely'

export const SQLITE_FILE = 'gridsight.sqlite'

/**
 * better-sqlite3 behind Kysely's SqliteDialect, with a small statement cache: the dialect prepares
 * every query anew, which costs more than running it for the short statements we issue.
 */
export function cachedSqlite(db: BetterSqlite3.Database, size = 128): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>()
  return {
    close: () => db.close(),
    prepare(text: string): SqliteStatement {
      let stmt = cache.get(text)
      if (stmt) {
        cache.delete(text)
      } else {
        stmt = db.prepare(text) as unknown as SqliteStatement
        if (cache.size >= size) cache.delete(cache.keys().next().value!)
      }
      cache.set(text, stmt)
      return stmt
    },
  }
}

export function openSqlite(file: string, readonly: boolean): BetterSqlite3.Database {
  const db = new BetterSqlite3(file)
  db.pragma('busy_timeout = 5000')
  if (readonly) {
    db.pragma('query_only = ON')
  } else {
    const mode = db.pragma('journal_mode = WAL', { simple: true })
    if (mode !== 'wal') throw new Error(`SQLite refused WAL mode for ${file} (journal_mode=${String(mode)})`)
    // FULL: the WAL is fsynced at every COMMIT, so an acknowledged write survives a power cut.
    db.pragma('synchronous = FULL')
    db.pragma('foreign_keys = ON')
  }
  return db
}
