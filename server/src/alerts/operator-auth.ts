/**
 * The operator key (GRIDSIGHT_OPERATOR_KEY) guarding acknowledge, resolve and dispatch until users
 * and roles exist (issue 9): 401 without a bearer key, 403 with a wrong one.
 */
import { timingSafeEqual } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'

export function operatorGuard(operatorKey: string) {
  const key = Buffer.from(operatorKey)
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const header = req.headers.authorization
    if (!header?.startsWith('Bearer ')) {
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer')
        .send({ error: 'Unauthorized', message: 'send the operator key as "Authorization: Bearer <key>"' })
    }
    const given = Buffer.from(header.slice(7).trim())
    if (given.length !== key.length || !timingSafeEqual(given, key)) {
      return reply.code(403).send({ error: 'Forbidden', message: 'the operator key is not valid' })
    }
  }
}
