/**
 * The Origin allowlist for Socket.IO's `allowRequest` (WebSocket upgrade and polling alike).
 * Origins are compared as exact serialised origins (scheme, host, port) after URL parsing —
 * never by prefix or suffix, so `http://gridsight.example.evil` and `http://evil-gridsight.example`
 * do not pass for `http://gridsight.example`.
 */

/** Serialised origin (`http://host:port`, default ports dropped), or undefined if it is not one. */
export function normaliseOrigin(value: string): string | undefined {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return undefined
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined
  // An Origin header is scheme://host[:port] only.
  if (url.username || url.password || (url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    return undefined
  }
  return url.origin
}

/** Parses ALLOWED_ORIGINS (comma-separated origins); throws naming the first bad entry. */
export function parseAllowedOrigins(value: string): string[] {
  return value.split(',').map((entry) => {
    const o = normaliseOrigin(entry.trim())
    if (!o) throw new Error(`"${entry.trim()}" is not an origin such as https://screen.example:8443`)
    return o
  })
}

export type OriginVerdict = 'allowed' | 'refused' | 'missing'

/**
 * With an allowlist, the Origin must be on it. Without one (the default), it must be the
 * server's own origin: the same host and port as the request's Host header (either scheme) — what a screen
 * served by this server sends, whatever name or address it was opened under. A page elsewhere
 * (the cross-site WebSocket hijack) sends its own origin and is refused; a DNS-rebinding page
 * passes this check but holds no token, which the handshake requires.
 *
 * `missing`: no Origin header. Browsers send one on every WebSocket and cross-origin request, so
 * such a request is not from a page: it may connect only with a valid token.
 */
export function checkOrigin(
  origin: string | undefined,
  opts: { allowed?: ReadonlySet<string> | undefined; host?: string | undefined },
): OriginVerdict {
  if (origin === undefined || origin === '') return 'missing'
  const o = normaliseOrigin(origin)
  if (o === undefined) return 'refused'
  if (opts.allowed) return opts.allowed.has(o) ? 'allowed' : 'refused'
  if (!opts.host) return 'refused'
  // Either scheme: behind a TLS-terminating proxy the page is https while this server sees http.
  const own = [`http://${opts.host}`, `https://${opts.host}`].map(normaliseOrigin)
  return own.includes(o) ? 'allowed' : 'refused'
}

/** Marks a handshake that came without an Origin: the /live auth middleware must then see a valid token. */
export const ORIGIN_MISSING = Symbol('gridsight.originMissing')

/**
 * Socket.IO's `allowRequest`: runs for the first HTTP request of every transport (polling GET and
 * the WebSocket upgrade), before any connection event. A foreign Origin is refused with 403; a
 * missing one passes here, marked, and the handshake's auth decides.
 */
export function socketOriginGate(allowed: ReadonlySet<string> | undefined) {
  return (
    req: { headers: Record<string, string | string[] | undefined> } & { [ORIGIN_MISSING]?: boolean },
    callback: (err: string | null | undefined, success: boolean) => void,
  ): void => {
    const origin = req.headers.origin
    const host = req.headers.host
    const verdict = checkOrigin(typeof origin === 'string' ? origin : undefined, {
      allowed,
      host: typeof host === 'string' ? host : undefined,
    })
    if (verdict === 'refused') return callback('origin not allowed', false)
    if (verdict === 'missing') req[ORIGIN_MISSING] = true
    callback(null, true)
  }
}
