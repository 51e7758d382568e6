/**
 * The store (server/src/db): SQLite in DATA_DIR by default (written by its own thread), PostgreSQL
 * when DATABASE_URL is set.
 * Migrations run before the server starts listening; pending writes are committed on close.
 * Member tracks older than the retention are pruned periodically.
 */
import fp from 'fastify-plugin'
import { openStore, type Store } from '../../db/index.ts'

declare module 'fastify' {
  interface FastifyInstance {
    store: Store
  }
}

export interface DbPluginOptions {
  /** member track points older than this are deleted (default TRACK_RETENTION_HOURS) */
  trackRetentionMs?: number
  /** how often to prune (default 10 min; 0 disables) */
  pruneEveryMs?: number
}

export default fp<DbPluginOptions>(
  async (app, opts) => {
    const store = await openStore({
      dataDir: app.config.DATA_DIR,
      databaseUrl: app.config.DATABASE_URL,
      onCommit: (info) => app.metrics.commitSeconds.observe(info.commitMs / 1000),
      sqliteWriter: app.config.SQLITE_WRITER,
    })
    app.log.info(
      { engine: store.engine, dataDir: store.engine === 'sqlite' ? app.config.DATA_DIR : undefined },
      'store opened',
    )
    app.decorate('store', store)

    const retentionMs = opts.trackRetentionMs ?? app.config.TRACK_RETENTION_HOURS * 3600_000
    const everyMs = opts.pruneEveryMs ?? 10 * 60_000
    let pruning: Promise<unknown> = Promise.resolve()
    const prune = () => {
      pruning = store
        .pruneTracks(Date.now() - retentionMs)
        .then((n) => n > 0 && app.log.debug({ deleted: n }, 'pruned member tracks'))
        .catch((err: unknown) => app.log.warn({ err }, 'pruning member tracks failed'))
    }
    const timer = everyMs > 0 ? setInterval(prune, everyMs).unref() : undefined

    app.addHook('onClose', async () => {
      clearInterval(timer)
      await pruning
      await store.close()
    })
  },
  { name: 'db', dependencies: ['config', 'metrics'] },
)
