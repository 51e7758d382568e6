/**
 * The login form shared by the login page and the wall's operator dialog. The server is stubbed at
 * the network boundary (fetch): /auth/login refuses a wrong password (401), answers 429 after too
 * many attempts and may not answer at all; /auth/me confirms a desk login.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { authEnv, LoginError, REFRESH_STORAGE, useAuthStore } from '../stores/auth.ts'
import { loginFailure, useLogin } from './useLogin.ts'
import { memoryStorage } from '../test-support/memory-storage.ts'

const realEnv = { ...authEnv }

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } })

const USER = { id: 'u1', username: 'duty', role: 'operator', jurisdiction: '330402', createdAt: 0, revokedAt: null }

describe('useLogin', () => {
  let session: Storage
  /** what /auth/login answers next: null, a good password is accepted */
  let refuse: (() => Response) | null
  let attempts: { username: string; password: string }[]
  /** resolves the pending /auth/login call, when held */
  let release: (() => void) | null

  beforeEach(() => {
    setActivePinia(createPinia())
    session = memoryStorage()
    refuse = null
    attempts = []
    release = null
    Object.assign(authEnv, {
      local: () => memoryStorage(),
      session: () => session,
      href: () => 'http://desk.local/',
      setTimer: () => 0,
      clearTimer: () => {},
    })
    vi.stubGlobal('fetch', async (url: string, init: RequestInit = {}) => {
      if (url === '/api/v1/auth/me') return json(200, { kind: 'user', name: 'duty', access: 'operator' })
      if (url !== '/api/v1/auth/login') return json(404, { message: 'no route' })
      attempts.push(JSON.parse(init.body as string) as { username: string; password: string })
      if (release === null) await Promise.resolve()
      else await new Promise<void>((r) => (release = r))
      if (refuse) return refuse()
      const { password } = attempts.at(-1)!
      if (password !== 'right-password') return json(401, { error: 'Unauthorized', message: 'wrong' })
      return json(200, { accessToken: 'jwt', expiresIn: 900, refreshToken: 'gsr_1', user: USER })
    })
  })
  afterEach(() => {
    Object.assign(authEnv, realEnv)
    vi.unstubAllGlobals()
  })

  it('sends nothing without a name and a password; trims the name, not the password', async () => {
    const form = useLogin()
    expect(form.canSubmit.value).toBe(false)
    form.username.value = '   '
    form.password.value = 'right-password'
    expect(form.canSubmit.value).toBe(false)
    await form.submit()
    expect(attempts).toEqual([])

    form.username.value = ' duty '
    form.password.value = ' right-password'
    expect(form.canSubmit.value).toBe(true)
    await form.submit()
    expect(attempts).toEqual([{ username: 'duty', password: ' right-password' }])
  })

  it('a wrong password: the 401 message, the password cleared, the name kept', async () => {
    const form = useLogin()
    form.username.value = 'duty'
    form.password.value = 'wrong-password'
    await form.submit()
    expect(form.error.value).toEqual({ key: 'auth.login.wrong', params: {} })
    expect(form.password.value).toBe('')
    expect(form.username.value).toBe('duty')
    expect(form.busy.value).toBe(false)
    expect(form.canSubmit.value).toBe(false)
    expect(useAuthStore().user).toBeNull()
  })

  it('too many attempts names the wait the server asks for; no answer names the error', async () => {
    const form = useLogin()
    refuse = () => json(429, { message: 'slow down' }, { 'retry-after': '42' })
    form.username.value = 'duty'
    form.password.value = 'right-password'
    await form.submit()
    expect(form.error.value).toEqual({ key: 'auth.login.tooMany', params: { s: 42 } })

    refuse = () => {
      throw new TypeError('fetch failed')
    }
    form.password.value = 'right-password'
    await form.submit()
    expect(form.error.value).toEqual({ key: 'auth.login.failed', params: { message: 'fetch failed' } })
  })

  it('one attempt at a time; a success clears the message and calls back once', async () => {
    const onSuccess = vi.fn()
    const form = useLogin({ onSuccess })
    form.username.value = 'duty'
    form.password.value = 'wrong-password'
    await form.submit()
    expect(form.error.value).not.toBeNull()

    release = () => {}
    form.password.value = 'right-password'
    const first = form.submit()
    expect(form.busy.value).toBe(true)
    expect(form.error.value).toBeNull()
    expect(form.canSubmit.value).toBe(false)
    await form.submit() // a second press while the first is under way sends nothing
    await vi.waitFor(() => expect(attempts).toHaveLength(2))
    release!()
    await first
    expect(attempts).toHaveLength(2)
    expect(onSuccess).toHaveBeenCalledTimes(1)
    expect(form.busy.value).toBe(false)
    expect(form.error.value).toBeNull()
    expect(useAuthStore().user?.username).toBe('duty')
  })

  it("a desk login keeps the tab's refresh token; the wall's operator (persist: false) does not", async () => {
    const desk = useLogin()
    desk.username.value = 'duty'
    desk.password.value = 'right-password'
    await desk.submit()
    expect(session.getItem(REFRESH_STORAGE)).toBe('gsr_1')

    setActivePinia(createPinia())
    session = memoryStorage()
    const operator = useLogin({ persist: false })
    operator.username.value = 'duty'
    operator.password.value = 'right-password'
    await operator.submit()
    expect(useAuthStore().user?.username).toBe('duty')
    expect(session.getItem(REFRESH_STORAGE)).toBeNull()
  })

  it('loginFailure words any thrown value: a 429 without Retry-After waits a minute', () => {
    expect(loginFailure(new LoginError('busy', 429))).toEqual({ key: 'auth.login.tooMany', params: { s: 60 } })
    expect(loginFailure(new LoginError('boom', 500))).toEqual({ key: 'auth.login.failed', params: { message: 'boom' } })
  })
})
