/**
 * 004: users, ingest keys, display tokens, refresh tokens and the audit log (issue 9).
 * Secrets are never stored: passwords as argon2id hashes, keys and tokens as sha-256 of a
 * random 32-byte secret. `revoked_at` is set, never deleted, so that every instance (and the
 * revocation watcher) can see a revocation by polling.
 */
import { sql, type Kysely } from 'kysely'
import type { Migration } from 'kysely/migration'
import type { Engine } from '../types.ts'

export const AUTH_ROLES = ['admin', 'leader', 'operator', 'display'] as const

export function auth(engine: Engine): Migration {
  const pg = engine === 'postgres'
  const id = pg ? sql`text collate "C"` : sql`text`
  const ms = pg ? ('bigint' as const) : ('integer' as const)
  const strict = pg ? sql`` : sql`strict`
  const roles = sql.raw(`role in (${AUTH_ROLES.map((r) => `'${r}'`).join(', ')})`)
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('users')
        .addColumn('id', id, (c) => c.primaryKey())
        .addColumn('username', id, (c) => c.notNull().unique())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('jurisdiction', id, (c) => c.notNull())
        .addColumn('created_at', ms, (c) => c.notNull())
        .addColumn('created_by', 'text')
        .addColumn('revoked_at', ms)
        .addCheckConstraint('users_role', roles)
        .modifyEnd(strict)
        .execute()

      await db.schema
        .createTable('ingest_keys')
        .addColumn('id', id, (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('key_hash', id, (c) => c.notNull().unique())
        .addColumn('jurisdiction', id, (c) => c.notNull())
        .addColumn('created_at', ms, (c) => c.notNull())
        .addColumn('created_by', 'text')
        .addColumn('revoked_at', ms)
        .modifyEnd(strict)
        .execute()

      await db.schema
        .createTable('display_tokens')
        .addColumn('id', id, (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('scope', id, (c) => c.notNull())
        .addColumn('token_hash', id, (c) => c.notNull().unique())
        .addColumn('created_at', ms, (c) => c.notNull())
        .addColumn('created_by', 'text')
        .addColumn('revoked_at', ms)
        .modifyEnd(strict)
        .execute()

      // One row per issued refresh token; a login starts a session (the rotation family).
      await db.schema
        .createTable('refresh_tokens')
        .addColumn('token_hash', id, (c) => c.primaryKey())
        .addColumn('session_id', id, (c) => c.notNull())
        .addColumn('user_id', id, (c) => c.notNull().references('users.id'))
        .addColumn('created_at', ms, (c) => c.notNull())
        .addColumn('expires_at', ms, (c) => c.notNull())
        .addColumn('used_at', ms)
        .addColumn('revoked_at', ms)
        .modifyEnd(strict)
        .execute()
      await db.schema.createIndex('refresh_tokens_session').on('refresh_tokens').columns(['session_id']).execute()
      await db.schema.createIndex('refresh_tokens_revoked').on('refresh_tokens').columns(['revoked_at']).execute()
      await db.schema.createIndex('users_revoked').on('users').columns(['revoked_at']).execute()
      await db.schema.createIndex('ingest_keys_revoked').on('ingest_keys').columns(['revoked_at']).execute()
      await db.schema.createIndex('display_tokens_revoked').on('display_tokens').columns(['revoked_at']).execute()

      const serial = pg
        ? db.schema
            .createTable('audit_log')
            .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
        : db.schema.createTable('audit_log').addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      await serial
        .addColumn('at', ms, (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('target', 'text')
        .addColumn('ok', 'integer', (c) => c.notNull())
        .addColumn('ip', 'text')
        .addColumn('user_agent', 'text')
        .addColumn('detail', 'text')
        .modifyEnd(strict)
        .execute()
      await db.schema.createIndex('audit_log_at').on('audit_log').columns(['at']).execute()
    },
    async down(db: Kysely<unknown>) {
      for (const t of ['audit_log', 'refresh_tokens', 'display_tokens', 'ingest_keys', 'users']) {
        await db.schema.dropTable(t).execute()
      }
    },
  }
}
