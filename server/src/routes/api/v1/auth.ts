/**
 * /auth: login (rate limited per address), refresh (rotating, single-use refresh tokens),
 * logout (revokes the session: its refresh tokens at once, its access tokens and sockets through
 * the revocation registry), and me (who the bearer is).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { ErrorResponse, LoginRequest, PrincipalResponse, RefreshRequest, TokenResponse } from '@gridsight/shared'
import { TokenError } from '../../../auth/jwt.ts'
import { UnauthorizedError } from '../../../plugins/app/auth.ts'

export const from = (req: FastifyRequest) => ({
  ip: req.ip,
  userAgent: typeof req.headers['user-agent'] === 'string' ? req.headers['user-agent'] : null,
})

const auth: FastifyPluginAsyncTypebox = async (app) => {
  const rateLimit = { max: app.config.LOGIN_RATE_LIMIT, timeWindow: 60_000 }

  app.post(
    '/auth/login',
    {
      config: { auth: false, rateLimit },
      schema: {
        summary: 'Log in with a username and password',
        description:
          `Returns a ${Math.round(app.auth.jwt.ttlS / 60)}-minute access token and a single-use refresh token. ` +
          `At most ${app.config.LOGIN_RATE_LIMIT} attempts per minute and address (429 beyond).`,
        tags: ['auth'],
        security: [],
        body: LoginRequest,
        response: { 200: TokenResponse, 401: ErrorResponse, 429: ErrorResponse },
      },
    },
    async (req) => {
      const pair = await app.auth.login(req.body.username, req.body.password, from(req))
      if (!pair) throw new UnauthorizedError('wrong username or password')
      return pair
    },
  )

  app.post(
    '/auth/refresh',
    {
      config: { auth: false, rateLimit },
      schema: {
        summary: 'Trade a refresh token for a new token pair',
        description: 'Each refresh token works once. Presenting a used one revokes its whole session.',
        tags: ['auth'],
        security: [],
        body: RefreshRequest,
        response: { 200: TokenResponse, 401: ErrorResponse, 429: ErrorResponse },
      },
    },
    async (req) => {
      try {
        return await app.auth.refresh(req.body.refreshToken, from(req))
      } catch (err) {
        if (err instanceof TokenError) throw new UnauthorizedError(err.message)
        throw err
      }
    },
  )

  app.post(
    '/auth/logout',
    {
      config: { auth: { roles: ['admin', 'leader', 'operator'] } },
      schema: {
        summary: 'End the session of the bearer access token',
        tags: ['auth'],
        response: { 204: { type: 'null' }, 401: ErrorResponse, 403: ErrorResponse },
      },
    },
    async (req, reply) => {
      const p = req.principal!
      await app.auth.revokeSession(p.sessionId!, { actor: p.name, ...from(req) })
      return reply.code(204).send(null)
    },
  )

  app.get(
    '/auth/me',
    {
      config: { auth: { roles: ['admin', 'leader', 'operator', 'display', 'ingest'] } },
      schema: {
        summary: 'Who the bearer credential belongs to',
        tags: ['auth'],
        response: { 200: PrincipalResponse, 401: ErrorResponse },
      },
    },
    async (req) => {
      const p = req.principal!
      return {
        kind: p.kind,
        id: p.id,
        name: p.name,
        access: p.access,
        jurisdiction: p.jurisdiction,
        expiresAt: p.expiresAt ?? null,
      }
    },
  )
}
export default auth
