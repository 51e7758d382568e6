/**
 * Every REST call of the web app goes through `apiFetch`, so that the credential (the logged-in
 * user's access token, or a wall's display token) is attached in one place. The auth store sets
 * the source with `setCredentialSource`.
 *
 * A 401 is given to the source's `unauthorized` handler once: for a user it refreshes the access
 * token (and the call is retried once with the fresh one), otherwise it falls back to the login
 * page (or, on a wall, the "display token revoked" screen) and the 401 answer is returned. A 403 is
 * returned as is; `apiError` turns any failed answer into an error carrying the server's message.
 */

/** What the credential is for: reading (a wall's display token will do) or acting (a user only). */
export type CredentialPurpose = 'read' | 'act'

export interface CredentialSource {
  token: (purpose: CredentialPurpose) => string | undefined
  /**
   * Called with the token the server refused (401). Resolves to a fresh token to retry with, or
   * undefined when there is none (the source then shows the login page or the revoked screen).
   */
  unauthorized?: (refused: string | undefined, purpose: CredentialPurpose) => Promise<string | undefined>
}

let source: CredentialSource = { token: () => undefined }

/** Sets where tokens come from: a getter (read and act alike) or a full source with a 401 handler. */
export function setCredentialSource(next: CredentialSource | (() => string | undefined)): void {
  source = typeof next === 'function' ? { token: next } : next
}

/**
 * The Authorization header for a request to our own API made by a library (MapLibre's GeoJSON
 * sources): the reading credential, and only for same-origin URLs (no token leaves the origin).
 */
export function bearerHeaders(url: string): Record<string, string> {
  const token = source.token('read')
  if (token === undefined) return {}
  const origin = globalThis.location?.origin
  if (origin === undefined || new URL(url, origin).origin !== origin) return {}
  return { authorization: `Bearer ${token}` }
}

export interface ApiInit extends RequestInit {
  /** 'act' sends the logged-in user's token even on a wall that reads with its display token */
  purpose?: CredentialPurpose
  /** this exact bearer token instead of the source's (login, refresh: none at all with `null`) */
  token?: string | null
}

function send(input: string, init: RequestInit, token: string | undefined): Promise<Response> {
  if (token === undefined) return fetch(input, init)
  const headers = new Headers(init.headers)
  headers.set('authorization', `Bearer ${token}`)
  return fetch(input, { ...init, headers })
}

export async function apiFetch(input: string, init: ApiInit = {}): Promise<Response> {
  const { purpose = 'read', token: fixed, ...rest } = init
  if (fixed !== undefined) return send(input, rest, fixed ?? undefined)
  const token = source.token(purpose)
  const res = await send(input, rest, token)
  if (res.status !== 401 || !source.unauthorized) return res
  const fresh = await source.unauthorized(token, purpose)
  if (fresh === undefined || fresh === token || rest.signal?.aborted) return res
  return send(input, rest, fresh)
}

/** A failed answer, with the server's `{message}` when it sent one. */
export class ApiError extends Error {
  override name = 'ApiError'
  readonly status: number
  constructor(message: string, status: number) {
    super(message)
    this.status = status
  }
}

/** The error for a failed answer: the server's message (403: why you may not), else the status. */
export async function apiError(res: Response, what = res.url): Promise<ApiError> {
  let message: string | undefined
  try {
    const body = (await res.json()) as { message?: unknown }
    if (typeof body.message === 'string' && body.message) message = body.message
  } catch {
    // not JSON: the status says enough
  }
  return new ApiError(message ?? `${what ? `${what}: ` : ''}HTTP ${res.status}`, res.status)
}

/** GET/POST that resolves to the JSON body, or throws `apiError`. */
export async function apiJson<T>(input: string, init: ApiInit = {}): Promise<T> {
  const res = await apiFetch(input, init)
  if (!res.ok) throw await apiError(res, input)
  return (await res.json()) as T
}
