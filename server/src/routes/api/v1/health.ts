import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { HealthResponse } from '@gridsight/shared'
import pkg from '../../../../package.json' with { type: 'json' }

const health: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/health',
    {
      config: { auth: false },
      schema: { summary: 'Liveness and version (public)', security: [], response: { 200: HealthResponse } },
    },
    async () => ({
      status: 'ok' as const,
      version: pkg.version,
      uptimeS: Math.round(process.uptime() * 10) / 10,
    }),
  )
}
export default health
