/**
 * Builds the Fastify app (no listening): the single entry point for main.ts and tests.
 */
import Fastify, { type FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { Config } from './config.ts'
import alertsPlugin from './plugins/app/alerts.ts'
import authPlugin, { type AuthPluginOptions } from './plugins/app/auth.ts'
import configPlugin from './plugins/app/config.ts'
import ingestPlugin, { type IngestPluginOptions } from './plugins/app/ingest.ts'
import kpiPlugin from './plugins/app/kpi.ts'
import livePlugin, { type LivePluginOptions } from './plugins/app/live.ts'
import regionPlugin from './plugins/app/region.ts'
import simulatorPlugin, { type SimulatorPluginOptions } from './plugins/app/simulator.ts'
import basemapFilePlugin from './plugins/external/basemap-file.ts'
import dbPlugin from './plugins/external/db.ts'
import errorsPlugin from './plugins/external/errors.ts'
import jsonBodyPlugin from './plugins/external/json-body.ts'
import metricsPlugin from './plugins/external/metrics.ts'
import openapiPlugin from './plugins/external/openapi.ts'
import socketIoPlugin from './plugins/external/socket-io.ts'
import webAppPlugin from './plugins/external/web-app.ts'
import alertRoutes from './routes/api/v1/alerts.ts'
import dispatchRoutes from './routes/api/v1/dispatch.ts'
import adminRoutes from './routes/api/v1/admin.ts'
import authRoutes from './routes/api/v1/auth.ts'
import entityRoutes from './routes/api/v1/entities.ts'
import healthRoutes from './routes/api/v1/health.ts'
import ingestRoutes from './routes/api/v1/ingest.ts'
import regionRoutes from './routes/api/v1/regions.ts'
import statsRoutes from './routes/api/v1/stats.ts'

export { loadConfig, ConfigError, type Config } from './config.ts'

export interface BuildOptions {
  onFatal?: IngestPluginOptions['onFatal']
  /** auth policy for routes without one (tests of the enforcement switch) */
  auth?: AuthPluginOptions
  /** /live limits (the fuzz test lifts the message rate so that its frames reach the handlers) */
  live?: LivePluginOptions
  /** the in-process simulator's step interval and history budget (tests of a resumed history) */
  simulator?: SimulatorPluginOptions
}

export async function buildApp(config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { level: config.LOG_LEVEL },
    // Lets `close()` return promptly while screens hold keep-alive connections.
    forceCloseConnections: true,
    // A client that trickles its request (slowloris) is cut off; answers may take as long as they need.
    requestTimeout: config.REQUEST_TIMEOUT_MS,
    // Fastify's 10 s default is too short for the city simulator's first step (120,000
    // registrations committed before the screen may connect: 8–10 s on a loaded 2-core machine).
    pluginTimeout: 60_000,
  }).withTypeProvider<TypeBoxTypeProvider>()

  await app.register(configPlugin, { config })
  await app.register(errorsPlugin)
  await app.register(jsonBodyPlugin)
  await app.register(openapiPlugin)
  await app.register(metricsPlugin)
  await app.register(dbPlugin)
  await app.register(authPlugin, options.auth ?? {})
  await app.register(regionPlugin)
  await app.register(socketIoPlugin)
  await app.register(livePlugin, options.live ?? {})
  await app.register(ingestPlugin, { onFatal: options.onFatal })
  await app.register(kpiPlugin)
  await app.register(alertsPlugin)
  await app.register(simulatorPlugin, options.simulator ?? {})
  await app.register(
    async (api) => {
      await api.register(healthRoutes)
      await api.register(authRoutes)
      await api.register(adminRoutes)
      await api.register(regionRoutes)
      await api.register(ingestRoutes)
      await api.register(entityRoutes)
      await api.register(statsRoutes)
      await api.register(alertRoutes)
      await api.register(dispatchRoutes)
    },
    { prefix: '/api/v1' },
  )
  await app.register(basemapFilePlugin)
  await app.register(webAppPlugin)
  return app
}
