/**
 * Credentials for the E2E suites (docs/security.md): every `/api/v1` call and every `/live`
 * socket needs a bearer token. A fresh DATA_DIR's first start prints the admin's password and a
 * region-wide wall display token; `startServerProcess` hands both over.
 */
import type { ServerProcess } from '@gridsight/server/test/server-process'

/** The wall's kiosk URL: `/?display=gsd_…` plus the screen's own parameters (`a=1&b=2` or `?a=1`). */
export function wallUrl(server: ServerProcess, search = ''): string {
  if (!server.displayToken) throw new Error('the server printed no display token (not a fresh DATA_DIR?)')
  const rest = search.replace(/^\?/, '')
  return `${server.url}/?display=${server.displayToken}${rest ? `&${rest}` : ''}`
}

/** GET (or any call) from the test itself, as the wall: read-only, region-wide. */
export function wallFetch(server: ServerProcess, path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers)
  headers.set('authorization', `Bearer ${server.displayToken}`)
  return fetch(`${server.url}${path}`, { ...init, headers })
}

/** Logs a user in over the API and returns its access token. */
export async function login(server: ServerProcess, username: string, password: string): Promise<string> {
  const res = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  })
  if (!res.ok) throw new Error(`login ${username}: HTTP ${res.status} ${await res.text()}`)
  return ((await res.json()) as { accessToken: string }).accessToken
}

/** The first admin's access token. */
export function adminToken(server: ServerProcess): Promise<string> {
  if (!server.admin) throw new Error('the server printed no admin password (not a fresh DATA_DIR?)')
  return login(server, server.admin.username, server.admin.password)
}

/** Creates a user the way an admin does (POST /api/v1/admin/users) and returns its credentials. */
export async function createUser(
  server: ServerProcess,
  role: 'admin' | 'leader' | 'operator' | 'display',
  username: string,
  jurisdiction = '330402',
): Promise<{ username: string; password: string }> {
  const password = `${username}-e2e-password`
  const res = await fetch(`${server.url}/api/v1/admin/users`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await adminToken(server)}`, 'content-type': 'application/json' },
    body: JSON.stringify({ username, role, jurisdiction, password }),
  })
  if (res.status !== 201) throw new Error(`create ${username}: HTTP ${res.status} ${await res.text()}`)
  return { username, password }
}
