/**
 * /admin (role admin): users, ingest keys and wall-display tokens, each listed, created and
 * revoked within the admin's own jurisdiction; the audit log for region-wide admins.
 */
import Type from 'typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  AuthIdParams,
  AuthUser,
  DisplayToken,
  DisplayTokenCreate,
  DisplayTokenCreated,
  ErrorResponse,
  IngestKey,
  IngestKeyCreate,
  IngestKeyCreated,
  UserCreate,
  UserCreated,
} from '@gridsight/shared'
import { ForbiddenError } from '../../../plugins/app/auth.ts'
import { from } from './auth.ts'

const AuditEntry = Type.Object({
  id: Type.Integer(),
  at: Type.Integer({ description: 'epoch milliseconds' }),
  actor: Type.String(),
  action: Type.String(),
  target: Type.Union([Type.String(), Type.Null()]),
  ok: Type.Boolean(),
  ip: Type.Union([Type.String(), Type.Null()]),
  userAgent: Type.Union([Type.String(), Type.Null()]),
  detail: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
})

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse }

const admin: FastifyPluginAsyncTypebox = async (app) => {
  const config = { auth: { roles: ['admin'] as const } }
  const tags = ['admin']

  // users ----------------------------------------------------------------------------------------
  app.get(
    '/admin/users',
    {
      config,
      schema: {
        summary: 'Users within your jurisdiction',
        tags,
        response: { 200: Type.Object({ items: Type.Array(AuthUser) }), ...errors },
      },
    },
    async (req) => {
      const users = await app.auth.store.listUsers(req.principal!.jurisdiction)
      return {
        items: users.map((u) => ({
          id: u.id,
          username: u.username,
          role: u.role,
          jurisdiction: u.jurisdiction,
          createdAt: u.createdAt,
          revokedAt: u.revokedAt,
        })),
      }
    },
  )
  app.post(
    '/admin/users',
    {
      config,
      schema: {
        summary: 'Create a user (the password is generated unless given, and shown once)',
        tags,
        body: UserCreate,
        response: { 201: UserCreated, ...errors },
      },
    },
    async (req, reply) => {
      const p = req.principal!
      const created = await app.auth.addUser(req.body, p.jurisdiction, { actor: p.name, ...from(req) })
      return reply.code(201).send(created)
    },
  )
  app.post(
    '/admin/users/:id/revoke',
    {
      config,
      schema: {
        summary: 'Revoke a user: its sessions end and its sockets close',
        tags,
        params: AuthIdParams,
        response: { 200: AuthUser, ...errors },
      },
    },
    async (req) => {
      const p = req.principal!
      if (req.params.id === p.id) throw new ForbiddenError('you cannot revoke yourself')
      return app.auth.revokeUser(req.params.id, p.jurisdiction, { actor: p.name, ...from(req) })
    },
  )

  // ingest keys ----------------------------------------------------------------------------------
  app.get(
    '/admin/keys',
    {
      config,
      schema: {
        summary: 'Ingest keys within your jurisdiction',
        tags,
        response: { 200: Type.Object({ items: Type.Array(IngestKey) }), ...errors },
      },
    },
    async (req) => {
      const keys = await app.auth.store.listIngestKeys(req.principal!.jurisdiction)
      return { items: keys.map(({ keyHash: _hash, ...k }) => k) }
    },
  )
  app.post(
    '/admin/keys',
    {
      config,
      schema: {
        summary: 'Create an ingest key (write-only, for one source; the key is shown once)',
        tags,
        body: IngestKeyCreate,
        response: { 201: IngestKeyCreated, ...errors },
      },
    },
    async (req, reply) => {
      const p = req.principal!
      const created = await app.auth.addIngestKey(req.body, p.jurisdiction, { actor: p.name, ...from(req) })
      return reply.code(201).send(created)
    },
  )
  app.post(
    '/admin/keys/:id/revoke',
    {
      config,
      schema: { summary: 'Revoke an ingest key', tags, params: AuthIdParams, response: { 200: IngestKey, ...errors } },
    },
    async (req) => {
      const p = req.principal!
      return app.auth.revokeIngestKey(req.params.id, p.jurisdiction, { actor: p.name, ...from(req) })
    },
  )

  // display tokens -------------------------------------------------------------------------------
  app.get(
    '/admin/display-tokens',
    {
      config,
      schema: {
        summary: 'Wall-display tokens within your jurisdiction',
        tags,
        response: { 200: Type.Object({ items: Type.Array(DisplayToken) }), ...errors },
      },
    },
    async (req) => {
      const tokens = await app.auth.store.listDisplayTokens(req.principal!.jurisdiction)
      return { items: tokens.map(({ tokenHash: _hash, ...d }) => d) }
    },
  )
  app.post(
    '/admin/display-tokens',
    {
      config,
      schema: {
        summary: 'Create a wall-display token bound to one scope (shown once, with its kiosk path)',
        tags,
        body: DisplayTokenCreate,
        response: { 201: DisplayTokenCreated, ...errors },
      },
    },
    async (req, reply) => {
      const p = req.principal!
      const created = await app.auth.addDisplayToken(req.body, p.jurisdiction, { actor: p.name, ...from(req) })
      return reply.code(201).send({ ...created, kioskPath: `/?display=${created.secret}` })
    },
  )
  app.post(
    '/admin/display-tokens/:id/revoke',
    {
      config,
      schema: {
        summary: 'Revoke a wall-display token',
        tags,
        params: AuthIdParams,
        response: { 200: DisplayToken, ...errors },
      },
    },
    async (req) => {
      const p = req.principal!
      return app.auth.revokeDisplayToken(req.params.id, p.jurisdiction, { actor: p.name, ...from(req) })
    },
  )

  // audit ----------------------------------------------------------------------------------------
  app.get(
    '/admin/audit',
    {
      config,
      schema: {
        summary: 'The audit log, newest first (region-wide admins only)',
        tags,
        querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }) }),
        response: { 200: Type.Object({ items: Type.Array(AuditEntry) }), ...errors },
      },
    },
    async (req) => {
      if (req.principal!.jurisdiction !== app.config.REGION) {
        throw new ForbiddenError(`the audit log is for admins of the whole region ${app.config.REGION}`)
      }
      return { items: await app.auth.store.listAudit(req.query.limit) }
    },
  )
}
export default admin
