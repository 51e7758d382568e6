/**
 * JSON bodies parsed with secure-json-parse (what Fastify uses), but with errors
 * that say what is wrong — including `__proto__`/`constructor.prototype` keys,
 * which are refused outright rather than silently dropped.
 */
import fp from 'fastify-plugin'
import sjson from 'secure-json-parse'

export default fp(
  async (app) => {
    app.removeContentTypeParser('application/json')
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
      try {
        done(null, sjson.parse(body as string, undefined, { protoAction: 'error', constructorAction: 'error' }))
      } catch (err) {
        done(
          Object.assign(new Error(`body is not valid JSON: ${(err as Error).message}`), { statusCode: 400 }),
          undefined,
        )
      }
    })
  },
  { name: 'json-body' },
)
