/**
 * The login form's state and submit, shared by the login page (people at desks) and the
 * operator dialog over a wall: a username and a password, one attempt at a time, and why an
 * attempt was refused (wrong password, too many attempts, no answer). A refused attempt clears
 * the password. The message is an i18n key with its parameters, for the form to word.
 */
import { computed, shallowRef, type ComputedRef, type ShallowRef } from 'vue'
import { useAuthStore, type LoginError } from '../stores/auth.ts'

export interface LoginOptions {
  /**
   * Keep the refresh token for a reload of the tab (the login page), or the session in memory only
   * (an operator on a wall: false). Unset: the auth store's default for the screen.
   */
  persist?: boolean
  /** called once the server accepted the user */
  onSuccess?: () => void
}

/** Why a login was refused, as an i18n key under `auth.login` and its parameters. */
export interface LoginFailure {
  key: 'auth.login.wrong' | 'auth.login.tooMany' | 'auth.login.failed'
  params: Record<string, string | number>
}

/** the wait named when the server says "too many attempts" without a Retry-After */
const DEFAULT_RETRY_S = 60

export function loginFailure(err: unknown): LoginFailure {
  const e = err as LoginError
  if (e.status === 401) return { key: 'auth.login.wrong', params: {} }
  if (e.status === 429) return { key: 'auth.login.tooMany', params: { s: e.retryAfterS ?? DEFAULT_RETRY_S } }
  return { key: 'auth.login.failed', params: { message: e.message } }
}

export interface LoginForm {
  username: ShallowRef<string>
  password: ShallowRef<string>
  /** an attempt is under way */
  busy: ShallowRef<boolean>
  /** why the last attempt was refused; null before one and after a success */
  error: ShallowRef<LoginFailure | null>
  /** a name and a password are there and no attempt is under way */
  canSubmit: ComputedRef<boolean>
  submit: () => Promise<void>
}

export function useLogin(options: LoginOptions = {}): LoginForm {
  const auth = useAuthStore()
  const username = shallowRef('')
  const password = shallowRef('')
  const busy = shallowRef(false)
  const error = shallowRef<LoginFailure | null>(null)
  const canSubmit = computed(() => username.value.trim() !== '' && password.value !== '' && !busy.value)

  async function submit(): Promise<void> {
    if (!canSubmit.value) return
    busy.value = true
    error.value = null
    try {
      await auth.login(username.value.trim(), password.value, { persist: options.persist })
      options.onSuccess?.()
    } catch (err) {
      password.value = ''
      error.value = loginFailure(err)
    } finally {
      busy.value = false
    }
  }

  return { username, password, busy, error, canSubmit, submit }
}
