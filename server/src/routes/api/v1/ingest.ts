import { timingSafeEqual } from 'node:crypto'
import Type from 'typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { ErrorResponse, IngestResponse, ingestItemSchemas, type IngestKind } from '@gridsight/shared'

/** Largest batch accepted in one request; bigger sources split their uploads. */
export const MAX_ITEMS = 10_000
export const INGEST_BODY_LIMIT = 8 * 1024 * 1024

const KINDS = Object.keys(ingestItemSchemas) as IngestKind[]

function bearer(req: FastifyRequest): string | null {
  const header = req.headers.authorization
  if (!header?.startsWith('Bearer ')) return null
  return header.slice(7).trim()
}

const ingest: FastifyPluginAsyncTypebox = async (app) => {
  const key = Buffer.from(app.config.GRIDSIGHT_INGEST_KEY)
  const authorized = (req: FastifyRequest) => {
    const given = bearer(req)
    if (given === null) return false
    const buf = Buffer.from(given)
    return buf.length === key.length && timingSafeEqual(buf, key)
  }

  for (const kind of KINDS) {
    app.post(
      `/ingest/${kind}`,
      {
        bodyLimit: INGEST_BODY_LIMIT,
        // Checked before the body is read: no parsing work for unauthenticated senders.
        onRequest: async (req, reply) => {
          if (!authorized(req)) {
            return reply
              .code(401)
              .header('www-authenticate', 'Bearer')
              .send({ error: 'Unauthorized', message: 'send the ingest key as "Authorization: Bearer <key>"' })
          }
        },
        schema: {
          summary: `Ingest a batch of ${kind}`,
          description:
            `Each item is validated on its own against ${(ingestItemSchemas[kind] as { $id?: string }).$id}: valid items are kept ` +
            'even when others are rejected. Items older than what is stored for the same id are ignored; ' +
            're-sent items are idempotent. The answer comes after the accepted items are committed.',
          security: [{ ingestKey: [] }],
          body: Type.Object({
            items: Type.Array(Type.Unknown(), { minItems: 1, maxItems: MAX_ITEMS }),
          }),
          response: { 200: IngestResponse, 401: ErrorResponse },
        },
      },
      async (req) => {
        const result = await app.ingest.ingest(kind, req.body.items)
        app.metrics.ingestItems.inc({ kind, result: 'accepted' }, result.accepted)
        if (result.rejected.length > 0)
          app.metrics.ingestItems.inc({ kind, result: 'rejected' }, result.rejected.length)
        return result
      },
    )
  }
}
export default ingest
