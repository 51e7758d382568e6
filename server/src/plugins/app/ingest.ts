/**
 * Rebuilds the entity state from the database at start, then owns the ingest
 * path that every source (the built-in simulator included) goes through.
 */
import fp from 'fastify-plugin'
import { LIVE_NAMESPACE } from '@gridsight/shared'
import { EntityState } from '../../live/entity-state.ts'
import { toLiveEntity } from '../../live/to-live.ts'
import { IngestService, type AppliedChange } from '../../ingest/ingest-service.ts'

export type ChangeListener = (applied: readonly AppliedChange[]) => void

declare module 'fastify' {
  interface FastifyInstance {
    entities: EntityState
    ingest: IngestService
    /** Subscribes to committed changes (in commit order); returns an unsubscribe function. */
    onChanges: (listener: ChangeListener) => () => void
  }
}

export interface IngestPluginOptions {
  /** storage failed after memory moved ahead of it; default: exit so a restart rebuilds state */
  onFatal?: (err: unknown) => void
}

export default fp<IngestPluginOptions>(
  async (app, opts) => {
    const state = new EntityState()
    const started = performance.now()
    state.load(await app.store.loadAll())
    for (const change of state.changes()) app.live.upsert(toLiveEntity(change))
    for (const stream of app.live.streams) stream.markClean()
    // the live streams start without what the daily compaction would drop (the state keeps it)
    app.compactLive()
    app.log.info(
      {
        cameras: state.cameras.size,
        members: state.members.size,
        cases: state.cases.size,
        disputes: state.disputes.size,
        ms: Math.round(performance.now() - started),
      },
      'live state rebuilt from the database',
    )

    const naive = app.config.LIVE_BASELINE === 'naive' ? app.io.of(LIVE_NAMESPACE) : null
    const listeners = new Set<ChangeListener>()
    const publish = (applied: AppliedChange[]) => {
      for (const { change } of applied) {
        const entity = toLiveEntity(change)
        app.live.upsert(entity)
        // The benchmark's baseline: what a straightforward implementation would do.
        naive?.emit('entity', entity)
      }
      for (const listener of listeners) listener(applied)
    }
    app.decorate('onChanges', (listener: ChangeListener) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    })
    const onFatal =
      opts.onFatal ??
      ((err: unknown) => {
        app.log.fatal({ err }, 'commit failed; exiting so that live state is rebuilt from the database')
        setImmediate(() => process.exit(70))
      })

    app.decorate('entities', state)
    app.decorate(
      'ingest',
      new IngestService({
        store: app.store,
        state,
        locate: (lon, lat) => app.region.locator.locate(lon, lat),
        publish,
        onFatal,
      }),
    )
  },
  { name: 'ingest', dependencies: ['db', 'live', 'region', 'socket-io'] },
)
