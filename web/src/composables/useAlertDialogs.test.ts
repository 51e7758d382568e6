/**
 * The operator flow on a wall and at a desk. The server is stubbed at the network boundary
 * (fetch): /auth/me, /auth/login and one alert action, with the roles the real routes enforce.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { nextTick } from 'vue'
import { useAlertsStore } from '../stores/alerts.ts'
import { authEnv, DISPLAY_STORAGE, useAuthStore } from '../stores/auth.ts'
import { useAlertDialogs } from './useAlertDialogs.ts'
import { useDetailStore } from '../stores/detail.ts'
import { useMapFocusStore } from '../stores/map-focus.ts'
import { useCarouselStore } from '../stores/carousel.ts'
import { DISPUTE_POINTS_ZOOM } from '../map/disputes-layer.ts'
import { memoryStorage } from '../test-support/memory-storage.ts'

const ok = { alert: { id: 'a', state: 'acknowledged' }, history: [] }
const USERS: Record<string, { password: string; role: string; token: string }> = {
  duty: { password: 'duty-password-1', role: 'operator', token: 'jwt-duty' },
  boss: { password: 'boss-password-1', role: 'leader', token: 'jwt-boss' },
}
const realEnv = { ...authEnv }

const json = (status: number, body: unknown) =>
  new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  })

describe('operator flow', () => {
  let actions: (string | null)[]
  let actionStatus: number | null
  let local: Storage
  beforeEach(() => {
    setActivePinia(createPinia())
    actions = []
    actionStatus = null
    local = memoryStorage()
    Object.assign(authEnv, { local: () => local, session: () => memoryStorage(), href: () => 'http://wall.local/' })
    vi.stubGlobal('fetch', async (url: string, init: RequestInit = {}) => {
      const bearer = new Headers(init.headers).get('authorization')?.replace('Bearer ', '') ?? null
      const user = Object.entries(USERS).find(([, u]) => u.token === bearer)
      if (url === '/api/v1/auth/me') {
        if (bearer === 'gsd_wall') return json(200, { kind: 'display', access: 'display', jurisdiction: '330402' })
        if (user) return json(200, { kind: 'user', name: user[0], access: user[1].role, jurisdiction: '330402' })
        return json(401, { error: 'Unauthorized', message: 'no' })
      }
      if (url === '/api/v1/auth/login') {
        const { username, password } = JSON.parse(init.body as string) as { username: string; password: string }
        const u = USERS[username]
        if (!u || u.password !== password)
          return json(401, { error: 'Unauthorized', message: 'wrong username or password' })
        return json(200, {
          accessToken: u.token,
          expiresIn: 900,
          refreshToken: `gsr_${username}`,
          user: { id: username, username, role: u.role, jurisdiction: '330402', createdAt: 0, revokedAt: null },
        })
      }
      if (url === '/api/v1/auth/logout') return json(204, null)
      actions.push(bearer)
      if (actionStatus !== null) return json(actionStatus, { error: 'x', message: 'already resolved' })
      if (!user) return json(401, { error: 'Unauthorized', message: 'send a token' })
      if (user[1].role !== 'operator') {
        return json(403, { error: 'Forbidden', message: 'this needs one of the roles operator, admin; you are leader' })
      }
      return json(200, ok)
    })
  })
  afterEach(() => {
    Object.assign(authEnv, realEnv)
    vi.unstubAllGlobals()
  })

  async function wall() {
    local.setItem(DISPLAY_STORAGE, 'gsd_wall')
    const auth = useAuthStore()
    await auth.start()
    expect(auth.status).toBe('ready')
    return auth
  }

  it('on a wall asks an operator to log in, then acts with their token (never the display token)', async () => {
    const auth = await wall()
    const dialogs = useAlertDialogs()
    const alerts = useAlertsStore()
    const done = dialogs.withOperator(() => alerts.acknowledge('a'))
    await nextTick()
    expect(dialogs.operatorPrompt.value?.reason).toBe(0)
    expect(actions).toEqual([])
    await auth.login('duty', 'duty-password-1', { persist: false })
    dialogs.operatorPrompt.value!.done(true)
    await done
    expect(actions).toEqual(['jwt-duty'])
    expect(dialogs.operatorPrompt.value).toBeNull()
    // the next action does not ask again
    await dialogs.withOperator(() => alerts.acknowledge('a'))
    expect(actions).toEqual(['jwt-duty', 'jwt-duty'])
    expect(auth.tokenFor('read')).toBe('gsd_wall')
  })

  it('a user who may not act is refused with the server message, logged out, and asked again', async () => {
    const auth = await wall()
    const dialogs = useAlertDialogs()
    const alerts = useAlertsStore()
    await auth.login('boss', 'boss-password-1', { persist: false })
    const done = dialogs.withOperator(() => alerts.acknowledge('a'))
    await vi.waitFor(() => expect(dialogs.operatorPrompt.value?.reason).toBe(403))
    expect(dialogs.operatorPrompt.value?.message).toContain('you are leader')
    expect(auth.user).toBeNull()
    await auth.login('duty', 'duty-password-1', { persist: false })
    dialogs.operatorPrompt.value!.done(true)
    await done
    expect(actions).toEqual(['jwt-boss', 'jwt-duty'])
  })

  it('a cancel gives up quietly; other errors (409) reach the caller with the server message', async () => {
    const auth = await wall()
    const dialogs = useAlertDialogs()
    const alerts = useAlertsStore()
    const cancelled = dialogs.withOperator(() => alerts.acknowledge('a'))
    await nextTick()
    dialogs.operatorPrompt.value!.done(false)
    expect(await cancelled).toBeUndefined()
    expect(actions).toEqual([])
    await auth.login('duty', 'duty-password-1', { persist: false })
    actionStatus = 409
    await expect(dialogs.withOperator(() => alerts.resolve('a'))).rejects.toThrow('already resolved')
  })

  it('at a desk the logged-in user acts as themselves; a refusal is an error, not a login prompt', async () => {
    const auth = useAuthStore()
    await auth.start()
    expect(auth.status).toBe('login')
    await auth.login('boss', 'boss-password-1')
    const dialogs = useAlertDialogs()
    const alerts = useAlertsStore()
    await expect(dialogs.withOperator(() => alerts.acknowledge('a'))).rejects.toThrow('you are leader')
    expect(dialogs.operatorPrompt.value).toBeNull()
    expect(auth.status).toBe('ready')
  })
})

describe("an alert's subject", () => {
  beforeEach(() => setActivePinia(createPinia()))

  it("a dispute alert (督办) opens the dispute's detail panel, flies to it where dots are drawn, and closes the dialogs", () => {
    const dialogs = useAlertDialogs()
    dialogs.openList()
    dialogs.openDetail('alert-1')
    dialogs.openSubject({ subject: { kind: 'dispute', id: 'D-7' }, lon: 120.75, lat: 30.76 })
    expect(useDetailStore().target).toEqual({ kind: 'disputes', id: 'D-7' })
    const req = useMapFocusStore().request!
    expect(req.target).toMatchObject({ kind: 'point', lon: 120.75, lat: 30.76 })
    expect((req.target as { zoom: number }).zoom).toBeGreaterThanOrEqual(DISPUTE_POINTS_ZOOM)
    expect(req.reason).toBe('alert')
    expect(dialogs.detailId.value).toBeNull()
    expect(dialogs.listOpen.value).toBe(false)
    // the open panel holds the carousel, as one opened from the map does
    expect([...useCarouselStore().holds]).toContain('detail')
  })

  it('a case alert opens the case; one without a position opens its panel and leaves the map where it is', () => {
    const dialogs = useAlertDialogs()
    dialogs.openSubject({ subject: { kind: 'case', id: 'C-3' }, lon: 120.7, lat: 30.7 })
    expect(useDetailStore().target).toEqual({ kind: 'cases', id: 'C-3' })
    const flown = useMapFocusStore().request
    dialogs.openSubject({ subject: { kind: 'unit', id: '330402001' }, lon: null, lat: null })
    expect(useDetailStore().target).toEqual({ kind: 'unit', id: '330402001' })
    expect(useMapFocusStore().request).toBe(flown)
  })
})
