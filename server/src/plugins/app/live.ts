/**
 * Publishes the live hub on `/live`. A client names its scope and, when it is
 * back from a disconnection, the last {epoch, seq} it applied: it is replayed
 * what it missed when the ring still holds it, and sent a snapshot otherwise.
 * A client whose socket cannot drain is skipped (not queued) and sent a fresh
 * snapshot once it has caught up, so one slow screen never grows server memory.
 * Finished cases and disputes past LIVE_RETENTION_DAYS leave the streams at start and daily at
 * LIVE_COMPACT_HOUR: every screen is then sent the snapshot of its stream's new history.
 */
import fp from 'fastify-plugin'
import type { Socket } from 'socket.io'
import { LIVE_NAMESPACE, LiveEvent, type LiveAuth, type LiveDelta } from '@gridsight/shared'
import { SocketGuard, type SocketGuardOptions } from '../../auth/socket-guard.ts'
import type { Principal } from '../../auth/roles.ts'
import { LiveHub, type Compacted } from '../../live/live-hub.ts'
import type { ScopeStream } from '../../live/scope-stream.ts'
import { nextCompactionAt, retentionCutoff } from '../../live/compaction-schedule.ts'

declare module 'fastify' {
  interface FastifyInstance {
    live: LiveHub
    /**
     * Drops the finished cases and disputes older than LIVE_RETENTION_DAYS before `now` from the
     * live streams and sends every screen its stream's new snapshot (see LiveHub.compact). The
     * entity state, the KPIs and the database keep them.
     */
    compactLive: (now?: number) => Compacted
  }
}

const room = (scope: string) => `scope:${scope}`
const LAGGING = 'lagging'
/** Engine.IO packets waiting on a socket before it counts as not keeping up. */
export const MAX_BUFFERED_PACKETS = 32

/** Packets Engine.IO has not yet written to this socket's transport. */
const buffered = (socket: Socket): number => (socket.conn as unknown as { writeBuffer: unknown[] }).writeBuffer.length

function deltaBytes(delta: LiveDelta<Buffer>): number {
  let n = 0
  for (const t of Object.values(delta.tables)) n += t.idx.length + t.pos.length + t.status.length + t.attr.length
  return n
}

/**
 * The rest of the handshake, after the guard has authenticated it and checked `scope` (default:
 * the principal's jurisdiction) against the jurisdiction.
 */
function parseAuth(
  raw: unknown,
  scope: string,
  principal: Principal | undefined,
  region: string,
  isUnit: (code: string) => boolean,
): { alertScope: string; since: LiveAuth['since'] } | string {
  const auth = (typeof raw === 'object' && raw !== null ? raw : {}) as LiveAuth
  if (!isUnit(scope)) return `scope must be a unit code within region ${region} (got ${JSON.stringify(auth.scope)})`
  const alertScope = auth.alertScope ?? scope
  if (typeof alertScope !== 'string' || !isUnit(alertScope)) {
    return `alertScope must be a unit code within region ${region} (got ${JSON.stringify(auth.alertScope)})`
  }
  if (principal && !principal.canSee(alertScope)) {
    return `alertScope ${alertScope} is outside your jurisdiction ${principal.jurisdiction}`
  }
  const since = auth.since
  const validSince =
    since === undefined ||
    (typeof since === 'object' && since !== null && typeof since.epoch === 'string' && Number.isInteger(since.seq))
  if (!validSince) return 'since must be {epoch: string, seq: integer}'
  return { alertScope, since }
}

export interface LivePluginOptions {
  /** messages a screen may send: sustained per second and burst (default 10 and 30) */
  messageRate?: Pick<SocketGuardOptions, 'messagesPerSecond' | 'burst'>
}

export default fp<LivePluginOptions>(
  async (app, opts) => {
    const hub = new LiveHub(app.config.REGION, app.config.LIVE_REPLAY_DELTAS)
    app.decorate('live', hub)
    const nsp = app.io.of(LIVE_NAMESPACE)

    // First: a token whose principal may see the scope asked for (else no connection event at all);
    // revocation and token expiry close the socket later, a message flood closes it at once.
    const guard = new SocketGuard(app.auth, opts.messageRate)
    guard.protect(nsp)
    app.addHook('onClose', async () => guard.close())

    nsp.use((socket, next) => {
      const scope = socket.data.scope
      if (typeof scope !== 'string') return next(new Error('scope must be a unit code'))
      const parsed = parseAuth(socket.handshake.auth, scope, socket.data.principal, app.config.REGION, (code) =>
        app.region.units.has(code),
      )
      if (typeof parsed === 'string') return next(new Error(parsed))
      socket.data.alertScope = parsed.alertScope
      socket.data.since = parsed.since
      next()
    })

    const emitDelta = (stream: ScopeStream, now = Date.now()) => {
      const delta = stream.cutDelta(now)
      if (!delta) return
      nsp.to(room(stream.scope)).except(LAGGING).emit(LiveEvent.delta, delta)
      app.metrics.deltaBytes.inc(deltaBytes(delta))
    }

    /**
     * Sends `socket` a snapshot and (re)joins it to its stream. The snapshot must hold exactly the
     * state at its seq: changes applied since the last cut are first cut into the next delta and
     * sent to the room (without this socket), otherwise that delta would bring them again — rows
     * the snapshot already holds would be added twice.
     */
    const sendSnapshot = (socket: Socket, stream: ScopeStream) => {
      void socket.leave(room(stream.scope))
      emitDelta(stream)
      void socket.join(room(stream.scope))
      socket.emit(LiveEvent.snapshot, stream.snapshot())
    }

    nsp.on('connection', (socket: Socket) => {
      app.metrics.screens.inc()
      const scope: string = socket.data.scope
      const stream = hub.stream(scope)
      const replay = socket.data.since ? stream.replaySince(socket.data.since) : null
      if (replay) {
        void socket.join(room(scope))
        for (const delta of replay) socket.emit(LiveEvent.delta, delta)
      } else {
        sendSnapshot(socket, stream)
      }

      socket.on(LiveEvent.resync, () => sendSnapshot(socket, hub.stream(scope)))
      socket.on('disconnect', () => {
        app.metrics.screens.dec()
        if (scope !== app.config.REGION && (nsp.adapter.rooms.get(room(scope))?.size ?? 0) === 0) hub.close(scope)
      })
    })

    const tick = () => {
      const endTimer = app.metrics.tickSeconds.startTimer()
      const drained: Socket[] = []
      for (const id of nsp.adapter.rooms.get(LAGGING) ?? []) {
        const socket = nsp.sockets.get(id)
        if (socket && buffered(socket) === 0) drained.push(socket)
      }
      for (const socket of nsp.sockets.values()) {
        if (buffered(socket) > MAX_BUFFERED_PACKETS) void socket.join(LAGGING)
      }
      const now = Date.now()
      for (const stream of hub.streams) emitDelta(stream, now)
      // Lagging sockets that have drained get a fresh snapshot (at the seq just cut) and rejoin.
      for (const socket of drained) {
        void socket.leave(LAGGING)
        socket.emit(LiveEvent.snapshot, hub.stream(socket.data.scope).snapshot(now))
      }
      endTimer()
    }
    const timer = app.config.LIVE_BASELINE === 'naive' ? undefined : setInterval(tick, app.config.TICK_MS)
    app.addHook('onClose', async () => clearInterval(timer))

    const compactLive = (now = Date.now()): Compacted => {
      const dropped = hub.compact(retentionCutoff(now, app.config.LIVE_RETENTION_DAYS))
      app.metrics.liveCompactedRows.set({ kind: 'cases' }, dropped.cases)
      app.metrics.liveCompactedRows.set({ kind: 'disputes' }, dropped.disputes)
      if (dropped.cases + dropped.disputes === 0) return dropped
      // a lagging screen is sent the new snapshot once it has drained (tick)
      for (const stream of hub.streams) {
        nsp.to(room(stream.scope)).except(LAGGING).emit(LiveEvent.snapshot, stream.snapshot())
      }
      app.log.info(
        { ...dropped, epoch: hub.epoch },
        'live streams compacted: finished cases and disputes past retention left',
      )
      return dropped
    }
    app.decorate('compactLive', compactLive)
    let daily: ReturnType<typeof setTimeout> | undefined
    const scheduleDaily = () => {
      const now = Date.now()
      daily = setTimeout(
        () => {
          compactLive()
          scheduleDaily()
        },
        nextCompactionAt(now, app.config.LIVE_COMPACT_HOUR) - now,
      )
    }
    scheduleDaily()
    app.addHook('onClose', async () => clearTimeout(daily))
  },
  { name: 'live', dependencies: ['config', 'socket-io', 'metrics', 'region', 'auth'] },
)
