/**
 * Every error leaves as `{error, message}`. Client errors say what is wrong;
 * server errors are logged in full and answered without internals.
 */
import { STATUS_CODES } from 'node:http'
import fp from 'fastify-plugin'
import type { FastifyError } from 'fastify'

export default fp(
  async (app) => {
    app.setErrorHandler((err: FastifyError, req, reply) => {
      const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500
      if (status >= 500) {
        req.log.error({ err }, 'request failed')
        return reply
          .code(status)
          .send({ error: STATUS_CODES[status] ?? 'Error', message: 'internal error; see server log' })
      }
      return reply.code(status).send({ error: STATUS_CODES[status] ?? 'Error', message: err.message })
    })
  },
  { name: 'errors' },
)
