/**
 * Every REST call of the web app goes through `apiFetch`, so that the credential (the logged-in
 * user's access token, or a wall's display token) is attached in one place. The auth module sets
 * the source with `setCredentialSource`.
 */
let credential: () => string | undefined = () => undefined

export function setCredentialSource(source: () => string | undefined): void {
  credential = source
}

export function apiFetch(input: string, init: RequestInit = {}): Promise<Response> {
  const token = credential()
  if (token === undefined) return fetch(input, init)
  const headers = new Headers(init.headers)
  headers.set('authorization', `Bearer ${token}`)
  return fetch(input, { ...init, headers })
}
