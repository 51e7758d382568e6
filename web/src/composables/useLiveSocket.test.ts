/**
 * The live socket's credentials against a real server process: the handshake carries the token,
 * a refused one (a display token that is not valid) ends on the revoked screen, a user's scheduled
 * refresh is handed to the open socket in place, and a revocation closes it (wall: revoked
 * screen; user: login page).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { effectScope, type EffectScope } from 'vue'
import { startServerProcess, type ServerProcess } from '@gridsight/server/test/server-process'
import { authEnv, DISPLAY_STORAGE, useAuthStore } from '../stores/auth.ts'
import { useLiveStore } from '../stores/live.ts'
import { useLiveSocket } from './useLiveSocket.ts'
import { memoryStorage } from '../test-support/memory-storage.ts'

const realEnv = { ...authEnv }
const realFetch = globalThis.fetch
const WAIT = { timeout: 15_000, interval: 50 }

describe('useLiveSocket credentials', { timeout: 30_000 }, () => {
  let server: ServerProcess
  let adminAccess: string
  let local: Storage
  let scope: EffectScope | undefined

  const api = async (path: string, body?: object) => {
    const res = await realFetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminAccess}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    })
    if (res.status >= 300) throw new Error(`${path}: HTTP ${res.status}`)
    return res.json() as Promise<Record<string, any>>
  }

  beforeAll(async () => {
    server = await startServerProcess({ SIMULATOR: 'off', TICK_MS: '250', LOGIN_RATE_LIMIT: '200' })
    const res = await realFetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(server.admin),
    })
    adminAccess = ((await res.json()) as { accessToken: string }).accessToken
  }, 60_000)
  afterAll(async () => {
    await server?.stop()
  })
  beforeEach(() => {
    local = memoryStorage()
    Object.assign(authEnv, { local: () => local, session: () => memoryStorage(), href: () => 'http://wall.local/' })
    vi.stubGlobal('fetch', (url: string, init?: RequestInit) => realFetch(new URL(url, server.url), init))
    setActivePinia(createPinia())
  })
  afterEach(() => {
    scope?.stop()
    scope = undefined
    Object.assign(authEnv, realEnv)
    vi.unstubAllGlobals()
  })

  function connect(home?: string) {
    scope = effectScope()
    return scope.run(() => useLiveSocket({ url: server.url, scope: home, alertScope: home }))!
  }

  it('a wall connects with its display token; revoking it closes the socket and shows the revoked screen', async () => {
    const created = await api('/api/v1/admin/display-tokens', { name: 'socket wall', scope: '330402007' })
    local.setItem(DISPLAY_STORAGE, created.secret)
    const auth = useAuthStore()
    await auth.start()
    expect(auth.me?.jurisdiction).toBe('330402007')
    const socket = connect('330402007')
    const live = useLiveStore()
    await vi.waitFor(() => expect(live.mirror.scope).toBe('330402007'), WAIT)
    expect(live.connection).toBe('live')

    await api(`/api/v1/admin/display-tokens/${created.display.id}/revoke`)
    await vi.waitFor(() => expect(auth.status).toBe('revoked'), WAIT)
    expect(auth.displayRevoked).toMatch(/revoked/)
    await vi.waitFor(() => expect(socket.connected).toBe(false), WAIT)
  })

  it('a handshake refused for its token (a display token that is not valid) shows the revoked screen', async () => {
    // as if the token had been revoked after /auth/me answered: the handshake is what refuses it
    local.setItem(DISPLAY_STORAGE, 'gsd_not-a-token-the-server-knows')
    const auth = useAuthStore()
    auth.display = 'gsd_not-a-token-the-server-knows'
    auth.started = true
    expect(auth.status).toBe('ready')
    connect()
    await vi.waitFor(() => expect(auth.status).toBe('revoked'), WAIT)
    expect(auth.displayRevoked).toContain('display token is not valid')
  })

  it("a user's refreshed token is handed to the open socket; revoking the user sends them to the login page", async () => {
    const user = await api('/api/v1/admin/users', {
      username: 'socket-leader',
      role: 'leader',
      jurisdiction: '330402',
      password: 'socket-leader-password',
    })
    const auth = useAuthStore()
    await auth.start()
    await auth.login('socket-leader', 'socket-leader-password')
    const socket = connect('330402')
    const live = useLiveStore()
    await vi.waitFor(() => expect(live.connection).toBe('live'), WAIT)

    const sent: unknown[] = []
    socket.onAnyOutgoing((event, token) => sent.push([event, token]))
    const fresh = await auth.refresh()
    await vi.waitFor(() => expect(sent).toEqual([['auth:refresh', fresh]]), WAIT)
    // refreshed in place: no reconnect
    expect(socket.connected).toBe(true)
    expect(live.connection).toBe('live')

    await api(`/api/v1/admin/users/${user.user.id}/revoke`)
    await vi.waitFor(() => expect(auth.status).toBe('login'), WAIT)
    expect(auth.loginReason).toBe('revoked')
    await vi.waitFor(() => expect(socket.connected).toBe(false), WAIT)
  })
})
