/**
 * The auth tables (migration 004) behind a small API. It holds its own connection: auth writes
 * are rare (logins, key changes, audit lines) and must not queue behind the live group commit.
 * SQLite: a second connection to the same WAL file (busy_timeout covers the writer's commits);
 * PostgreSQL: a small pool of its own.
 */
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import pg from 'pg'
import { Kysely, PostgresDialect, SqliteDialect, type Generated } from 'kysely'
import { SQLITE_FILE } from '../db/store.ts'
import type { Engine } from '../db/types.ts'
import type { Role } from './roles.ts'

interface UsersTable {
  id: string
  username: string
  password_hash: string
  role: Role
  jurisdiction: string
  created_at: number
  created_by: string | null
  revoked_at: number | null
}
interface IngestKeysTable {
  id: string
  name: string
  source: string
  key_hash: string
  jurisdiction: string
  created_at: number
  created_by: string | null
  revoked_at: number | null
}
interface DisplayTokensTable {
  id: string
  name: string
  scope: string
  token_hash: string
  created_at: number
  created_by: string | null
  revoked_at: number | null
}
interface RefreshTokensTable {
  token_hash: string
  session_id: string
  user_id: string
  created_at: number
  expires_at: number
  used_at: number | null
  revoked_at: number | null
}
interface AuditLogTable {
  id: Generated<number>
  at: number
  actor: string
  action: string
  target: string | null
  ok: number
  ip: string | null
  user_agent: string | null
  detail: string | null
}
interface AuthDatabase {
  users: UsersTable
  ingest_keys: IngestKeysTable
  display_tokens: DisplayTokensTable
  refresh_tokens: RefreshTokensTable
  audit_log: AuditLogTable
}

export interface UserRecord {
  id: string
  username: string
  passwordHash: string
  role: Role
  jurisdiction: string
  createdAt: number
  createdBy: string | null
  revokedAt: number | null
}
export interface IngestKeyRecord {
  id: string
  name: string
  source: string
  keyHash: string
  jurisdiction: string
  createdAt: number
  createdBy: string | null
  revokedAt: number | null
}
export interface DisplayTokenRecord {
  id: string
  name: string
  scope: string
  tokenHash: string
  createdAt: number
  createdBy: string | null
  revokedAt: number | null
}
export interface RefreshTokenRecord {
  tokenHash: string
  sessionId: string
  userId: string
  createdAt: number
  expiresAt: number
  usedAt: number | null
  revokedAt: number | null
}
export interface AuditEntry {
  at: number
  /** user name, `key:<id>`, `display:<id>`, `cli` or `system`; for a failed login, the name tried */
  actor: string
  /** e.g. login, login_failed, refresh, refresh_reuse, logout, user_add, user_revoke, key_add, … */
  action: string
  target?: string | null
  ok: boolean
  ip?: string | null
  userAgent?: string | null
  detail?: Record<string, unknown> | null
}
export interface AuditRecord extends Required<Omit<AuditEntry, 'detail'>> {
  id: number
  detail: Record<string, unknown> | null
}

/** Ids revoked at or after a time, per kind. */
export interface Revoked {
  users: string[]
  ingestKeys: string[]
  displayTokens: string[]
  sessions: string[]
}

const user = (r: UsersTable): UserRecord => ({
  id: r.id,
  username: r.username,
  passwordHash: r.password_hash,
  role: r.role,
  jurisdiction: r.jurisdiction,
  createdAt: r.created_at,
  createdBy: r.created_by,
  revokedAt: r.revoked_at,
})
const ingestKey = (r: IngestKeysTable): IngestKeyRecord => ({
  id: r.id,
  name: r.name,
  source: r.source,
  keyHash: r.key_hash,
  jurisdiction: r.jurisdiction,
  createdAt: r.created_at,
  createdBy: r.created_by,
  revokedAt: r.revoked_at,
})
const displayToken = (r: DisplayTokensTable): DisplayTokenRecord => ({
  id: r.id,
  name: r.name,
  scope: r.scope,
  tokenHash: r.token_hash,
  createdAt: r.created_at,
  createdBy: r.created_by,
  revokedAt: r.revoked_at,
})
const refresh = (r: RefreshTokensTable): RefreshTokenRecord => ({
  tokenHash: r.token_hash,
  sessionId: r.session_id,
  userId: r.user_id,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  usedAt: r.used_at,
  revokedAt: r.revoked_at,
})

/** LIKE pattern for rows below a jurisdiction; `''` matches everything (the CLI, run by the machine's operator). */
const below = (jurisdiction: string) => `${jurisdiction.replace(/[%_\\]/g, '')}%`

export class AuthStore {
  readonly engine: Engine
  readonly #db: Kysely<AuthDatabase>

  constructor(engine: Engine, db: Kysely<AuthDatabase>) {
    this.engine = engine
    this.#db = db
  }

  // users ----------------------------------------------------------------------------------------

  async insertUser(u: Omit<UserRecord, 'revokedAt'>): Promise<void> {
    await this.#db
      .insertInto('users')
      .values({
        id: u.id,
        username: u.username,
        password_hash: u.passwordHash,
        role: u.role,
        jurisdiction: u.jurisdiction,
        created_at: u.createdAt,
        created_by: u.createdBy,
        revoked_at: null,
      })
      .execute()
  }

  async userByName(username: string): Promise<UserRecord | undefined> {
    const r = await this.#db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst()
    return r && user(r)
  }

  async userById(id: string): Promise<UserRecord | undefined> {
    const r = await this.#db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst()
    return r && user(r)
  }

  async listUsers(jurisdiction = ''): Promise<UserRecord[]> {
    const rows = await this.#db
      .selectFrom('users')
      .selectAll()
      .where('jurisdiction', 'like', below(jurisdiction))
      .orderBy('username')
      .execute()
    return rows.map(user)
  }

  async countUsers(): Promise<number> {
    const r = await this.#db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow()
    return Number(r.n)
  }

  /** Revokes the user and all its sessions; false when it was unknown or already revoked. */
  async revokeUser(id: string, at: number): Promise<boolean> {
    return this.#db.transaction().execute(async (trx) => {
      const r = await trx
        .updateTable('users')
        .set({ revoked_at: at })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst()
      await trx
        .updateTable('refresh_tokens')
        .set({ revoked_at: at })
        .where('user_id', '=', id)
        .where('revoked_at', 'is', null)
        .execute()
      return r.numUpdatedRows > 0n
    })
  }

  // ingest keys ----------------------------------------------------------------------------------

  async insertIngestKey(k: Omit<IngestKeyRecord, 'revokedAt'>): Promise<void> {
    await this.#db
      .insertInto('ingest_keys')
      .values({
        id: k.id,
        name: k.name,
        source: k.source,
        key_hash: k.keyHash,
        jurisdiction: k.jurisdiction,
        created_at: k.createdAt,
        created_by: k.createdBy,
        revoked_at: null,
      })
      .execute()
  }

  async ingestKeyByHash(hash: string): Promise<IngestKeyRecord | undefined> {
    const r = await this.#db.selectFrom('ingest_keys').selectAll().where('key_hash', '=', hash).executeTakeFirst()
    return r && ingestKey(r)
  }

  async ingestKeyById(id: string): Promise<IngestKeyRecord | undefined> {
    const r = await this.#db.selectFrom('ingest_keys').selectAll().where('id', '=', id).executeTakeFirst()
    return r && ingestKey(r)
  }

  async listIngestKeys(jurisdiction = ''): Promise<IngestKeyRecord[]> {
    const rows = await this.#db
      .selectFrom('ingest_keys')
      .selectAll()
      .where('jurisdiction', 'like', below(jurisdiction))
      .orderBy('name')
      .execute()
    return rows.map(ingestKey)
  }

  async revokeIngestKey(id: string, at: number): Promise<boolean> {
    const r = await this.#db
      .updateTable('ingest_keys')
      .set({ revoked_at: at })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst()
    return r.numUpdatedRows > 0n
  }

  // display tokens -------------------------------------------------------------------------------

  async insertDisplayToken(d: Omit<DisplayTokenRecord, 'revokedAt'>): Promise<void> {
    await this.#db
      .insertInto('display_tokens')
      .values({
        id: d.id,
        name: d.name,
        scope: d.scope,
        token_hash: d.tokenHash,
        created_at: d.createdAt,
        created_by: d.createdBy,
        revoked_at: null,
      })
      .execute()
  }

  async displayTokenByHash(hash: string): Promise<DisplayTokenRecord | undefined> {
    const r = await this.#db.selectFrom('display_tokens').selectAll().where('token_hash', '=', hash).executeTakeFirst()
    return r && displayToken(r)
  }

  async displayTokenById(id: string): Promise<DisplayTokenRecord | undefined> {
    const r = await this.#db.selectFrom('display_tokens').selectAll().where('id', '=', id).executeTakeFirst()
    return r && displayToken(r)
  }

  async listDisplayTokens(jurisdiction = ''): Promise<DisplayTokenRecord[]> {
    const rows = await this.#db
      .selectFrom('display_tokens')
      .selectAll()
      .where('scope', 'like', below(jurisdiction))
      .orderBy('name')
      .execute()
    return rows.map(displayToken)
  }

  async revokeDisplayToken(id: string, at: number): Promise<boolean> {
    const r = await this.#db
      .updateTable('display_tokens')
      .set({ revoked_at: at })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst()
    return r.numUpdatedRows > 0n
  }

  // refresh tokens -------------------------------------------------------------------------------

  async insertRefreshToken(t: Omit<RefreshTokenRecord, 'usedAt' | 'revokedAt'>): Promise<void> {
    await this.#db
      .insertInto('refresh_tokens')
      .values({
        token_hash: t.tokenHash,
        session_id: t.sessionId,
        user_id: t.userId,
        created_at: t.createdAt,
        expires_at: t.expiresAt,
        used_at: null,
        revoked_at: null,
      })
      .execute()
  }

  async refreshTokenByHash(hash: string): Promise<RefreshTokenRecord | undefined> {
    const r = await this.#db.selectFrom('refresh_tokens').selectAll().where('token_hash', '=', hash).executeTakeFirst()
    return r && refresh(r)
  }

  /** Marks a refresh token used; false when it already was (a replay: two parties hold it). */
  async useRefreshToken(hash: string, at: number): Promise<boolean> {
    const r = await this.#db
      .updateTable('refresh_tokens')
      .set({ used_at: at })
      .where('token_hash', '=', hash)
      .where('used_at', 'is', null)
      .where('revoked_at', 'is', null)
      .executeTakeFirst()
    return r.numUpdatedRows > 0n
  }

  async revokeSession(sessionId: string, at: number): Promise<boolean> {
    const r = await this.#db
      .updateTable('refresh_tokens')
      .set({ revoked_at: at })
      .where('session_id', '=', sessionId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst()
    return r.numUpdatedRows > 0n
  }

  async isSessionRevoked(sessionId: string): Promise<boolean> {
    const r = await this.#db
      .selectFrom('refresh_tokens')
      .select('token_hash')
      .where('session_id', '=', sessionId)
      .where('revoked_at', 'is not', null)
      .executeTakeFirst()
    return r !== undefined
  }

  // revocations ----------------------------------------------------------------------------------

  /** @param sessionsSince a separate bound for sessions (their access tokens expire; users' revocations stay) */
  async revokedSince(since: number, sessionsSince = since): Promise<Revoked> {
    const ids = async (table: 'users' | 'ingest_keys' | 'display_tokens') =>
      (await this.#db.selectFrom(table).select('id').where('revoked_at', '>=', since).execute()).map((r) => r.id)
    const sessions = await this.#db
      .selectFrom('refresh_tokens')
      .select('session_id')
      .distinct()
      .where('revoked_at', '>=', sessionsSince)
      .execute()
    return {
      users: await ids('users'),
      ingestKeys: await ids('ingest_keys'),
      displayTokens: await ids('display_tokens'),
      sessions: sessions.map((r) => r.session_id),
    }
  }

  // audit ----------------------------------------------------------------------------------------

  async audit(e: AuditEntry): Promise<void> {
    await this.#db
      .insertInto('audit_log')
      .values({
        at: e.at,
        actor: e.actor.slice(0, 200),
        action: e.action,
        target: e.target ?? null,
        ok: e.ok ? 1 : 0,
        ip: e.ip ?? null,
        user_agent: e.userAgent?.slice(0, 500) ?? null,
        detail: e.detail ? JSON.stringify(e.detail) : null,
      })
      .execute()
  }

  /** newest first */
  async listAudit(limit = 100): Promise<AuditRecord[]> {
    const rows = await this.#db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(limit).execute()
    return rows.map((r) => ({
      id: Number(r.id),
      at: r.at,
      actor: r.actor,
      action: r.action,
      target: r.target,
      ok: r.ok === 1,
      ip: r.ip,
      userAgent: r.user_agent,
      detail: r.detail === null ? null : (JSON.parse(r.detail) as Record<string, unknown>),
    }))
  }

  close(): Promise<void> {
    return this.#db.destroy()
  }
}

/** BIGINT (epoch ms, audit ids) as number: every value stored is below 2^53. */
const pgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 && format !== 'binary'
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
}

/**
 * Opens the auth tables of a store that is already migrated (the db plugin, or `openStore` in
 * the CLI, runs migration 004 first).
 */
export function openAuthStore(opts: { dataDir: string; databaseUrl?: string | undefined }): AuthStore {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, types: pgTypes, max: 3 })
    return new AuthStore('postgres', new Kysely<AuthDatabase>({ dialect: new PostgresDialect({ pool }) }))
  }
  const sqlite = new BetterSqlite3(join(opts.dataDir, SQLITE_FILE))
  sqlite.pragma('busy_timeout = 5000')
  sqlite.pragma('synchronous = FULL')
  sqlite.pragma('foreign_keys = ON')
  return new AuthStore('sqlite', new Kysely<AuthDatabase>({ dialect: new SqliteDialect({ database: sqlite }) }))
}
