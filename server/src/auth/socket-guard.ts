/**
 * Auth for Socket.IO namespaces (/live): the handshake must carry a token
 * (`auth.token`: access JWT or display token) whose principal may see the requested scope; the
 * socket is closed when its credential is revoked, when its access token expires (unless the
 * client sent a fresh one with `auth:refresh`), and when it floods the server with messages.
 */
import type { Namespace, Socket } from 'socket.io'
import { TokenError } from './jwt.ts'
import { ORIGIN_MISSING } from './origin.ts'
import type { RevokeEvent } from './revocations.ts'
import type { Principal } from './roles.ts'
import type { AuthService } from './service.ts'

/** Socket.IO server options that go with the guard: one message may not exceed 64 kB. */
export const SOCKET_LIMITS = { maxHttpBufferSize: 64 * 1024 }

export const AuthEvent = {
  /** client → server: `(token, ack)`; ack gets `{ok: true, expiresAt}` or `{ok: false, message}` */
  refresh: 'auth:refresh',
  /** server → client, just before the server closes a socket whose token expired: `{message}` */
  expired: 'auth:expired',
  /** server → client, just before the server closes a revoked socket: `{message}` */
  revoked: 'auth:revoked',
} as const

export interface SocketGuardOptions {
  /** sustained messages per second a socket may send (default 10) */
  messagesPerSecond?: number
  /** burst above that (default 30) */
  burst?: number
  /** unit a handshake asks for; default `auth.scope`, else the principal's jurisdiction */
  scopeOf?: (socket: Socket, principal: Principal) => string
}

export class SocketGuard {
  readonly #service: AuthService
  readonly #rate: number
  readonly #burst: number
  readonly #scopeOf: (socket: Socket, principal: Principal) => string
  /** live sockets by `kind:id` of what can be revoked: user, session, display */
  readonly #byKey = new Map<string, Set<Socket>>()
  readonly #off: () => void

  constructor(service: AuthService, opts: SocketGuardOptions = {}) {
    this.#service = service
    this.#rate = opts.messagesPerSecond ?? 10
    this.#burst = opts.burst ?? 30
    this.#scopeOf =
      opts.scopeOf ??
      ((socket, principal) => {
        const scope = (socket.handshake.auth as { scope?: unknown }).scope
        if (scope === undefined || scope === null) return principal.jurisdiction
        if (typeof scope !== 'string') throw new Error(`scope must be a unit code (got ${JSON.stringify(scope)})`)
        return scope
      })
    this.#off = service.onRevoke((e) => this.#revoked(e))
  }

  /** Guards a namespace: its middleware runs first, before any connection event. */
  protect(nsp: Namespace): void {
    nsp.use((socket, next) => {
      this.#authenticate(socket).then(
        () => next(),
        (err: unknown) => next(err instanceof Error ? err : new Error(String(err))),
      )
    })
    nsp.on('connection', (socket) => this.#attach(socket))
  }

  /** The number of sockets currently tracked (for tests and /metrics). */
  get size(): number {
    const all = new Set<Socket>()
    for (const set of this.#byKey.values()) for (const s of set) all.add(s)
    return all.size
  }

  close(): void {
    this.#off()
  }

  async #authenticate(socket: Socket): Promise<void> {
    const token = (socket.handshake.auth as { token?: unknown }).token
    if (typeof token !== 'string' || token.length === 0 || token.length > 4096) {
      const noOrigin = (socket.request as { [ORIGIN_MISSING]?: boolean })[ORIGIN_MISSING] === true
      throw new Error(`a token is required in the handshake (auth.token)${noOrigin ? ', also without an Origin' : ''}`)
    }
    let principal: Principal
    try {
      principal = await this.#service.authenticate(token)
    } catch (err) {
      if (err instanceof TokenError) throw new Error(err.message, { cause: err })
      throw err
    }
    if (principal.access === 'ingest') throw new Error('ingest keys may only send data')
    const scope = this.#scopeOf(socket, principal)
    if (!principal.canSee(scope)) {
      throw new Error(`scope ${scope} is outside your jurisdiction ${principal.jurisdiction}`)
    }
    socket.data.principal = principal
    socket.data.scope = scope
  }

  #keys(p: Principal): string[] {
    if (p.kind === 'display') return [`display:${p.id}`]
    return [`user:${p.id}`, ...(p.sessionId ? [`session:${p.sessionId}`] : [])]
  }

  #attach(socket: Socket): void {
    const principal = socket.data.principal as Principal | undefined
    if (!principal) {
      socket.disconnect(true)
      return
    }
    const keys = this.#keys(principal)
    for (const key of keys) {
      let set = this.#byKey.get(key)
      if (!set) this.#byKey.set(key, (set = new Set()))
      set.add(socket)
    }
    // a revocation may have landed between the handshake and now
    if (keys.some((k) => this.#isRevoked(k))) {
      this.#close(socket, AuthEvent.revoked, 'your access was revoked')
    }

    let expiry: NodeJS.Timeout | undefined
    const armExpiry = (expiresAt: number | undefined) => {
      clearTimeout(expiry)
      if (expiresAt === undefined) return
      expiry = setTimeout(
        () => this.#close(socket, AuthEvent.expired, 'your access token expired: reconnect with a fresh one'),
        Math.max(0, expiresAt - Date.now()),
      )
    }
    armExpiry(principal.expiresAt)

    socket.on(AuthEvent.refresh, (token: unknown, ack?: unknown) => {
      const answer = typeof ack === 'function' ? (ack as (r: unknown) => void) : () => {}
      if (typeof token !== 'string' || token.length > 4096)
        return answer({ ok: false, message: 'send the token as a string' })
      this.#service.authenticate(token).then(
        (fresh) => {
          // the same user (or wall) only, still allowed to see the scope it follows
          if (
            fresh.kind !== principal.kind ||
            fresh.id !== principal.id ||
            !fresh.canSee(socket.data.scope as string)
          ) {
            return answer({ ok: false, message: 'the token belongs to someone else or another scope' })
          }
          socket.data.principal = fresh
          armExpiry(fresh.expiresAt)
          answer({ ok: true, expiresAt: fresh.expiresAt ?? null })
        },
        (err: unknown) => answer({ ok: false, message: err instanceof TokenError ? err.message : 'refresh failed' }),
      )
    })

    // token bucket per socket: a flood closes that socket only
    let tokens = this.#burst
    let last = Date.now()
    socket.use((_packet, next) => {
      const now = Date.now()
      tokens = Math.min(this.#burst, tokens + ((now - last) / 1000) * this.#rate)
      last = now
      if (tokens < 1) {
        socket.disconnect(true)
        return
      }
      tokens -= 1
      next()
    })

    socket.once('disconnect', () => {
      clearTimeout(expiry)
      for (const key of keys) {
        const set = this.#byKey.get(key)
        set?.delete(socket)
        if (set?.size === 0) this.#byKey.delete(key)
      }
    })
  }

  #isRevoked(key: string): boolean {
    const [kind, id] = key.split(':', 2) as ['user' | 'session' | 'display', string]
    return this.#service.revocations.has(kind, id)
  }

  #revoked(e: RevokeEvent): void {
    if (e.kind === 'ingest') return
    for (const socket of [...(this.#byKey.get(`${e.kind}:${e.id}`) ?? [])]) {
      this.#close(socket, AuthEvent.revoked, 'your access was revoked')
    }
  }

  #close(socket: Socket, event: string, message: string): void {
    if (!socket.connected) return
    socket.emit(event, { message })
    socket.disconnect(true)
  }
}
