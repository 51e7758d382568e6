/**
 * Connects to `/live`, feeds the live store, and resyncs on any gap.
 * The socket closes when the calling scope is disposed.
 */
import { onScopeDispose } from 'vue'
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

export interface UseLiveSocketOptions {
  /** server origin; defaults to the page's own */
  url?: string
  /** unit code to follow; defaults to the whole region */
  scope?: string
}

export function useLiveSocket(options: UseLiveSocketOptions = {}): Socket<ServerToClientEvents, ClientToServerEvents> {
  const store = useLiveStore()
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(`${options.url ?? ''}${LIVE_NAMESPACE}`, {
    path: SOCKET_PATH,
    parser: msgpackParser,
    transports: ['websocket', 'polling'],
    // Called on every (re)connection: after a short drop the server replays what
    // we missed instead of sending a whole snapshot.
    auth: (cb) => {
      const { epoch, seq } = store.mirror
      const auth: LiveAuth = { scope: options.scope, since: epoch === null ? undefined : { epoch, seq } }
      cb(auth as Record<string, unknown>)
    },
  })

  socket.on('connect', () => {
    store.connection = 'live'
  })
  socket.on('disconnect', (reason) => {
    // The server closing us on purpose means it will not take us back by itself.
    store.connection = reason === 'io server disconnect' ? 'offline' : 'reconnecting'
    if (reason === 'io server disconnect') socket.connect()
  })
  socket.io.on('reconnect_attempt', () => {
    store.connection = 'reconnecting'
  })
  socket.on(LiveEvent.snapshot, (s) => store.applySnapshot(s))
  socket.on(LiveEvent.delta, (d) => {
    if (store.applyDelta(d) === 'gap') socket.emit(LiveEvent.resync)
  })

  onScopeDispose(() => {
    socket.removeAllListeners()
    socket.close()
  })
  return socket
}
