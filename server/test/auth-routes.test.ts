/**
 * The auth plugin and routes through app.inject(): login, refresh, logout, me; refused tokens
 * (none, expired, alg none, wrong issuer/audience/key, tampered); role and jurisdiction checks on
 * routes registered here; the admin API; login brute force → 429; the first admin; revocation
 * heard by `app.auth.onRevoke` (also when another process revokes); security headers.
 */
import { afterAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../src/app.ts'
import { openAuthStore } from '../src/auth/auth-store.ts'
import { JwtIssuer, loadJwtSecret } from '../src/auth/jwt.ts'
import type { RevokeEvent } from '../src/auth/revocations.ts'
import { AuthService } from '../src/auth/service.ts'
import { forgedTokens } from './forged-tokens.ts'
import { testConfig } from './helpers.ts'

const STREET = '330402007'
const NEIGHBOUR = '330402008'
const apps: FastifyInstance[] = []
afterAll(async () => {
  await Promise.allSettled(apps.map((a) => a.close()))
})

async function app(env: Record<string, string> = {}, opts: Parameters<typeof buildApp>[1] = {}) {
  const config = testConfig(env)
  const a = await buildApp(config, opts)
  apps.push(a)
  return { app: a, config }
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

async function login(a: FastifyInstance, username: string, password: string) {
  const res = await a.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } })
  if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`)
  return res.json() as { accessToken: string; refreshToken: string; expiresIn: number }
}

async function adminToken(a: FastifyInstance) {
  return (await login(a, 'admin', a.initialAdmin!.password)).accessToken
}

async function addUser(a: FastifyInstance, token: string, body: Record<string, unknown>) {
  return a.inject({ method: 'POST', url: '/api/v1/admin/users', headers: bearer(token), payload: body })
}

describe('login, refresh, logout and me', async () => {
  const { app: a } = await app()

  it('creates the first admin on the first start only, and logs it in', async () => {
    expect(a.initialAdmin?.username).toBe('admin')
    const { accessToken, expiresIn } = await login(a, 'admin', a.initialAdmin!.password)
    expect(expiresIn).toBe(900)
    const me = await a.inject({ url: '/api/v1/auth/me', headers: bearer(accessToken) })
    expect(me.json()).toMatchObject({ kind: 'user', name: 'admin', access: 'admin', jurisdiction: '330402' })
  })

  it('answers a wrong password and an unknown user alike, 401', async () => {
    for (const payload of [
      { username: 'admin', password: 'not-the-password' },
      { username: 'ghost', password: 'not-the-password' },
    ]) {
      const res = await a.inject({ method: 'POST', url: '/api/v1/auth/login', payload })
      expect(res.statusCode).toBe(401)
      expect(res.json()).toEqual({ error: 'Unauthorized', message: 'wrong username or password' })
    }
  })

  it('refuses malformed login bodies with a message naming the field', async () => {
    const res = await a.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin' } })
    expect(res.statusCode).toBe(400)
    expect(res.json().message).toMatch(/password/)
    const huge = await a.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'admin', password: 'x'.repeat(5000) },
    })
    expect(huge.statusCode).toBe(400)
  })

  it('rotates the refresh token; logout ends the session for access and refresh tokens', async () => {
    const first = await login(a, 'admin', a.initialAdmin!.password)
    const r = await a.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      payload: { refreshToken: first.refreshToken },
    })
    expect(r.statusCode).toBe(200)
    const second = r.json() as { accessToken: string; refreshToken: string }
    const heard: RevokeEvent[] = []
    const off = a.auth.onRevoke((e) => heard.push(e))
    const out = await a.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: bearer(second.accessToken) })
    off()
    expect(out.statusCode).toBe(204)
    expect(heard.map((e) => e.kind)).toEqual(['session'])
    const me = await a.inject({ url: '/api/v1/auth/me', headers: bearer(second.accessToken) })
    expect(me.statusCode).toBe(401)
    expect(me.headers['www-authenticate']).toBe('Bearer')
    const again = await a.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      payload: { refreshToken: second.refreshToken },
    })
    expect(again.statusCode).toBe(401)
  })
})

describe('refused tokens', async () => {
  const { app: a, config } = await app()
  const key = loadJwtSecret(config.DATA_DIR, undefined)
  const good = await login(a, 'admin', a.initialAdmin!.password)
  const cases = forgedTokens(key, good.accessToken)
  it.each(cases)('%s → 401', async (_name, make) => {
    const token = await make()
    const res = await a.inject({ url: '/api/v1/auth/me', headers: token === undefined ? {} : bearer(token) })
    expect(res.statusCode).toBe(401)
    expect(res.json().error).toBe('Unauthorized')
    expect(res.body).not.toMatch(/at .*\.ts/)
  })
})

describe('route policies, roles and jurisdiction', async () => {
  // the policy itself, on routes registered here (the app's own routes: security-api.test.ts)
  const { app: a } = await app({})
  a.get('/api/t/unconfigured', async (req) => ({ who: req.principal?.name }))
  a.get('/api/t/public', { config: { auth: false } }, async () => ({ ok: true }))
  a.get<{ Params: { unit: string } }>(
    '/api/t/units/:unit',
    { config: { auth: { roles: ['admin', 'leader', 'operator', 'display'] } } },
    async (req, reply) => {
      if (!req.principal!.canSee(req.params.unit)) {
        return reply
          .code(403)
          .send({ error: 'Forbidden', message: `unit ${req.params.unit} is outside your jurisdiction` })
      }
      return { unit: req.params.unit }
    },
  )
  a.post('/api/t/ack', { config: { auth: { roles: ['operator', 'admin'] } } }, async () => ({ acknowledged: true }))
  a.post('/api/t/ingest', { config: { auth: { roles: ['ingest'] } } }, async (req) => ({ source: req.principal!.name }))

  const admin = await adminToken(a)
  const created = await addUser(a, admin, { username: 'street-op', role: 'operator', jurisdiction: STREET })
  const operator = (await login(a, 'street-op', (created.json() as { password: string }).password)).accessToken
  await addUser(a, admin, { username: 'leader1', role: 'leader', jurisdiction: STREET, password: 'leader-password-1' })
  const leader = (await login(a, 'leader1', 'leader-password-1')).accessToken
  const display = (
    await a.inject({
      method: 'POST',
      url: '/api/v1/admin/display-tokens',
      headers: bearer(admin),
      payload: { name: 'wall', scope: STREET },
    })
  ).json() as { secret: string; kioskPath: string; display: { id: string } }
  const ingest = (
    await a.inject({
      method: 'POST',
      url: '/api/v1/admin/keys',
      headers: bearer(admin),
      payload: { name: 'cams', source: 'xueliang', jurisdiction: STREET },
    })
  ).json() as { secret: string }

  it('an unconfigured route needs a token once the default is authenticated; auth:false stays public', async () => {
    expect((await a.inject({ url: '/api/t/unconfigured' })).statusCode).toBe(401)
    expect((await a.inject({ url: '/api/t/unconfigured', headers: bearer(operator) })).json()).toEqual({
      who: 'street-op',
    })
    expect((await a.inject({ url: '/api/t/public' })).statusCode).toBe(200)
    // ingest keys are write-only
    expect((await a.inject({ url: '/api/t/unconfigured', headers: bearer(ingest.secret) })).statusCode).toBe(403)
    expect((await a.inject({ url: '/api/v1/nope' })).statusCode).toBe(404)
  })

  it('a street user sees its street and what is below it, not the neighbour street nor the district', async () => {
    for (const [token, unit, status] of [
      [operator, STREET, 200],
      [operator, '330402007024001', 200],
      [operator, NEIGHBOUR, 403],
      [operator, '330402008001', 403],
      [operator, '330402', 403],
      [display.secret, '330402007024', 200],
      [display.secret, NEIGHBOUR, 403],
      [admin, NEIGHBOUR, 200],
    ] as const) {
      const res = await a.inject({ url: `/api/t/units/${unit}`, headers: bearer(token) })
      expect([unit, res.statusCode]).toEqual([unit, status])
    }
  })

  it('roles: acknowledge is for operators and admins; display tokens and leaders are refused', async () => {
    expect((await a.inject({ method: 'POST', url: '/api/t/ack', headers: bearer(operator) })).statusCode).toBe(200)
    const byLeader = await a.inject({ method: 'POST', url: '/api/t/ack', headers: bearer(leader) })
    expect(byLeader.statusCode).toBe(403)
    expect(byLeader.json().message).toMatch(/operator, admin; you are leader/)
    expect((await a.inject({ method: 'POST', url: '/api/t/ack', headers: bearer(display.secret) })).statusCode).toBe(
      403,
    )
    expect((await a.inject({ method: 'POST', url: '/api/t/ingest', headers: bearer(ingest.secret) })).json()).toEqual({
      source: 'cams',
    })
    expect((await a.inject({ method: 'POST', url: '/api/t/ingest', headers: bearer(admin) })).statusCode).toBe(403)
  })

  it('a display token works from its kiosk path until it is revoked', async () => {
    expect(display.kioskPath).toBe(`/?display=${display.secret}`)
    const me = await a.inject({ url: '/api/v1/auth/me', headers: bearer(display.secret) })
    expect(me.json()).toMatchObject({ kind: 'display', access: 'display', jurisdiction: STREET })
    const revoked = await a.inject({
      method: 'POST',
      url: `/api/v1/admin/display-tokens/${display.display.id}/revoke`,
      headers: bearer(admin),
    })
    expect(revoked.json().revokedAt).toBeTypeOf('number')
    expect((await a.inject({ url: '/api/v1/auth/me', headers: bearer(display.secret) })).statusCode).toBe(401)
  })
})

describe('the admin API', async () => {
  const { app: a } = await app()
  const admin = await adminToken(a)
  await addUser(a, admin, {
    username: 'street-admin',
    role: 'admin',
    jurisdiction: STREET,
    password: 'street-admin-pass',
  })
  const streetAdmin = (await login(a, 'street-admin', 'street-admin-pass')).accessToken
  await addUser(a, admin, {
    username: 'neighbour-op',
    role: 'operator',
    jurisdiction: NEIGHBOUR,
    password: 'neighbour-op-pass',
  })

  it('is for admins only', async () => {
    expect((await a.inject({ url: '/api/v1/admin/users' })).statusCode).toBe(401)
    await addUser(a, admin, { username: 'op2', role: 'operator', jurisdiction: STREET, password: 'operator-pass-2' })
    const op = (await login(a, 'op2', 'operator-pass-2')).accessToken
    expect((await a.inject({ url: '/api/v1/admin/users', headers: bearer(op) })).statusCode).toBe(403)
    expect((await addUser(a, op, { username: 'x1', role: 'admin', jurisdiction: STREET })).statusCode).toBe(403)
  })

  it('a street admin lists and creates within its street only', async () => {
    const list = await a.inject({ url: '/api/v1/admin/users', headers: bearer(streetAdmin) })
    const names = (list.json() as { items: { username: string }[] }).items.map((u) => u.username)
    expect(names).toContain('street-admin')
    expect(names).not.toContain('neighbour-op')
    expect(names).not.toContain('admin')
    const outside = await addUser(a, streetAdmin, { username: 'evil', role: 'admin', jurisdiction: '330402' })
    expect(outside.statusCode).toBe(403)
    expect(outside.json().message).toMatch(/outside your jurisdiction/)
    const neighbour = (await a.auth.store.userByName('neighbour-op'))!
    const revoke = await a.inject({
      method: 'POST',
      url: `/api/v1/admin/users/${neighbour.id}/revoke`,
      headers: bearer(streetAdmin),
    })
    expect(revoke.statusCode).toBe(400)
    expect(revoke.json().message).toMatch(/no user/)
  })

  it('validates bodies with messages that name the field', async () => {
    const res = await addUser(a, admin, { username: 'ok-user', role: 'superuser', jurisdiction: STREET })
    expect(res.statusCode).toBe(400)
    expect(res.json().message).toMatch(/role/)
    const code = await addUser(a, admin, { username: 'ok-user', role: 'leader', jurisdiction: '3304' })
    expect(code.statusCode).toBe(400)
    expect(code.json().message).toMatch(/jurisdiction/)
    // well-formed, but no unit of this region: a wall on it would never load
    const wall = await a.inject({
      method: 'POST',
      url: '/api/v1/admin/display-tokens',
      headers: bearer(admin),
      payload: { name: 'typo', scope: '330402001' },
    })
    expect(wall.statusCode).toBe(400)
    expect(wall.json().message).toBe('scope 330402001 is not a unit of the region this server serves')
    const nowhere = await addUser(a, admin, { username: 'nowhere', role: 'leader', jurisdiction: '330402016' })
    expect(nowhere.json().message).toBe('jurisdiction 330402016 is not a unit of the region this server serves')
  })

  it('keys: created once with the secret, listed without it, revoked', async () => {
    const created = await a.inject({
      method: 'POST',
      url: '/api/v1/admin/keys',
      headers: bearer(admin),
      payload: { name: 'gps', source: 'grid-app', jurisdiction: STREET },
    })
    expect(created.statusCode).toBe(201)
    const { key, secret } = created.json() as { key: { id: string }; secret: string }
    expect(secret).toMatch(/^gsi_/)
    const list = await a.inject({ url: '/api/v1/admin/keys', headers: bearer(admin) })
    expect(list.body).not.toContain(secret)
    expect(list.body).not.toMatch(/hash/i)
    expect(list.json().items).toHaveLength(1)
    const revoked = await a.inject({
      method: 'POST',
      url: `/api/v1/admin/keys/${key.id}/revoke`,
      headers: bearer(admin),
    })
    expect(revoked.statusCode).toBe(200)
    expect((await a.inject({ url: '/api/v1/auth/me', headers: bearer(secret) })).statusCode).toBe(401)
  })

  it('revoking a user ends its sessions and is heard by onRevoke; an admin cannot revoke itself', async () => {
    await addUser(a, admin, {
      username: 'leaving',
      role: 'operator',
      jurisdiction: STREET,
      password: 'leaving-password',
    })
    const tokens = await login(a, 'leaving', 'leaving-password')
    const u = (await a.auth.store.userByName('leaving'))!
    const heard: RevokeEvent[] = []
    a.auth.onRevoke((e) => heard.push(e))
    const res = await a.inject({
      method: 'POST',
      url: `/api/v1/admin/users/${u.id}/revoke`,
      headers: bearer(streetAdmin),
    })
    expect(res.statusCode).toBe(200)
    expect(heard).toContainEqual({ kind: 'user', id: u.id })
    expect((await a.inject({ url: '/api/v1/auth/me', headers: bearer(tokens.accessToken) })).statusCode).toBe(401)
    const refresh = await a.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      payload: { refreshToken: tokens.refreshToken },
    })
    expect(refresh.statusCode).toBe(401)
    const me = (await a.auth.store.userByName('admin'))!
    const self = await a.inject({ method: 'POST', url: `/api/v1/admin/users/${me.id}/revoke`, headers: bearer(admin) })
    expect(self.statusCode).toBe(403)
  })

  it('the audit log records who, what, when and from where; street admins may not read it', async () => {
    await a.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'user-agent': 'brute/1.0' },
      payload: { username: 'street-admin', password: 'guess-guess-guess' },
    })
    const res = await a.inject({ url: '/api/v1/admin/audit?limit=200', headers: bearer(admin) })
    const items = (res.json() as { items: { action: string; actor: string; ip: string; userAgent: string }[] }).items
    expect(items[0]).toMatchObject({
      action: 'login_failed',
      actor: 'street-admin',
      ip: '127.0.0.1',
      userAgent: 'brute/1.0',
    })
    const actions = new Set(items.map((e) => e.action))
    for (const action of ['login', 'login_failed', 'user_add', 'user_revoke', 'key_add', 'key_revoke']) {
      expect(actions).toContain(action)
    }
    expect((await a.inject({ url: '/api/v1/admin/audit', headers: bearer(streetAdmin) })).statusCode).toBe(403)
    expect(res.body).not.toContain('street-admin-pass')
  })

  it('is in the OpenAPI document', async () => {
    const doc = (await a.inject({ url: '/docs/json' })).json() as { paths: Record<string, unknown> }
    for (const path of [
      '/api/v1/auth/login',
      '/api/v1/auth/refresh',
      '/api/v1/auth/logout',
      '/api/v1/auth/me',
      '/api/v1/admin/users',
      '/api/v1/admin/users/{id}/revoke',
      '/api/v1/admin/keys',
      '/api/v1/admin/display-tokens',
      '/api/v1/admin/display-tokens/{id}/revoke',
    ]) {
      expect(Object.keys(doc.paths)).toContain(path)
    }
  })
})

describe('login brute force', async () => {
  const { app: a } = await app({ LOGIN_RATE_LIMIT: '3' })

  it('gets 429 after the limit, even with the right password, while other addresses may still try', async () => {
    const attempt = (password: string, ip = '127.0.0.1') =>
      a.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        remoteAddress: ip,
        payload: { username: 'admin', password },
      })
    for (let i = 0; i < 3; i++) expect((await attempt(`wrong-${i}-password`)).statusCode).toBe(401)
    const blocked = await attempt(a.initialAdmin!.password)
    expect(blocked.statusCode).toBe(429)
    expect(blocked.json().error).toBe('Too Many Requests')
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0)
    expect((await attempt(a.initialAdmin!.password, '127.0.0.2')).statusCode).toBe(200)
  })
})

describe('restarts and other processes', () => {
  it('a second start on the same data creates no admin; revocations by another process reach onRevoke within 5 s', async () => {
    const { app: first, config } = await app()
    const password = first.initialAdmin!.password
    await first.close()
    const second = await buildApp(config, { auth: { revocationPollMs: 100 } })
    apps.push(second)
    expect(second.initialAdmin).toBeUndefined()
    const token = (await login(second, 'admin', password)).accessToken
    await second.ready()

    // the CLI: its own store and service on the same data
    const cliStore = openAuthStore({ dataDir: config.DATA_DIR })
    const cli = new AuthService({ store: cliStore, jwt: new JwtIssuer(loadJwtSecret(config.DATA_DIR, undefined)) })
    await cli.addUser({ username: 'temp', role: 'operator', jurisdiction: STREET, password: 'temp-password-1' }, '', {
      actor: 'cli',
    })
    const temp = await login(second, 'temp', 'temp-password-1')
    const heard = new Promise<RevokeEvent>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no revocation heard within 5 s')), 5000)
      second.auth.onRevoke((e) => {
        clearTimeout(timer)
        resolve(e)
      })
    })
    const revoked = await cli.revokeUser('temp', '', { actor: 'cli' })
    expect(await heard).toEqual({ kind: 'user', id: revoked.id })
    expect((await second.inject({ url: '/api/v1/auth/me', headers: bearer(temp.accessToken) })).statusCode).toBe(401)
    expect((await second.inject({ url: '/api/v1/auth/me', headers: bearer(token) })).statusCode).toBe(200)
    await cliStore.close()
  })
})

describe('security headers', async () => {
  const { app: a } = await app()

  it('every answer carries a CSP that allows our own origin, blob: workers and nothing third-party', async () => {
    for (const url of ['/api/v1/health', '/', '/api/v1/nope']) {
      const res = await a.inject({ url })
      const csp = res.headers['content-security-policy'] as string
      expect(csp).toContain("default-src 'self'")
      expect(csp).toContain("script-src 'self'")
      expect(csp).toContain("worker-src 'self' blob:")
      expect(csp).toContain("object-src 'none'")
      expect(csp).not.toContain('upgrade-insecure-requests')
      expect(csp).not.toMatch(/https?:/)
      expect(res.headers['x-content-type-options']).toBe('nosniff')
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN')
    }
  })
})
