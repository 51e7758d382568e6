/**
 * OpenAPI from the same TypeBox schemas that validate requests, served with its
 * UI at /docs (assets from our own origin: the UI works offline).
 */
import fp from 'fastify-plugin'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import pkg from '../../../package.json' with { type: 'json' }

export default fp(
  async (app) => {
    await app.register(swagger, {
      openapi: {
        info: {
          title: 'GridSight API',
          description: '网格态势一张图: ingest and read the live state of a region.',
          version: pkg.version,
        },
        components: {
          securitySchemes: {
            ingestKey: { type: 'http', scheme: 'bearer', description: 'GRIDSIGHT_INGEST_KEY' },
            operatorKey: { type: 'http', scheme: 'bearer', description: 'GRIDSIGHT_OPERATOR_KEY (alerts, dispatch)' },
          },
        },
      },
    })
    await app.register(swaggerUi, { routePrefix: '/docs' })
  },
  { name: 'openapi' },
)
