/**
 * Authentication and authorisation (issue 9): `app.auth` (the AuthService: logins, tokens,
 * admin actions, `onRevoke`), `app.authenticate(req)`, `req.principal`, and a route-level policy:
 *
 *   app.get('/x', { config: { auth: { roles: ['admin', 'operator'] } } }, handler)   // those roles
 *   app.get('/x', { config: { auth: { roles: ['ingest'] } } }, handler)              // ingest keys
 *   app.get('/x', { config: { auth: false } }, handler)                               // public
 *
 * A route under `/api/` without `config.auth` follows `defaultPolicy`: 'authenticated' (any user
 * or display token; ingest keys only where a route lists 'ingest'). Outside `/api/` — the web
 * app's files, /docs, /metrics — routes are public: they hold no region data. Also here: the
 * first admin and wall, the revocation watcher, rate limiting (@fastify/rate-limit: login, ingest)
 * and the HTTP security headers (@fastify/helmet).
 */
import fp from 'fastify-plugin'
import helmet from '@fastify/helmet'
import rateLimit from '@fastify/rate-limit'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { openAuthStore } from '../../auth/auth-store.ts'
import { helmetOptions } from '../../auth/http-security.ts'
import { ACCESS_TTL_S, JwtIssuer, loadJwtSecret, TokenError } from '../../auth/jwt.ts'
import { Revocations } from '../../auth/revocations.ts'
import type { Access, Principal } from '../../auth/roles.ts'
import { AuthService } from '../../auth/service.ts'

export interface AuthRouteConfig {
  /** who may call the route; 'ingest' admits ingest keys, the others user roles or display tokens */
  roles: readonly Access[]
}

declare module 'fastify' {
  interface FastifyInstance {
    auth: AuthService
    /** the principal behind the request's bearer credential; throws a 401 error without a valid one */
    authenticate(req: FastifyRequest): Promise<Principal>
    /** set on the first start only: the generated admin, for the start to print once */
    initialAdmin: { username: string; password: string } | undefined
    /** set on the first start only: a display token over the whole region for the demo wall's kiosk URL */
    initialDisplayToken: string | undefined
  }
  interface FastifyRequest {
    /** set by the auth hook on routes with an auth policy */
    principal: Principal | null
  }
  interface FastifyContextConfig {
    auth?: AuthRouteConfig | false
  }
}

export interface AuthPluginOptions {
  /** `/api/` routes without `config.auth`: 'authenticated' (default: any valid principal) or 'open' */
  defaultPolicy?: 'open' | 'authenticated'
  /** how often revocations made by other processes are polled (default 1000 ms; 0 disables) */
  revocationPollMs?: number
}

/** An error that leaves as 401 with a WWW-Authenticate header. */
export class UnauthorizedError extends Error {
  override name = 'UnauthorizedError'
  statusCode = 401
}
export class ForbiddenError extends Error {
  override name = 'ForbiddenError'
  statusCode = 403
}

export function bearerOf(req: FastifyRequest): string | undefined {
  const header = req.headers.authorization
  if (typeof header !== 'string' || !/^Bearer /i.test(header)) return undefined
  const token = header.slice(7).trim()
  return token.length > 0 && token.length <= 4096 ? token : undefined
}

export default fp<AuthPluginOptions>(
  async (app, opts) => {
    const config = app.config
    const store = openAuthStore({ dataDir: config.DATA_DIR, databaseUrl: config.DATABASE_URL })
    const revocations = new Revocations((err) => app.log.error({ err }, 'a revocation listener failed'))
    const service = new AuthService({
      store,
      jwt: new JwtIssuer(loadJwtSecret(config.DATA_DIR, config.AUTH_JWT_SECRET)),
      revocations,
      envIngestKey: { key: config.GRIDSIGHT_INGEST_KEY, jurisdiction: config.REGION },
      // the region plugin loads after this one: the first start's admin and wall (the region
      // itself) are created before it, everything else after
      isUnit: (code) => code === config.REGION || app.region.units.has(code),
    })
    app.decorate('auth', service)

    // What was revoked before this start (by anyone) still is; sessions only while their access
    // tokens can still be valid.
    const startedAt = Date.now()
    await revocations.sync(store, 0, startedAt - 2 * ACCESS_TTL_S * 1000)

    app.decorate('initialAdmin', await service.ensureInitialAdmin(config.REGION))
    if (app.initialAdmin) app.log.warn({ username: app.initialAdmin.username }, 'created the first admin user')
    // The demo must show a wall without a login form: one region-wide display token, printed once
    // with the admin (revocable like any other: pnpm gridsight display list|revoke).
    app.decorate(
      'initialDisplayToken',
      app.initialAdmin
        ? (
            await service.addDisplayToken({ name: 'first-wall', scope: config.REGION }, config.REGION, {
              actor: 'system',
            })
          ).secret
        : undefined,
    )

    const pollMs = opts.revocationPollMs ?? 1000
    let lastPoll = startedAt
    let polling: Promise<unknown> = Promise.resolve()
    const timer =
      pollMs > 0
        ? setInterval(() => {
            const now = Date.now()
            // overlap by a few seconds: another process's clock, or a commit that landed late
            const since = lastPoll - 5000
            lastPoll = now
            polling = revocations
              .sync(store, since)
              .then(() => revocations.forgetSessionsBefore(now - ACCESS_TTL_S * 1000 - 60_000))
              .catch((err: unknown) => app.log.warn({ err }, 'polling revocations failed'))
          }, pollMs).unref()
        : undefined
    app.addHook('onClose', async () => {
      clearInterval(timer)
      await polling
      await store.close()
    })

    app.decorate('authenticate', async (req: FastifyRequest) => {
      const token = bearerOf(req)
      if (token === undefined) throw new UnauthorizedError('send a token as "Authorization: Bearer <token>"')
      try {
        return await service.authenticate(token)
      } catch (err) {
        if (err instanceof TokenError) throw new UnauthorizedError(err.message)
        throw err
      }
    })
    app.decorateRequest('principal', null)

    const defaultPolicy = opts.defaultPolicy ?? 'authenticated'
    app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
      const policy = req.routeOptions.config.auth
      if (policy === false || (policy === undefined && defaultPolicy === 'open')) return
      // Unknown paths (404 handler) have no route config, and the web app's files, /docs and
      // /metrics hold no region data: the default policy covers the API.
      if (policy === undefined && !req.routeOptions.url?.startsWith('/api/')) return
      try {
        const principal = await app.authenticate(req)
        if (policy && !policy.roles.includes(principal.access)) {
          throw new ForbiddenError(
            `this needs one of the roles ${policy.roles.join(', ')}; you are ${principal.access}`,
          )
        }
        if (!policy && principal.access === 'ingest') {
          throw new ForbiddenError('ingest keys may only send data')
        }
        req.principal = principal
      } catch (err) {
        if (err instanceof UnauthorizedError) reply.header('www-authenticate', 'Bearer')
        throw err
      }
    })

    // Brute force on login, floods on ingest: only routes that ask for it (config.rateLimit) are limited.
    await app.register(rateLimit, { global: false })
    const { basemap } = app.config
    await app.register(helmet, helmetOptions(basemap.kind === 'xyz' ? basemap.origins : []))
  },
  { name: 'auth', dependencies: ['config', 'db'] },
)
