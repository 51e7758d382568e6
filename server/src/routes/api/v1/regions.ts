import Type from 'typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { existsSync } from 'node:fs'
import { readRegionLayer, regionDir } from '@gridsight/geo-data'
import { RegionSummary, UnitLevel } from '@gridsight/shared'
import { basemapForScreen } from '../../../basemap/config.ts'

const Params = Type.Object({ adcode: Type.String({ pattern: '^\\d{6}$' }) })

const regions: FastifyPluginAsyncTypebox = async (app) => {
  const { meta, byLevel } = app.region
  const code = meta.adcode
  // Static for the life of the process: serialise once, serve the same bytes.
  const layers = Object.fromEntries(
    (['district', 'street', 'community', 'grid'] as const).map((level) => [
      level,
      JSON.stringify({ type: 'FeatureCollection', features: byLevel[level] }),
    ]),
  ) as Record<UnitLevel, string>
  // An imported pack may come without context districts: fall back to the bundled ones, if any.
  const contextDir = [app.region.dir, regionDir(code)].find((d) => existsSync(`${d}context.geojson`))
  const context = JSON.stringify(
    contextDir ? readRegionLayer(code, 'context', contextDir) : { type: 'FeatureCollection', features: [] },
  )
  const summary: RegionSummary = {
    adcode: code,
    name: meta.name,
    fullName: meta.fullName,
    bbox: meta.bounds,
    centre: meta.centre,
    areaKm2: meta.areaKm2,
    densityStandards: meta.densityStandards,
    counts: { street: meta.counts.street, community: meta.counts.community, grid: meta.counts.grid },
    dataNotes: meta.dataNotes,
    basemap: basemapForScreen(app.config.basemap),
  }

  const known = (adcode: string) => {
    if (adcode !== code) {
      throw Object.assign(new Error(`region ${adcode} is not served here (this server serves ${code})`), {
        statusCode: 404,
      })
    }
  }

  app.get(
    '/region',
    { schema: { summary: 'The region this server serves', response: { 200: RegionSummary } } },
    async () => summary,
  )

  app.get(
    '/regions/:adcode/units',
    {
      schema: {
        summary: 'Administrative units of one level as GeoJSON (code, name, level, parent, urban, areaKm2)',
        params: Params,
        querystring: Type.Object({ level: Type.Optional(UnitLevel) }),
      },
    },
    async (req, reply) => {
      known(req.params.adcode)
      return reply.type('application/geo+json; charset=utf-8').send(layers[req.query.level ?? 'district'])
    },
  )

  app.get(
    '/regions/:adcode/context',
    {
      schema: {
        summary: 'Neighbouring districts of the same city, for map context',
        params: Params,
      },
    },
    async (req, reply) => {
      known(req.params.adcode)
      return reply.type('application/geo+json; charset=utf-8').send(context)
    },
  )
}
export default regions
