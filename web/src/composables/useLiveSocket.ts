/**
 * Connects to `/live`, feeds the live store, and resyncs on any gap.
 * The followed unit may change: the socket then reconnects with the new scope in
 * its `auth` and the mirror starts over (a new scope is a new stream), no reload.
 * The socket closes when the calling scope is disposed.
 *
 * Credentials (docs/security.md): the handshake carries `auth.token` (the wall's display token or
 * the user's access token, refreshed first when about to expire). A user's scheduled refresh is
 * handed to the live socket with `auth:refresh`, so it is not closed at expiry; if it is anyway
 * (`auth:expired`), it reconnects with a fresh token. `auth:revoked`, or a handshake refused for
 * its token, goes to the auth store: a wall shows the revoked screen, a user the login page.
 */
import { onScopeDispose, toValue, watch, type MaybeRefOrGetter } from 'vue'
import { io, type Socket } from 'socket.io-client'
import msgpackParser from 'socket.io-msgpack-parser'
import {
  LIVE_NAMESPACE,
  LiveAuthEvent,
  LiveEvent,
  SOCKET_PATH,
  type ClientToServerEvents,
  type LiveAuth,
  type ServerToClientEvents,
} from '@gridsight/shared'
import { useLiveStore } from '../stores/live.ts'
import { useAlertsStore } from '../stores/alerts.ts'
import { useAuthStore } from '../stores/auth.ts'

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
  const authStore = useAuthStore()
  /** the server ended this credential: no reconnecting until the page has a new one */
  let credentialEnded = false
  let following = toValue(options.scope)
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(`${options.url ?? ''}${LIVE_NAMESPACE}`, {
    path: SOCKET_PATH,
    parser: msgpackParser,
    transports: ['websocket', 'polling'],
    // Called on every (re)connection: after a short drop the server replays what
    // we missed instead of sending a whole snapshot.
    auth: (cb) => {
      void authStore.freshToken().then((token) => {
        const { epoch, seq } = store.mirror
        const auth: LiveAuth = {
          token,
          scope: following,
          alertScope: toValue(options.alertScope),
          since: epoch === null ? undefined : { epoch, seq },
        }
        cb(auth as Record<string, unknown>)
      })
    },
  })

  socket.on('connect', () => {
    store.connection = 'live'
  })
  function onDisconnect(reason: Socket.DisconnectReason): void {
    // The server closing us on purpose means it will not take us back by itself.
    store.connection = reason === 'io server disconnect' ? 'offline' : 'reconnecting'
    // after auth:expired the handshake fetches a fresh token; after auth:revoked nothing is tried
    if (reason === 'io server disconnect' && !credentialEnded) socket.connect()
  }
  socket.on('disconnect', onDisconnect)
  socket.io.on('reconnect_attempt', () => {
    store.connection = 'reconnecting'
  })
  socket.on(LiveAuthEvent.revoked, ({ message }) => {
    credentialEnded = true
    authStore.revoked(message)
  })
  socket.on('connect_error', (err) => {
    // a transport error: Socket.IO retries by itself. Refused by the server: it does not.
    if (socket.active) return
    if (!/token|log in|revoked/i.test(err.message)) return // e.g. a scope the server does not know
    store.connection = 'offline'
    if (authStore.kiosk || authStore.session === null) {
      credentialEnded = true
      authStore.revoked(err.message)
      return
    }
    // a user's access token: one refresh, then the login page (the refresh drops the session)
    void authStore.refresh().then((fresh) => {
      if (fresh !== undefined && !credentialEnded) socket.connect()
    })
  })
  // a user's token refreshed on schedule: hand it to the live socket before the old one expires
  watch(
    () => (authStore.kiosk ? null : authStore.session),
    (session) => {
      if (!session || !socket.connected) return
      socket.emit(LiveAuthEvent.refresh, session.access, (answer) => {
        if (answer.ok) return
        // refused (another scope, or already revoked): reconnect and let the handshake decide
        socket.disconnect()
        socket.connect()
      })
    },
  )
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
