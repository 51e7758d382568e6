import { createHash } from 'node:crypto'
import Type from 'typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { bearerOf } from '../../../plugins/app/auth.ts'
import { ErrorResponse, IngestResponse, ingestItemSchemas, type IngestKind } from '@gridsight/shared'

/** Largest batch accepted in one request; bigger sources split their uploads. */
export const MAX_ITEMS = 10_000
export const INGEST_BODY_LIMIT = 8 * 1024 * 1024

const KINDS = Object.keys(ingestItemSchemas) as IngestKind[]

/** Rate-limit bucket: the credential (hashed), so that one noisy source does not starve another behind the same NAT. */
function senderKey(req: FastifyRequest): string {
  const token = bearerOf(req)
  return token === undefined ? `ip:${req.ip}` : createHash('sha256').update(token).digest('base64url').slice(0, 22)
}

const ingest: FastifyPluginAsyncTypebox = async (app) => {
  const region = app.config.REGION
  const rateLimit = { max: app.config.INGEST_RATE_LIMIT, timeWindow: 60_000, keyGenerator: senderKey }

  for (const kind of KINDS) {
    app.post(
      `/ingest/${kind}`,
      {
        bodyLimit: INGEST_BODY_LIMIT,
        // Checked on request, before the body is read: no parsing work for unauthenticated senders.
        config: { auth: { roles: ['ingest'] }, rateLimit },
        schema: {
          summary: `Ingest a batch of ${kind}`,
          description:
            `Each item is validated on its own against ${(ingestItemSchemas[kind] as { $id?: string }).$id}: valid items are kept ` +
            'even when others are rejected. Items older than what is stored for the same id are ignored; ' +
            're-sent items are idempotent. The answer comes after the accepted items are committed.',
          security: [{ bearerAuth: [] }],
          body: Type.Object({
            items: Type.Array(Type.Unknown(), { minItems: 1, maxItems: MAX_ITEMS }),
          }),
          response: { 200: IngestResponse, 401: ErrorResponse, 403: ErrorResponse, 429: ErrorResponse },
        },
      },
      async (req) => {
        const within = req.principal?.jurisdiction
        const result = await app.ingest.ingest(kind, req.body.items, within === region ? undefined : within)
        app.metrics.ingestItems.inc({ kind, result: 'accepted' }, result.accepted)
        if (result.rejected.length > 0)
          app.metrics.ingestItems.inc({ kind, result: 'rejected' }, result.rejected.length)
        return result
      },
    )
  }
}
export default ingest
