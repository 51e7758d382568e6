/**
 * The auth store against a real server process (its first start gives an admin and a wall's
 * display token): kiosk URL, login, refresh rotation, 401 → refresh → retry, logout, revocation.
 * Only the browser around the store is replaced: storage, the address bar and the timers.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { startServerProcess, type ServerProcess } from '@gridsight/server/test/server-process'
import { apiFetch } from '../api/http.ts'
import {
  authEnv,
  DISPLAY_STORAGE,
  homeScopeFor,
  LoginError,
  refreshDelayMs,
  REFRESH_STORAGE,
  useAuthStore,
  type AuthEnv,
} from './auth.ts'

class MemoryStorage implements Storage {
  #m = new Map<string, string>()
  get length() {
    return this.#m.size
  }
  clear() {
    this.#m.clear()
  }
  getItem(k: string) {
    return this.#m.get(k) ?? null
  }
  key(i: number) {
    return [...this.#m.keys()][i] ?? null
  }
  removeItem(k: string) {
    this.#m.delete(k)
  }
  setItem(k: string, v: string) {
    this.#m.set(k, v)
  }
}

const realEnv = { ...authEnv }
const realFetch = globalThis.fetch

describe('auth store', () => {
  let server: ServerProcess
  let admin: { username: string; password: string }
  let local: MemoryStorage
  let session: MemoryStorage
  let href: string
  let timers: { fn: () => void; ms: number; cleared: boolean }[]

  beforeAll(async () => {
    server = await startServerProcess({ SIMULATOR: 'off', LOGIN_RATE_LIMIT: '200' })
    admin = server.admin!
  }, 60_000)
  afterAll(async () => {
    await server?.stop()
  })

  beforeEach(() => {
    local = new MemoryStorage()
    session = new MemoryStorage()
    href = 'http://wall.local/?lang=en'
    timers = []
    const env: Partial<AuthEnv> = {
      local: () => local,
      session: () => session,
      href: () => href,
      replaceUrl: (url) => (href = new URL(url, href).href),
      setTimer: (fn, ms) => {
        const t = { fn, ms, cleared: false }
        timers.push(t)
        return t
      },
      clearTimer: (t) => {
        if (t) (t as { cleared: boolean }).cleared = true
      },
    }
    Object.assign(authEnv, env)
    // the page's relative URLs go to the test server: the network boundary, nothing else faked
    vi.stubGlobal('fetch', (url: string, init?: RequestInit) => realFetch(new URL(url, server.url), init))
    setActivePinia(createPinia())
  })
  afterEach(() => {
    Object.assign(authEnv, realEnv)
    vi.unstubAllGlobals()
  })

  /** a reload of the page: a new store over the same storage */
  function reload() {
    setActivePinia(createPinia())
    return useAuthStore()
  }

  async function adminToken(): Promise<string> {
    const res = await realFetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(admin),
    })
    return ((await res.json()) as { accessToken: string }).accessToken
  }

  it('without any credential shows the login page', async () => {
    const auth = useAuthStore()
    expect(auth.status).toBe('loading')
    await auth.start()
    expect(auth.status).toBe('login')
    expect(auth.tokenFor('read')).toBeUndefined()
  })

  it('kiosk URL: keeps the display token, hides it from the address bar, reads with it and cannot act', async () => {
    href = `http://wall.local/?display=${server.displayToken}&lang=en#x`
    const auth = useAuthStore()
    await auth.start()
    expect(href).toBe('http://wall.local/?lang=en#x')
    expect(local.getItem(DISPLAY_STORAGE)).toBe(server.displayToken)
    expect(auth.status).toBe('ready')
    expect(auth.kiosk).toBe(true)
    expect(auth.me).toMatchObject({ kind: 'display', access: 'display', jurisdiction: '330402' })
    expect(auth.tokenFor('read')).toBe(server.displayToken)
    expect(auth.tokenFor('act')).toBeUndefined()
    expect(auth.canAct).toBe(false)
    // the wall reloads itself: no URL parameter any more, still the wall
    const again = reload()
    await again.start()
    expect(again.status).toBe('ready')
    expect(again.me?.kind).toBe('display')
  })

  it('a wrong password is refused with 401 and the page stays on login', async () => {
    const auth = useAuthStore()
    await auth.start()
    const err = await auth.login(admin.username, 'not-the-password').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(LoginError)
    expect((err as LoginError).status).toBe(401)
    expect(auth.status).toBe('login')
    expect(session.getItem(REFRESH_STORAGE)).toBeNull()
  })

  it('login: access token in memory, refresh token in sessionStorage, me from the server, refresh scheduled', async () => {
    const auth = useAuthStore()
    await auth.start()
    const user = await auth.login(admin.username, admin.password)
    expect(user).toMatchObject({ username: admin.username, role: 'admin' })
    expect(auth.status).toBe('ready')
    expect(auth.isAdmin).toBe(true)
    expect(auth.canAct).toBe(true)
    expect(auth.me).toMatchObject({ kind: 'user', access: 'admin', jurisdiction: '330402' })
    const refresh = session.getItem(REFRESH_STORAGE)
    expect(refresh).toMatch(/^gsr_/)
    expect(local.getItem(REFRESH_STORAGE)).toBeNull()
    expect(auth.tokenFor('read')).toBe(auth.tokenFor('act'))
    // apiFetch sends it
    const me = (await (await apiFetch('/api/v1/auth/me')).json()) as { name: string }
    expect(me.name).toBe(admin.username)

    // the scheduled refresh (a minute before the 15-minute expiry) rotates both tokens
    const scheduled = timers.filter((t) => !t.cleared)
    expect(scheduled.map((t) => t.ms)).toEqual([14 * 60_000])
    scheduled[0]!.fn()
    await vi.waitFor(() => expect(session.getItem(REFRESH_STORAGE)).not.toBe(refresh))
    expect(auth.session?.refresh).toBe(session.getItem(REFRESH_STORAGE))
    expect(timers.filter((t) => !t.cleared).map((t) => t.ms)).toEqual([14 * 60_000])
    expect((await apiFetch('/api/v1/auth/me')).status).toBe(200)
    // the spent refresh token is single use
    const reuse = await realFetch(`${server.url}/api/v1/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: refresh }),
    })
    expect(reuse.status).toBe(401)
  })

  it('a reload of the tab logs back in from the stored refresh token', async () => {
    const first = useAuthStore()
    await first.start()
    await first.login(admin.username, admin.password)
    const stored = session.getItem(REFRESH_STORAGE)
    const again = reload()
    await again.start()
    expect(again.status).toBe('ready')
    expect(again.me?.name).toBe(admin.username)
    // the stored refresh token was spent and replaced
    expect(session.getItem(REFRESH_STORAGE)).toMatch(/^gsr_/)
    expect(session.getItem(REFRESH_STORAGE)).not.toBe(stored)
  })

  it('a 401 refreshes once and retries; when the refresh is refused too, the login page says the session expired', async () => {
    const auth = useAuthStore()
    await auth.start()
    await auth.login(admin.username, admin.password)
    // an access token the server does not accept (as after a server key change)
    auth.session = { ...auth.session!, access: 'eyJhbGciOiJIUzI1NiJ9.e30.bad' }
    const res = await apiFetch('/api/v1/auth/me')
    expect(res.status).toBe(200)
    expect(auth.tokenFor('act')).not.toBe('eyJhbGciOiJIUzI1NiJ9.e30.bad')

    auth.session = { ...auth.session!, access: 'eyJhbGciOiJIUzI1NiJ9.e30.bad', refresh: 'gsr_spent' }
    const refused = await apiFetch('/api/v1/auth/me')
    expect(refused.status).toBe(401)
    expect(auth.status).toBe('login')
    expect(auth.loginReason).toBe('expired')
    expect(session.getItem(REFRESH_STORAGE)).toBeNull()
  })

  it('logout ends the session on the server', async () => {
    const auth = useAuthStore()
    await auth.start()
    await auth.login(admin.username, admin.password)
    const refresh = session.getItem(REFRESH_STORAGE)!
    await auth.logout()
    expect(auth.status).toBe('login')
    expect(auth.loginReason).toBeNull()
    expect(session.getItem(REFRESH_STORAGE)).toBeNull()
    const res = await realFetch(`${server.url}/api/v1/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: refresh }),
    })
    expect(res.status).toBe(401)
  })

  it('an operator logs in at a wall: acts with their token, reads with the wall token, nothing stored, idle logout', async () => {
    const token = await adminToken()
    await realFetch(`${server.url}/api/v1/admin/users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        username: 'duty1',
        role: 'operator',
        jurisdiction: '330402',
        password: 'duty1-password-123',
      }),
    })
    href = `http://wall.local/?display=${server.displayToken}`
    const auth = useAuthStore()
    await auth.start()
    await auth.login('duty1', 'duty1-password-123')
    expect(auth.status).toBe('ready')
    expect(auth.me?.kind).toBe('display')
    expect(auth.user?.username).toBe('duty1')
    expect(auth.canAct).toBe(true)
    expect(auth.isAdmin).toBe(false)
    expect(auth.tokenFor('read')).toBe(server.displayToken)
    expect(auth.tokenFor('act')).toMatch(/^ey/)
    expect(session.getItem(REFRESH_STORAGE)).toBeNull()
    const idle = timers.filter((t) => !t.cleared && t.ms === 10 * 60_000)
    expect(idle).toHaveLength(1)
    idle[0]!.fn()
    await vi.waitFor(() => expect(auth.user).toBeNull())
    expect(auth.status).toBe('ready')
    expect(auth.tokenFor('act')).toBeUndefined()
  })

  it('a revoked display token shows the revoked screen, also after a reload; forgetting it leads to login', async () => {
    const token = await adminToken()
    const created = (await (
      await realFetch(`${server.url}/api/v1/admin/display-tokens`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'test wall', scope: '330402007' }),
      })
    ).json()) as { display: { id: string }; secret: string; kioskPath: string }
    href = `http://wall.local${created.kioskPath}`
    const auth = useAuthStore()
    await auth.start()
    expect(auth.me).toMatchObject({ kind: 'display', jurisdiction: '330402007' })
    await realFetch(`${server.url}/api/v1/admin/display-tokens/${created.display.id}/revoke`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    })
    // any call the server refuses with 401 (here /auth/me, which has always needed a credential)
    expect((await apiFetch('/api/v1/auth/me')).status).toBe(401)
    expect(auth.status).toBe('revoked')
    const again = reload()
    await again.start()
    expect(again.status).toBe('revoked')
    again.forgetDisplay()
    expect(again.status).toBe('login')
    expect(local.getItem(DISPLAY_STORAGE)).toBeNull()
  })

  it('the socket is told of a revocation: a wall shows the revoked screen, a user goes to login', async () => {
    href = `http://wall.local/?display=${server.displayToken}`
    const wall = useAuthStore()
    await wall.start()
    wall.revoked('your access was revoked')
    expect(wall.status).toBe('revoked')
    expect(wall.displayRevoked).toBe('your access was revoked')
    local.clear()

    href = 'http://desk.local/'
    const desk = reload()
    await desk.start()
    await desk.login(admin.username, admin.password)
    desk.revoked('your access was revoked')
    expect(desk.status).toBe('login')
    expect(desk.loginReason).toBe('revoked')
  })
})

describe('auth helpers', () => {
  it('refreshes a minute before expiry, a fifth early for short tokens', () => {
    expect(refreshDelayMs(900)).toBe(840_000)
    expect(refreshDelayMs(60)).toBe(48_000)
    expect(refreshDelayMs(0)).toBe(1_000)
  })

  it('the home unit is ?scope= within the jurisdiction, else the jurisdiction', () => {
    expect(homeScopeFor(undefined, '330402001')).toBe('330402001')
    expect(homeScopeFor('330402001024', '330402001')).toBe('330402001024')
    expect(homeScopeFor('330402002', '330402001')).toBe('330402001')
    expect(homeScopeFor('330402', '330402001')).toBe('330402001')
    expect(homeScopeFor('330402002', undefined)).toBe('330402002')
  })
})
