/**
 * The auth service on a real store, SQLite and PostgreSQL: users and passwords, rotating refresh
 * tokens with reuse detection, display tokens and ingest keys, revocation (in-process and seen by
 * polling), the first-start admin, and the audit log.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openAuthStore, type AuthStore } from '../src/auth/auth-store.ts'
import { JWT_KEY_FILE, JwtIssuer, loadJwtSecret, TokenError } from '../src/auth/jwt.ts'
import { Revocations, type RevokeEvent } from '../src/auth/revocations.ts'
import { AuthInputError, AuthScopeError, AuthService } from '../src/auth/service.ts'
import { openStore, type Engine } from '../src/db/index.ts'
import { startTempPostgres, type TempPostgres } from '../src/db/test-postgres.ts'

const engines: Engine[] = ['sqlite', 'postgres']
const dirs: string[] = []
let server: Promise<TempPostgres> | undefined
const pgServer = () => (server ??= startTempPostgres())
let dbCount = 0
const stores: AuthStore[] = []

afterAll(async () => {
  await Promise.allSettled(stores.map((s) => s.close()))
  await (await server?.catch(() => undefined))?.stop()
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
}, 60_000)

async function freshAuth(engine: Engine) {
  const dataDir = mkdtempSync(join(tmpdir(), 'gridsight-auth-'))
  dirs.push(dataDir)
  const databaseUrl = engine === 'postgres' ? await (await pgServer()).createDatabase(`auth${++dbCount}`) : undefined
  // the store runs the migrations (004_auth among them), as the db plugin does at start
  await (await openStore({ dataDir, databaseUrl })).close()
  const store = openAuthStore({ dataDir, databaseUrl })
  stores.push(store)
  const service = new AuthService({ store, jwt: new JwtIssuer(loadJwtSecret(dataDir, undefined)) })
  return { dataDir, databaseUrl, store, service }
}

const ctx = { actor: 'tester', ip: '127.0.0.9', userAgent: 'vitest' }
const STREET = '330402007'
const NEIGHBOUR = '330402008'

describe.each(engines)('auth service on %s', (engine) => {
  it('creates the first admin once, with a random password that logs in', async () => {
    const { service, store } = await freshAuth(engine)
    const first = await service.ensureInitialAdmin('330402')
    expect(first?.username).toBe('admin')
    expect(first!.password.length).toBeGreaterThanOrEqual(20)
    expect(await service.ensureInitialAdmin('330402')).toBeUndefined()
    const admin = await store.userByName('admin')
    expect(admin?.role).toBe('admin')
    expect(admin?.jurisdiction).toBe('330402')
    // stored as an argon2id hash, not the password
    expect(admin?.passwordHash).toMatch(/^\$argon2id\$/)
    expect(admin?.passwordHash).not.toContain(first!.password)
    const pair = await service.login('admin', first!.password, ctx)
    expect(pair?.user.role).toBe('admin')
  })

  it('logs in with the right password only, and audits both outcomes with ip and user agent', async () => {
    const { service, store } = await freshAuth(engine)
    await service.addUser(
      { username: 'li.street', role: 'operator', jurisdiction: STREET, password: 'correct horse battery' },
      '',
      ctx,
    )
    expect(await service.login('li.street', 'wrong password!!', { ip: '10.0.0.1', userAgent: 'ua' })).toBeUndefined()
    expect(await service.login('nobody', 'correct horse battery', { ip: '10.0.0.1' })).toBeUndefined()
    const pair = await service.login('li.street', 'correct horse battery', { ip: '10.0.0.2', userAgent: 'ua2' })
    expect(pair).toBeDefined()
    const principal = await service.authenticate(pair!.accessToken)
    expect(principal).toMatchObject({ kind: 'user', name: 'li.street', access: 'operator', jurisdiction: STREET })
    expect(principal.canSee('330402007024001')).toBe(true)
    expect(principal.canSee(NEIGHBOUR)).toBe(false)
    expect(principal.canSee('330402')).toBe(false)

    const log = await store.listAudit()
    expect(log.map((e) => [e.action, e.actor, e.ok])).toEqual([
      ['login', 'li.street', true],
      ['login_failed', 'nobody', false],
      ['login_failed', 'li.street', false],
      ['user_add', 'tester', true],
    ])
    expect(log[0]).toMatchObject({ ip: '10.0.0.2', userAgent: 'ua2' })
    expect(log[1]!.detail).toEqual({ reason: 'unknown user' })
    expect(log[2]!.detail).toEqual({ reason: 'wrong password' })
    // no secret ever lands in the log
    expect(JSON.stringify(log)).not.toContain('correct horse')
  })

  it('rotates refresh tokens; a replayed one revokes the whole session', async () => {
    const { service, store } = await freshAuth(engine)
    await service.addUser(
      { username: 'zhang', role: 'leader', jurisdiction: '330402', password: 'pa55word-long-enough' },
      '',
      ctx,
    )
    const events: RevokeEvent[] = []
    service.onRevoke((e) => events.push(e))
    const first = (await service.login('zhang', 'pa55word-long-enough', {}))!
    const second = await service.refresh(first.refreshToken, {})
    expect(second.refreshToken).not.toBe(first.refreshToken)
    const sid = (await service.authenticate(second.accessToken)).sessionId
    expect(sid).toBe((await service.authenticate(first.accessToken)).sessionId)

    await expect(service.refresh(first.refreshToken, {})).rejects.toThrow(/already used/)
    expect(events).toEqual([{ kind: 'session', id: sid }])
    // the thief's and the owner's tokens are all dead now
    await expect(service.refresh(second.refreshToken, {})).rejects.toThrow(TokenError)
    await expect(service.authenticate(second.accessToken)).rejects.toThrow(/revoked/)
    expect((await store.listAudit(1))[0]).toMatchObject({ action: 'refresh_reuse', ok: false })
    await expect(service.refresh('gsr_made-up', {})).rejects.toThrow(TokenError)
  })

  it('revoking a user kills its access and refresh tokens and tells listeners; another process sees it by polling', async () => {
    const { service, dataDir, databaseUrl } = await freshAuth(engine)
    await service.addUser(
      { username: 'wang', role: 'operator', jurisdiction: STREET, password: 'pa55word-long-enough' },
      '',
      ctx,
    )
    const pair = (await service.login('wang', 'pa55word-long-enough', {}))!
    const before = Date.now()

    // a second process on the same database (the CLI, another server) with its own registry
    const other = openAuthStore({ dataDir, databaseUrl })
    stores.push(other)
    const otherService = new AuthService({ store: other, jwt: new JwtIssuer(loadJwtSecret(dataDir, undefined)) })
    const heard: RevokeEvent[] = []
    otherService.onRevoke((e) => heard.push(e))
    expect(await otherService.authenticate(pair.accessToken)).toMatchObject({ name: 'wang' })

    const events: RevokeEvent[] = []
    service.onRevoke((e) => events.push(e))
    const revoked = await service.revokeUser('wang', '', ctx)
    expect(revoked.revokedAt).not.toBeNull()
    expect(events).toEqual([{ kind: 'user', id: revoked.id }])
    await expect(service.authenticate(pair.accessToken)).rejects.toThrow(/revoked/)
    await expect(service.refresh(pair.refreshToken, {})).rejects.toThrow(TokenError)
    expect(await service.login('wang', 'pa55word-long-enough', {})).toBeUndefined()

    expect(await otherService.revocations.sync(other, before)).toBeGreaterThanOrEqual(1)
    expect(heard).toContainEqual({ kind: 'user', id: revoked.id })
    await expect(otherService.authenticate(pair.accessToken)).rejects.toThrow(/revoked/)
    // heard once, however often it is polled
    await otherService.revocations.sync(other, before)
    expect(heard.filter((e) => e.kind === 'user')).toHaveLength(1)
  })

  it('display tokens and ingest keys authenticate until revoked, bound to their scope', async () => {
    const { service } = await freshAuth(engine)
    const { display, secret } = await service.addDisplayToken({ name: '大屏 1', scope: STREET }, '', ctx)
    expect(secret).toMatch(/^gsd_/)
    const wall = await service.authenticate(secret)
    expect(wall).toMatchObject({ kind: 'display', access: 'display', jurisdiction: STREET, id: display.id })
    const key = await service.addIngestKey({ name: 'cams', source: 'xueliang', jurisdiction: '330402' }, '', ctx)
    expect(await service.authenticate(key.secret)).toMatchObject({ kind: 'ingest', access: 'ingest' })

    await service.revokeDisplayToken(display.id, '', ctx)
    await service.revokeIngestKey(key.key.id, '', ctx)
    await expect(service.authenticate(secret)).rejects.toThrow(/display token is not valid/)
    await expect(service.authenticate(key.secret)).rejects.toThrow(/ingest key is not valid/)
    await expect(service.authenticate('gsd_unknown')).rejects.toThrow(TokenError)
  })

  it('refuses bad input and anything outside the acting admin’s jurisdiction', async () => {
    const { service } = await freshAuth(engine)
    const add = (o: Partial<{ username: string; jurisdiction: string; password: string }>, within = '') =>
      service.addUser({ username: 'ok-name', role: 'operator', jurisdiction: STREET, ...o }, within, ctx)
    await expect(add({ username: 'a' })).rejects.toThrow(/username must be/)
    await expect(add({ username: '<script>' })).rejects.toThrow(AuthInputError)
    await expect(add({ jurisdiction: '33040' })).rejects.toThrow(/jurisdiction must be a unit code/)
    await expect(add({ password: 'short' })).rejects.toThrow(/at least 12/)
    await expect(add({ jurisdiction: NEIGHBOUR }, STREET)).rejects.toThrow(AuthScopeError)
    await expect(service.addDisplayToken({ name: 'x', scope: '330402' }, STREET, ctx)).rejects.toThrow(AuthScopeError)
    await add({})
    await expect(add({})).rejects.toThrow(/already exists/)
    // an admin of another street cannot revoke (or even find) this user
    await expect(service.revokeUser('ok-name', NEIGHBOUR, ctx)).rejects.toThrow(/no user/)
  })
})

describe('the JWT key', () => {
  it('is generated once into DATA_DIR, readable by the owner only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gridsight-jwt-'))
    dirs.push(dir)
    const a = loadJwtSecret(dir, undefined)
    const b = loadJwtSecret(dir, undefined)
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true)
    expect(statSync(join(dir, JWT_KEY_FILE)).mode & 0o777).toBe(0o600)
    expect(Buffer.from(loadJwtSecret(dir, 'x'.repeat(40))).toString()).toBe('x'.repeat(40))
  })
})

describe('the revocation registry', () => {
  it('keeps a throwing listener from stopping the others', () => {
    const errors: unknown[] = []
    const r = new Revocations((err) => errors.push(err))
    const heard: string[] = []
    r.onRevoke(() => {
      throw new Error('boom')
    })
    const off = r.onRevoke((e) => heard.push(e.id))
    expect(r.add({ kind: 'user', id: 'u1' })).toBe(true)
    expect(r.add({ kind: 'user', id: 'u1' })).toBe(false)
    off()
    r.add({ kind: 'user', id: 'u2' })
    expect(heard).toEqual(['u1'])
    expect(errors).toHaveLength(2)
    expect(r.has('user', 'u2')).toBe(true)
    r.add({ kind: 'session', id: 's1' }, 1000)
    r.forgetSessionsBefore(2000)
    expect(r.has('session', 's1')).toBe(false)
  })
})
