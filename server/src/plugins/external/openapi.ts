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
            bearerAuth: {
              type: 'http',
              scheme: 'bearer',
              description:
                'A user access token (POST /api/v1/auth/login), a wall display token (gsd_…) or, on ingest, an ' +
                'ingest key (gsi_… or GRIDSIGHT_INGEST_KEY). What each may do: docs/security.md.',
            },
          },
        },
        // every API route needs it unless it says `security: []` (health, login, refresh)
        security: [{ bearerAuth: [] }],
      },
    })
    await app.register(swaggerUi, { routePrefix: '/docs' })
  },
  { name: 'openapi' },
)
