/**
 * Serves the built web app (web/dist) at `/`, with an SPA fallback for deep links.
 * Hashed assets are cached for a year; index.html is always revalidated so that a
 * wall left running for days picks up a new build on its next reload.
 */
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import fp from 'fastify-plugin'
import fastifyStatic from '@fastify/static'

export const WEB_DIST = fileURLToPath(new URL('../../../../web/dist/', import.meta.url))

export default fp(
  async (app) => {
    const built = existsSync(`${WEB_DIST}index.html`)
    if (built) {
      await app.register(fastifyStatic, {
        root: WEB_DIST,
        wildcard: false,
        setHeaders(reply, path) {
          reply.header('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache')
        },
      })
    }
    app.setNotFoundHandler((req, reply) => {
      const path = req.url.split('?')[0] ?? ''
      // Deep links get the app; a missing file (an asset from an older build) gets a 404, not HTML.
      const isFile = /\.[a-z0-9]+$/i.test(path)
      if (req.method !== 'GET' || path.startsWith('/api/') || path.startsWith('/socket.io') || isFile) {
        return reply.code(404).send({ error: 'Not Found', message: `no route for ${req.method} ${path}` })
      }
      if (!built) {
        return reply
          .code(503)
          .type('text/plain; charset=utf-8')
          .send('The web app is not built yet: run `pnpm build` (or `pnpm start`, which builds it).')
      }
      return reply.header('cache-control', 'no-cache').sendFile('index.html')
    })
  },
  { name: 'web-app' },
)
