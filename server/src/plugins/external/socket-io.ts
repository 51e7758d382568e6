/**
 * Socket.IO on the same HTTP server as Fastify, with the msgpack parser the web
 * client also uses (binary typed arrays travel without base64).
 */
import fp from 'fastify-plugin'
import { Server } from 'socket.io'
import msgpackParser from 'socket.io-msgpack-parser'
import { SOCKET_PATH } from '@gridsight/shared'

declare module 'fastify' {
  interface FastifyInstance {
    io: Server
  }
}

export default fp(
  async (app) => {
    const io = new Server(app.server, {
      path: SOCKET_PATH,
      parser: msgpackParser,
      serveClient: false,
      // Screens are same-origin; cross-origin access comes with the security work.
      cors: undefined,
    })
    app.decorate('io', io)
    app.addHook('preClose', async () => {
      // Disconnect sockets first so that close() does not wait on them.
      io.local.disconnectSockets(true)
      await io.close()
    })
  },
  { name: 'socket-io' },
)
