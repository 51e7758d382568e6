/**
 * Connects to `/live`, feeds the live store, and resyncs on any gap.
 * The followed unit may change: the socket then reconnects with the new scope in
 * its `auth` and the mirror starts over (a new scope is a new stream), no reload.
 * The socket closes when the calling scope is disposed.
 */
import { onScopeDispose, toValue, watch, type MaybeRefOrGetter } from 'vue'
import { io, type Socket } from 'socket.io-client'
import msgpackParser from 'socket.io-msgpack-parser'
import {
  LIVE_NAMESPACE,
  LiveEvent,
  SOCKET_PATH,
  type ClientToServerEvents,
  type LiveAuth,
  type ServerToClientEvents,
} from '@gridsight/shared'
import { useLiveStore } from '../stores/live.ts'
import { useAlertsStore } from '../stores/alerts.ts'

export interface UseLiveSocketOptions {
  /** server origin; defaults to the page's own */
  url?: string
  /** unit code to follow; undefined follows the whole region */
  scope?: MaybeRefOrGetter<string | undefined>
  /** unit code whose alerts to watch whatever the followed scope; undefined: the followed scope */
  alertScope?: MaybeRefOrGetter<string | undefined>
}

export function useLiveSocket(options: UseLiveSocketOptions = {}): Socket<ServerToClientEvents, ClientToServerEvents> {
  const store = useLiveStore()
  let following = toValue(options.scope)
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(`${options.url ?? ''}${LIVE_NAMESPACE}`, {
    path: SOCKET_PATH,
    parser: msgpackParser,
    transports: ['websocket', 'polling'],
    // Called on every (re)connection: after a short drop the server replays what
    // we missed instead of sending a whole snapshot.
    auth: (cb) => {
      const { epoch, seq } = store.mirror
      const auth: LiveAuth = {
        scope: following,
        alertScope: toValue(options.alertScope),
        since: epoch === null ? undefined : { epoch, seq },
      }
      cb(auth as Record<string, unknown>)
    },
  })

  socket.on('connect', () => {
    store.connection = 'live'
  })
  function onDisconnect(reason: Socket.DisconnectReason): void {
    // The server closing us on purpose means it will not take us back by itself.
    store.connection = reason === 'io server disconnect' ? 'offline' : 'reconnecting'
    if (reason === 'io server disconnect') socket.connect()
  }
  socket.on('disconnect', onDisconnect)
  socket.io.on('reconnect_attempt', () => {
    store.connection = 'reconnecting'
  })
  useAlertsStore().attach(socket)
  socket.on(LiveEvent.snapshot, (s) => store.applySnapshot(s))
  socket.on(LiveEvent.delta, (d) => {
    if (store.applyDelta(d) === 'gap') socket.emit(LiveEvent.resync)
  })

  watch(
    () => toValue(options.scope),
    (next) => {
      if (next === following) return
      following = next
      store.reset()
      store.connection = 'connecting'
      // disconnect() fires 'disconnect' with 'io client disconnect': not a loss, so
      // the state set above must survive it.
      socket.off('disconnect', onDisconnect)
      socket.disconnect()
      socket.on('disconnect', onDisconnect)
      socket.connect()
    },
  )

  onScopeDispose(() => {
    socket.removeAllListeners()
    socket.close()
  })
  return socket
}
