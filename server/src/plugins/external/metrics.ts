/**
 * Prometheus metrics at /metrics (prom-client): ingest throughput and rejects,
 * connected screens, tick duration, delta bytes, event-loop lag (default
 * metrics), database commit latency, rows dropped by the last live compaction.
 */
import fp from 'fastify-plugin'
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

export interface Metrics {
  registry: Registry
  ingestItems: Counter<'kind' | 'result'>
  screens: Gauge
  tickSeconds: Histogram
  deltaBytes: Counter
  commitSeconds: Histogram
  liveCompactedRows: Gauge<'kind'>
}

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Metrics
  }
}

export function createMetrics(): Metrics {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry, prefix: 'gridsight_' })
  return {
    registry,
    ingestItems: new Counter({
      name: 'gridsight_ingest_items_total',
      help: 'ingest items by kind and result (accepted, rejected)',
      labelNames: ['kind', 'result'],
      registers: [registry],
    }),
    screens: new Gauge({ name: 'gridsight_screens_connected', help: 'connected /live clients', registers: [registry] }),
    tickSeconds: new Histogram({
      name: 'gridsight_tick_duration_seconds',
      help: 'time to cut and emit one tick of deltas',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1],
      registers: [registry],
    }),
    deltaBytes: new Counter({
      name: 'gridsight_delta_bytes_total',
      help: 'binary column bytes of the deltas cut (before framing), per stream',
      registers: [registry],
    }),
    commitSeconds: new Histogram({
      name: 'gridsight_db_commit_seconds',
      help: 'group commit duration (BEGIN … COMMIT)',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
    liveCompactedRows: new Gauge({
      name: 'gridsight_live_compacted_rows',
      help: 'finished cases and disputes dropped from the live streams by the last compaction, by kind',
      labelNames: ['kind'],
      registers: [registry],
    }),
  }
}

export default fp(
  async (app) => {
    const metrics = createMetrics()
    app.decorate('metrics', metrics)
    app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => {
      reply.type(metrics.registry.contentType)
      return metrics.registry.metrics()
    })
  },
  { name: 'metrics' },
)
