/**
 * Socket.IO on the same HTTP server as Fastify, with the msgpack parser the web
 * client also uses (binary typed arrays travel without base64).
 */
import fp from 'fastify-plugin'
import { Server } from 'socket.io'
import msgpackParser from 'socket.io-msgpack-parser'
import { SOCKET_PATH } from '@gridsight/shared'
import { parseAllowedOrigins, socketOriginGate } from '../../auth/origin.ts'
import { SOCKET_LIMITS } from '../../auth/socket-guard.ts'

declare module 'fastify' {
  interface FastifyInstance {
    io: Server
  }
}

export default fp(
  async (app) => {
    const allowed = app.config.ALLOWED_ORIGINS
    const io = new Server(app.server, {
      path: SOCKET_PATH,
      parser: msgpackParser,
      serveClient: false,
      // No CORS headers: a page elsewhere cannot poll; the Origin gate also refuses its WebSocket.
      cors: undefined,
      // runs for polling and WebSocket handshakes alike, before any connection event
      allowRequest: socketOriginGate(allowed === undefined ? undefined : new Set(parseAllowedOrigins(allowed))),
      ...SOCKET_LIMITS,
    })
    app.decorate('io', io)
    app.addHook('preClose', async () => {
      // Disconnect sockets first so that close() does not wait on them.
      io.local.disconnectSockets(true)
      await io.close()
    })
  },
  { name: 'socket-io', dependencies: ['config'] },
)
