/**
 * Owns the live stream and publishes it on the `/live` namespace: a snapshot on
 * connect or on `resync`, then one delta per tick when something changed.
 */
import fp from 'fastify-plugin'
import { LIVE_NAMESPACE, LiveEvent } from '@gridsight/shared'
import { LiveStream } from '../../live/live-stream.ts'

declare module 'fastify' {
  interface FastifyInstance {
    live: LiveStream
  }
}

export default fp(
  async (app) => {
    const stream = new LiveStream()
    app.decorate('live', stream)
    const nsp = app.io.of(LIVE_NAMESPACE)

    nsp.on('connection', (socket) => {
      socket.emit(LiveEvent.snapshot, stream.snapshot())
      socket.on(LiveEvent.resync, () => socket.emit(LiveEvent.snapshot, stream.snapshot()))
    })

    const timer = setInterval(() => {
      const delta = stream.cutDelta()
      if (delta) nsp.emit(LiveEvent.delta, delta)
    }, app.config.TICK_MS)
    app.addHook('onClose', async () => clearInterval(timer))
  },
  { name: 'live', dependencies: ['config', 'socket-io'] },
)
