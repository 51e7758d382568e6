/**
 * Who the screen is (issue 9, docs/security.md): a wall's display token, or a logged-in user.
 *
 * - Kiosk: `/?display=gsd_…` is kept in localStorage, so a wall that reloads itself (or is
 *   power-cycled) keeps working with no login form, and is removed from the visible URL at once.
 *   It reads only; acting on an alert asks an operator to log in on the spot (`login` with
 *   `persist: false`), and that operator's session lives in memory only and ends after
 *   `OPERATOR_IDLE_MS` without an action: a wall must not keep someone's session.
 * - User (the login page): the access token (15 min) is kept in memory only and refreshed a
 *   minute before it expires; the refresh token (12 h, single use, rotated on every refresh) goes
 *   to sessionStorage. sessionStorage rather than localStorage: it survives a reload of the tab
 *   (the user stays logged in) but not closing the tab or the browser, and is not shared with
 *   other tabs, so on a shared duty-room PC the session does not outlive the person at it and two
 *   tabs never race to spend the same single-use token. Script on the page could read either, so
 *   nothing is gained from localStorage but a longer-lived secret.
 *
 * `me` is what the server says about the credential (GET /auth/me); its jurisdiction is the home
 * unit of the screen.
 */
import { computed, ref, shallowRef } from 'vue'
import { defineStore } from 'pinia'
import type { AuthUser, PrincipalResponse, TokenResponse } from '@gridsight/shared'
import { apiError, apiFetch, setCredentialSource, type CredentialPurpose } from '../api/http.ts'

export const DISPLAY_STORAGE = 'gridsight.display'
export const REFRESH_STORAGE = 'gridsight.refresh'
export const DISPLAY_PARAM = 'display'
/** a wall's operator session ends after this long without an action */
export const OPERATOR_IDLE_MS = 10 * 60_000
/** a socket handshake refreshes an access token first when it has less than this left */
const FRESH_MARGIN_MS = 30_000

/** The browser around the store; tests swap in their own. */
export interface AuthEnv {
  local: () => Storage | null
  session: () => Storage | null
  href: () => string
  replaceUrl: (url: string) => void
  setTimer: (fn: () => void, ms: number) => unknown
  clearTimer: (handle: unknown) => void
  now: () => number
}

function storage(get: () => Storage | undefined): () => Storage | null {
  return () => {
    try {
      return get() ?? null
    } catch {
      return null // a kiosk profile may forbid storage
    }
  }
}

export const authEnv: AuthEnv = {
  local: storage(() => globalThis.localStorage),
  session: storage(() => globalThis.sessionStorage),
  href: () => globalThis.location?.href ?? 'http://localhost/',
  replaceUrl: (url) => globalThis.history?.replaceState(globalThis.history.state, '', url),
  setTimer: (fn, ms) => setTimeout(fn, ms),
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  now: () => Date.now(),
}

function read(s: Storage | null, key: string): string | null {
  try {
    return s?.getItem(key) ?? null
  } catch {
    return null
  }
}
function write(s: Storage | null, key: string, value: string | null): void {
  try {
    if (value === null) s?.removeItem(key)
    else s?.setItem(key, value)
  } catch {
    // storage disabled: the credential lasts as long as the page
  }
}

/** When to refresh an access token that expires in `expiresInS`: a minute early (a fifth early for short ones). */
export function refreshDelayMs(expiresInS: number): number {
  const life = expiresInS * 1000
  return Math.max(1_000, life - Math.min(60_000, life / 5))
}

/**
 * The screen's home unit: `?scope=` when it lies within the jurisdiction (codes are hierarchical,
 * so "within" is "starts with"), else the jurisdiction itself.
 */
export function homeScopeFor(urlScope: string | undefined, jurisdiction: string | undefined): string | undefined {
  if (jurisdiction === undefined) return urlScope
  return urlScope !== undefined && urlScope.startsWith(jurisdiction) ? urlScope : jurisdiction
}

/** A refused login: 401 (wrong name or password), 429 (too many attempts), 0 (no answer). */
export class LoginError extends Error {
  override name = 'LoginError'
  readonly status: number
  readonly retryAfterS: number | null
  constructor(message: string, status: number, retryAfterS: number | null = null) {
    super(message)
    this.status = status
    this.retryAfterS = retryAfterS
  }
}

interface Session {
  access: string
  expiresAt: number
  refresh: string
  user: AuthUser
  /** refresh token kept in sessionStorage (login page) or in memory only (operator on a wall) */
  persist: boolean
}

export type AuthStatus = 'loading' | 'login' | 'revoked' | 'ready'
/** why the login page shows: the session ran out, or it was revoked (null: a first visit or a logout) */
export type LoginReason = 'expired' | 'revoked' | null

export const useAuthStore = defineStore('auth', () => {
  const env = authEnv
  const started = ref(false)
  const display = ref<string | null>(null)
  /** why the wall's display token stopped working; set: the revoked screen shows */
  const displayRevoked = ref<string | null>(null)
  const session = shallowRef<Session | null>(null)
  const me = shallowRef<PrincipalResponse | null>(null)
  /** why the login page is showing (the session expired or was revoked); null on a first visit */
  const loginReason = ref<LoginReason>(null)
  let refreshTimer: unknown = null
  let idleTimer: unknown = null
  let refreshing: Promise<string | undefined> | null = null

  const status = computed<AuthStatus>(() => {
    if (!started.value) return 'loading'
    if (display.value !== null) return displayRevoked.value !== null ? 'revoked' : 'ready'
    return session.value !== null && me.value !== null ? 'ready' : 'login'
  })
  const kiosk = computed(() => display.value !== null)
  /** the user who may act: the logged-in user, or the operator who logged in at the wall */
  const user = computed(() => session.value?.user ?? null)
  const canAct = computed(() => user.value?.role === 'operator' || user.value?.role === 'admin')
  const isAdmin = computed(() => !kiosk.value && user.value?.role === 'admin')
  const jurisdiction = computed(() => me.value?.jurisdiction)

  function tokenFor(purpose: CredentialPurpose): string | undefined {
    if (purpose === 'read' && display.value !== null) return display.value
    return session.value?.access
  }

  function setSession(pair: TokenResponse, persist: boolean): Session {
    const s: Session = {
      access: pair.accessToken,
      expiresAt: env.now() + pair.expiresIn * 1000,
      refresh: pair.refreshToken,
      user: pair.user,
      persist,
    }
    session.value = s
    if (persist) write(env.session(), REFRESH_STORAGE, s.refresh)
    env.clearTimer(refreshTimer)
    refreshTimer = env.setTimer(() => void refresh(), refreshDelayMs(pair.expiresIn))
    return s
  }

  function clearSession(reason: LoginReason): void {
    const s = session.value
    env.clearTimer(refreshTimer)
    env.clearTimer(idleTimer)
    refreshTimer = idleTimer = null
    session.value = null
    if (s?.persist !== false) write(env.session(), REFRESH_STORAGE, null)
    if (!kiosk.value) {
      me.value = null
      loginReason.value = reason
    }
  }

  /** Trades the refresh token for a new pair (once at a time); undefined when the session is over. */
  function refresh(): Promise<string | undefined> {
    refreshing ??= (async () => {
      const s = session.value
      const token = s?.refresh ?? read(env.session(), REFRESH_STORAGE)
      if (!token) return undefined
      let res: Response
      try {
        res = await apiFetch('/api/v1/auth/refresh', {
          method: 'POST',
          token: null,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ refreshToken: token }),
        })
      } catch {
        // no answer (server restarting, network): try again shortly, keep the session meanwhile
        env.clearTimer(refreshTimer)
        refreshTimer = env.setTimer(() => void refresh(), 5_000)
        return undefined
      }
      if (!res.ok) {
        // 429: too many refreshes from this address; the session itself is still good
        if (res.status === 429) return undefined
        clearSession('expired')
        return undefined
      }
      return setSession((await res.json()) as TokenResponse, s?.persist ?? true).access
    })().finally(() => {
      refreshing = null
    })
    return refreshing
  }

  async function loadMe(): Promise<'ok' | 'refused' | 'unreachable'> {
    try {
      const res = await apiFetch('/api/v1/auth/me')
      if (res.ok) {
        me.value = (await res.json()) as PrincipalResponse
        return 'ok'
      }
      if (res.status === 401 || res.status === 403) return 'refused'
      return 'unreachable'
    } catch {
      return 'unreachable'
    }
  }

  /**
   * Reads the credential: the kiosk URL (then hides it), the stored display token, or the stored
   * refresh token of this tab; then asks the server who that is. Retries while the server cannot
   * be reached (a wall may boot before it), every few seconds.
   */
  async function start(): Promise<void> {
    const url = new URL(env.href())
    const fromUrl = url.searchParams.get(DISPLAY_PARAM)
    if (fromUrl !== null) {
      url.searchParams.delete(DISPLAY_PARAM)
      env.replaceUrl(url.pathname + url.search + url.hash)
      if (fromUrl.trim()) write(env.local(), DISPLAY_STORAGE, fromUrl.trim())
    }
    display.value = read(env.local(), DISPLAY_STORAGE)
    const pause = (attempt: number) =>
      new Promise((r) => env.setTimer(() => r(undefined), Math.min(30_000, 2_000 * (attempt + 1))))
    for (let attempt = 0; ; attempt++) {
      if (display.value === null && session.value === null) {
        // no wall token: this tab's user session, if it has one (a refused one is forgotten)
        if (read(env.session(), REFRESH_STORAGE) === null) break
        await refresh()
        if (session.value === null) {
          if (read(env.session(), REFRESH_STORAGE) === null) break
          await pause(attempt)
          continue
        }
      }
      const got = await loadMe()
      if (got === 'ok') break
      if (got === 'refused') {
        // the 401 handler has shown the revoked screen or dropped the session already
        if (display.value !== null) displayRevoked.value ??= 'display token is not valid'
        else clearSession(loginReason.value)
        break
      }
      await pause(attempt)
    }
    started.value = true
  }

  /**
   * Logs a user in. `persist: false` is the operator at a wall: the session stays in memory,
   * is used to act only, and ends after `OPERATOR_IDLE_MS` without an action.
   */
  async function login(username: string, password: string, opts: { persist?: boolean } = {}): Promise<AuthUser> {
    let res: Response
    try {
      res = await apiFetch('/api/v1/auth/login', {
        method: 'POST',
        token: null,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
      })
    } catch (err) {
      throw new LoginError((err as Error).message, 0)
    }
    if (!res.ok) {
      const retry = Number(res.headers.get('retry-after'))
      throw new LoginError(
        (await apiError(res)).message,
        res.status,
        Number.isFinite(retry) && retry > 0 ? retry : null,
      )
    }
    const s = setSession((await res.json()) as TokenResponse, opts.persist ?? !kiosk.value)
    loginReason.value = null
    if (!kiosk.value) {
      if ((await loadMe()) !== 'ok') {
        clearSession(null)
        throw new LoginError('the server did not confirm the login', 0)
      }
    } else {
      touch()
    }
    return s.user
  }

  /** An action by the wall's operator: keeps that session alive a while longer. */
  function touch(): void {
    if (!kiosk.value || session.value === null) return
    env.clearTimer(idleTimer)
    idleTimer = env.setTimer(() => void logout(), OPERATOR_IDLE_MS)
  }

  /** Ends the user's session on the server too (a wall's operator: just that session). */
  async function logout(): Promise<void> {
    const s = session.value
    clearSession(null)
    if (!s) return
    try {
      await apiFetch('/api/v1/auth/logout', { method: 'POST', token: s.access })
    } catch {
      // the access token expires within 15 minutes anyway; the refresh token is forgotten
    }
  }

  /** The server closed the socket because the credential was revoked (or refused it). */
  function revoked(message: string | null, kind: 'display' | 'user' = kiosk.value ? 'display' : 'user'): void {
    if (kind === 'display' && display.value !== null) displayRevoked.value = message ?? 'display token is not valid'
    else clearSession('revoked')
  }

  /** Leaves the revoked screen for the login page: forgets the wall's token. */
  function forgetDisplay(): void {
    write(env.local(), DISPLAY_STORAGE, null)
    display.value = null
    displayRevoked.value = null
    me.value = null
    clearSession(null)
  }

  /** The token for a socket handshake: refreshed first when it is about to expire. */
  async function freshToken(): Promise<string | undefined> {
    if (display.value !== null) return display.value
    const s = session.value
    if (s && s.expiresAt - env.now() < FRESH_MARGIN_MS) return refresh()
    return s?.access
  }

  async function unauthorized(refused: string | undefined): Promise<string | undefined> {
    if (refused !== undefined && refused === display.value) {
      revoked(null, 'display')
      return undefined
    }
    const s = session.value
    if (!s) return undefined
    // a refresh may have replaced the token while the call was out
    if (refused !== s.access) return s.access
    const fresh = await refresh()
    return fresh
  }

  setCredentialSource({ token: tokenFor, unauthorized })

  return {
    started,
    status,
    display,
    displayRevoked,
    kiosk,
    session,
    user,
    me,
    canAct,
    isAdmin,
    jurisdiction,
    loginReason,
    tokenFor,
    start,
    login,
    logout,
    refresh,
    touch,
    revoked,
    forgetDisplay,
    freshToken,
  }
})
