/**
 * The auth service: logins, rotating refresh tokens, bearer authentication, and the admin
 * actions on users, ingest keys and display tokens — each one written to the audit log.
 * Fastify-free, so the CLI and tests use it as the routes do.
 */
import { randomUUID, timingSafeEqual } from 'node:crypto'
import type { AuthStore, DisplayTokenRecord, IngestKeyRecord, UserRecord } from './auth-store.ts'
import { TokenError, type JwtIssuer } from './jwt.ts'
import { Revocations, type RevokeListener } from './revocations.ts'
import { makePrincipal, UNIT_CODE, type Principal, type Role } from './roles.ts'
import {
  DISPLAY_TOKEN_PREFIX,
  hashPassword,
  INGEST_KEY_PREFIX,
  MIN_PASSWORD_LENGTH,
  newPassword,
  newSecret,
  REFRESH_TOKEN_PREFIX,
  sha256,
  verifyPassword,
} from './secrets.ts'

export const REFRESH_TTL_MS = 12 * 3600_000
/** display tokens and ingest keys looked up by hash are kept this long; revocation still applies at once */
const CREDENTIAL_CACHE_MS = 60_000
export const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$/

/** Where an action came from, for the audit log. */
export interface AuditContext {
  /** username, `cli` or `system` */
  actor: string
  ip?: string | null
  userAgent?: string | null
}

/** A refused input, worded for the person who sent it (HTTP 400 / CLI exit 1). */
export class AuthInputError extends Error {
  override name = 'AuthInputError'
  statusCode = 400
}
/** Trying to act on something outside one's jurisdiction (HTTP 403). */
export class AuthScopeError extends Error {
  override name = 'AuthScopeError'
  statusCode = 403
}

export interface TokenPair {
  accessToken: string
  /** seconds */
  expiresIn: number
  refreshToken: string
  user: PublicUser
}

export interface PublicUser {
  id: string
  username: string
  role: Role
  jurisdiction: string
  createdAt: number
  revokedAt: number | null
}
export const publicUser = (u: UserRecord): PublicUser => ({
  id: u.id,
  username: u.username,
  role: u.role,
  jurisdiction: u.jurisdiction,
  createdAt: u.createdAt,
  revokedAt: u.revokedAt,
})

export interface AuthServiceOptions {
  store: AuthStore
  jwt: JwtIssuer
  revocations?: Revocations
  refreshTtlMs?: number
  /**
   * GRIDSIGHT_INGEST_KEY: an ingest key from the environment (the simulator run against a URL, a
   * first integration), over `jurisdiction`; per-source revocable keys come from `gridsight key add`.
   */
  envIngestKey?: { key: string; jurisdiction: string }
  /**
   * Whether a code names a unit of the served region: a jurisdiction or wall scope that names none
   * (a typo, another region) would give a principal that sees nothing and a wall that never loads.
   */
  isUnit?: (code: string) => boolean
}

function checkUnit(field: string, code: string): void {
  if (!UNIT_CODE.test(code)) {
    throw new AuthInputError(`${field} must be a unit code (6, 9, 12 or 15 digits, e.g. 330402007); got "${code}"`)
  }
}

/** Admins act only within their own jurisdiction; the CLI (jurisdiction '') anywhere. */
function checkWithin(actorJurisdiction: string, code: string, what: string): void {
  if (!code.startsWith(actorJurisdiction)) {
    throw new AuthScopeError(`${what} ${code} is outside your jurisdiction ${actorJurisdiction}`)
  }
}

export class AuthService {
  readonly store: AuthStore
  readonly jwt: JwtIssuer
  readonly revocations: Revocations
  readonly refreshTtlMs: number
  readonly #credentials = new Map<string, { at: number; principal: Principal | null }>()
  readonly #envKey: { key: Buffer; principal: Principal } | undefined
  readonly #isUnit: (code: string) => boolean

  constructor(o: AuthServiceOptions) {
    this.store = o.store
    this.jwt = o.jwt
    this.revocations = o.revocations ?? new Revocations()
    this.refreshTtlMs = o.refreshTtlMs ?? REFRESH_TTL_MS
    this.#isUnit = o.isUnit ?? (() => true)
    this.#envKey = o.envIngestKey && {
      key: Buffer.from(o.envIngestKey.key),
      principal: makePrincipal({
        kind: 'ingest',
        id: 'env',
        name: 'GRIDSIGHT_INGEST_KEY',
        access: 'ingest',
        jurisdiction: o.envIngestKey.jurisdiction,
      }),
    }
  }

  #checkUnit(field: string, code: string): void {
    checkUnit(field, code)
    if (!this.#isUnit(code)) throw new AuthInputError(`${field} ${code} is not a unit of the region this server serves`)
  }

  #isEnvKey(bearer: string): boolean {
    if (!this.#envKey) return false
    const given = Buffer.from(bearer)
    return given.length === this.#envKey.key.length && timingSafeEqual(given, this.#envKey.key)
  }

  onRevoke(listener: RevokeListener): () => void {
    return this.revocations.onRevoke(listener)
  }

  // sessions -------------------------------------------------------------------------------------

  /** undefined for a wrong username or password, or a revoked user (the caller answers 401 for all). */
  async login(username: string, password: string, ctx: Omit<AuditContext, 'actor'>): Promise<TokenPair | undefined> {
    const u = USERNAME.test(username) ? await this.store.userByName(username) : undefined
    const ok = await verifyPassword(u?.passwordHash, password)
    if (!u || !ok || u.revokedAt !== null) {
      const reason = !u ? 'unknown user' : !ok ? 'wrong password' : 'user revoked'
      await this.store.audit({
        ...ctx,
        at: Date.now(),
        actor: username,
        action: 'login_failed',
        ok: false,
        detail: { reason },
      })
      return undefined
    }
    const pair = await this.#issue(u, randomUUID())
    await this.store.audit({ ...ctx, at: Date.now(), actor: u.username, action: 'login', target: u.id, ok: true })
    return pair
  }

  async #issue(u: UserRecord, sessionId: string): Promise<TokenPair> {
    const refreshToken = newSecret(REFRESH_TOKEN_PREFIX)
    const now = Date.now()
    await this.store.insertRefreshToken({
      tokenHash: sha256(refreshToken),
      sessionId,
      userId: u.id,
      createdAt: now,
      expiresAt: now + this.refreshTtlMs,
    })
    const accessToken = await this.jwt.sign({
      sub: u.id,
      name: u.username,
      role: u.role,
      jur: u.jurisdiction,
      sid: sessionId,
    })
    return { accessToken, expiresIn: this.jwt.ttlS, refreshToken, user: publicUser(u) }
  }

  /**
   * Rotates a refresh token: the old one is spent, a new pair is returned. A spent token shown
   * again means two parties hold it; the whole session is revoked (OAuth 2.0 BCP reuse detection).
   */
  async refresh(refreshToken: string, ctx: Omit<AuditContext, 'actor'>): Promise<TokenPair> {
    const hash = sha256(refreshToken)
    const t = await this.store.refreshTokenByHash(hash)
    const now = Date.now()
    if (!t || t.revokedAt !== null || t.expiresAt <= now) throw new TokenError('refresh token is not valid')
    const u = await this.store.userById(t.userId)
    if (!u || u.revokedAt !== null) throw new TokenError('refresh token is not valid')
    if (t.usedAt !== null || !(await this.store.useRefreshToken(hash, now))) {
      await this.revokeSession(t.sessionId, { ...ctx, actor: u.username }, 'refresh_reuse')
      throw new TokenError('refresh token was already used: the session is revoked, log in again')
    }
    const pair = await this.#issue(u, t.sessionId)
    await this.store.audit({ ...ctx, at: now, actor: u.username, action: 'refresh', target: t.sessionId, ok: true })
    return pair
  }

  async revokeSession(sessionId: string, ctx: AuditContext, action = 'logout'): Promise<void> {
    const now = Date.now()
    await this.store.revokeSession(sessionId, now)
    this.revocations.add({ kind: 'session', id: sessionId }, now)
    await this.store.audit({ ...ctx, at: now, action, target: sessionId, ok: action === 'logout' })
  }

  // authentication -------------------------------------------------------------------------------

  /** The principal behind a bearer credential (access JWT, display token or ingest key). */
  async authenticate(bearer: string): Promise<Principal> {
    if (this.#envKey && this.#isEnvKey(bearer)) return this.#envKey.principal
    if (bearer.startsWith(DISPLAY_TOKEN_PREFIX) || bearer.startsWith(INGEST_KEY_PREFIX)) {
      const p = await this.#credential(bearer)
      if (!p || this.revocations.has(p.kind === 'display' ? 'display' : 'ingest', p.id)) {
        throw new TokenError(
          `${p?.kind === 'ingest' || bearer.startsWith(INGEST_KEY_PREFIX) ? 'ingest key' : 'display token'} is not valid`,
        )
      }
      return p
    }
    const c = await this.jwt.verify(bearer)
    if (this.revocations.has('user', c.sub) || this.revocations.has('session', c.sid)) {
      throw new TokenError('access token was revoked: log in again')
    }
    return makePrincipal({
      kind: 'user',
      id: c.sub,
      name: c.name,
      access: c.role,
      jurisdiction: c.jur,
      sessionId: c.sid,
      expiresAt: c.exp * 1000,
    })
  }

  async #credential(secret: string): Promise<Principal | null> {
    const hash = sha256(secret)
    const now = Date.now()
    const cached = this.#credentials.get(hash)
    if (cached && now - cached.at < CREDENTIAL_CACHE_MS) return cached.principal
    let principal: Principal | null = null
    if (secret.startsWith(DISPLAY_TOKEN_PREFIX)) {
      const d = await this.store.displayTokenByHash(hash)
      if (d && d.revokedAt === null) {
        principal = makePrincipal({ kind: 'display', id: d.id, name: d.name, access: 'display', jurisdiction: d.scope })
      }
    } else {
      const k = await this.store.ingestKeyByHash(hash)
      if (k && k.revokedAt === null) {
        principal = makePrincipal({
          kind: 'ingest',
          id: k.id,
          name: k.name,
          access: 'ingest',
          jurisdiction: k.jurisdiction,
        })
      }
    }
    if (this.#credentials.size > 10_000) this.#credentials.clear()
    // Unknown secrets are not cached: a flood of random tokens must not fill memory.
    if (principal) this.#credentials.set(hash, { at: now, principal })
    return principal
  }

  // users ----------------------------------------------------------------------------------------

  /**
   * Creates a user. Without a password one is generated and returned (shown once).
   * @param within the creator's jurisdiction ('' for the CLI)
   */
  async addUser(
    input: { username: string; role: Role; jurisdiction: string; password?: string | undefined },
    within: string,
    ctx: AuditContext,
  ): Promise<{ user: PublicUser; password: string }> {
    if (!USERNAME.test(input.username)) {
      throw new AuthInputError(
        `username must be 2–64 letters, digits, '.', '_' or '-', starting with a letter or digit; got "${input.username}"`,
      )
    }
    this.#checkUnit('jurisdiction', input.jurisdiction)
    checkWithin(within, input.jurisdiction, 'jurisdiction')
    const password = input.password ?? newPassword()
    if (password.length < MIN_PASSWORD_LENGTH) {
      throw new AuthInputError(`password must have at least ${MIN_PASSWORD_LENGTH} characters`)
    }
    if (await this.store.userByName(input.username)) {
      throw new AuthInputError(`a user named "${input.username}" already exists`)
    }
    const u: UserRecord = {
      id: randomUUID(),
      username: input.username,
      passwordHash: await hashPassword(password),
      role: input.role,
      jurisdiction: input.jurisdiction,
      createdAt: Date.now(),
      createdBy: ctx.actor,
      revokedAt: null,
    }
    await this.store.insertUser(u)
    await this.store.audit({
      ...ctx,
      at: u.createdAt,
      action: 'user_add',
      target: u.username,
      ok: true,
      detail: { role: u.role, jurisdiction: u.jurisdiction },
    })
    return { user: publicUser(u), password }
  }

  /** Revokes a user (by id or username) and every session of it. */
  async revokeUser(idOrName: string, within: string, ctx: AuditContext): Promise<PublicUser> {
    const u = (await this.store.userById(idOrName)) ?? (await this.store.userByName(idOrName))
    if (!u || !u.jurisdiction.startsWith(within)) throw new AuthInputError(`no user "${idOrName}"`)
    const now = Date.now()
    await this.store.revokeUser(u.id, now)
    this.revocations.add({ kind: 'user', id: u.id }, now)
    await this.store.audit({ ...ctx, at: now, action: 'user_revoke', target: u.username, ok: true })
    return publicUser({ ...u, revokedAt: u.revokedAt ?? now })
  }

  /**
   * The first start: when there is no user at all, creates `admin` over the whole region with a
   * random password, returned once for the start to print. Never a default password.
   */
  async ensureInitialAdmin(region: string): Promise<{ username: string; password: string } | undefined> {
    if ((await this.store.countUsers()) > 0) return undefined
    try {
      const { user, password } = await this.addUser({ username: 'admin', role: 'admin', jurisdiction: region }, '', {
        actor: 'system',
      })
      return { username: user.username, password }
    } catch (err) {
      // Another process created it between our count and insert.
      if ((await this.store.countUsers()) > 0) return undefined
      throw err
    }
  }

  // ingest keys ----------------------------------------------------------------------------------

  async addIngestKey(
    input: { name: string; source: string; jurisdiction: string },
    within: string,
    ctx: AuditContext,
  ): Promise<{ key: PublicIngestKey; secret: string }> {
    checkName('name', input.name)
    checkName('source', input.source)
    this.#checkUnit('jurisdiction', input.jurisdiction)
    checkWithin(within, input.jurisdiction, 'jurisdiction')
    const secret = newSecret(INGEST_KEY_PREFIX)
    const k: IngestKeyRecord = {
      id: randomUUID(),
      name: input.name,
      source: input.source,
      keyHash: sha256(secret),
      jurisdiction: input.jurisdiction,
      createdAt: Date.now(),
      createdBy: ctx.actor,
      revokedAt: null,
    }
    await this.store.insertIngestKey(k)
    await this.store.audit({
      ...ctx,
      at: k.createdAt,
      action: 'key_add',
      target: k.id,
      ok: true,
      detail: { name: k.name, source: k.source, jurisdiction: k.jurisdiction },
    })
    return { key: publicIngestKey(k), secret }
  }

  async revokeIngestKey(id: string, within: string, ctx: AuditContext): Promise<PublicIngestKey> {
    const k = await this.store.ingestKeyById(id)
    if (!k || !k.jurisdiction.startsWith(within)) throw new AuthInputError(`no ingest key "${id}"`)
    const now = Date.now()
    await this.store.revokeIngestKey(id, now)
    this.revocations.add({ kind: 'ingest', id }, now)
    await this.store.audit({ ...ctx, at: now, action: 'key_revoke', target: id, ok: true })
    return publicIngestKey({ ...k, revokedAt: k.revokedAt ?? now })
  }

  // display tokens -------------------------------------------------------------------------------

  async addDisplayToken(
    input: { name: string; scope: string },
    within: string,
    ctx: AuditContext,
  ): Promise<{ display: PublicDisplayToken; secret: string }> {
    checkName('name', input.name)
    this.#checkUnit('scope', input.scope)
    checkWithin(within, input.scope, 'scope')
    const secret = newSecret(DISPLAY_TOKEN_PREFIX)
    const d: DisplayTokenRecord = {
      id: randomUUID(),
      name: input.name,
      scope: input.scope,
      tokenHash: sha256(secret),
      createdAt: Date.now(),
      createdBy: ctx.actor,
      revokedAt: null,
    }
    await this.store.insertDisplayToken(d)
    await this.store.audit({
      ...ctx,
      at: d.createdAt,
      action: 'display_add',
      target: d.id,
      ok: true,
      detail: { name: d.name, scope: d.scope },
    })
    return { display: publicDisplayToken(d), secret }
  }

  async revokeDisplayToken(id: string, within: string, ctx: AuditContext): Promise<PublicDisplayToken> {
    const d = await this.store.displayTokenById(id)
    if (!d || !d.scope.startsWith(within)) throw new AuthInputError(`no display token "${id}"`)
    const now = Date.now()
    await this.store.revokeDisplayToken(id, now)
    this.revocations.add({ kind: 'display', id }, now)
    await this.store.audit({ ...ctx, at: now, action: 'display_revoke', target: id, ok: true })
    return publicDisplayToken({ ...d, revokedAt: d.revokedAt ?? now })
  }
}

function checkName(field: string, value: string): void {
  if (value.trim().length === 0 || value.length > 100) {
    throw new AuthInputError(`${field} must be 1–100 characters; got ${value.length}`)
  }
}

export interface PublicIngestKey {
  id: string
  name: string
  source: string
  jurisdiction: string
  createdAt: number
  createdBy: string | null
  revokedAt: number | null
}
export const publicIngestKey = (k: IngestKeyRecord): PublicIngestKey => ({
  id: k.id,
  name: k.name,
  source: k.source,
  jurisdiction: k.jurisdiction,
  createdAt: k.createdAt,
  createdBy: k.createdBy,
  revokedAt: k.revokedAt,
})

export interface PublicDisplayToken {
  id: string
  name: string
  scope: string
  createdAt: number
  createdBy: string | null
  revokedAt: number | null
}
export const publicDisplayToken = (d: DisplayTokenRecord): PublicDisplayToken => ({
  id: d.id,
  name: d.name,
  scope: d.scope,
  createdAt: d.createdAt,
  createdBy: d.createdBy,
  revokedAt: d.revokedAt,
})
