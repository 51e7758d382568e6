/**
 * Serves the configured PMTiles basemap (BASEMAP=pmtiles:<file>) at /basemap/<file name>, with
 * HTTP range requests (the pmtiles reader asks for the header, the directories and each tile as
 * byte ranges). Only that one file: not the folder it sits in. Public, like the web app's files —
 * basemap tiles hold no region data (docs/security.md).
 */
import { basename, dirname } from 'node:path'
import fp from 'fastify-plugin'
import fastifyStatic from '@fastify/static'
import { PMTILES_PREFIX } from '../../basemap/config.ts'

export default fp(
  async (app) => {
    const { basemap } = app.config
    if (basemap.kind !== 'pmtiles') return
    const name = basename(basemap.file)
    await app.register(fastifyStatic, {
      root: dirname(basemap.file),
      prefix: PMTILES_PREFIX,
      // web-app.ts owns reply.sendFile
      decorateReply: false,
      index: false,
      allowedPath: (path) => path === `/${name}`,
      // the reader revalidates by ETag: an archive replaced in place is picked up without stale ranges
      cacheControl: false,
      setHeaders: (reply) => reply.header('cache-control', 'no-cache'),
    })
  },
  { name: 'basemap-file', dependencies: ['config'] },
)
