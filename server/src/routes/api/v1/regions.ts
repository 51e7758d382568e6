import Type from 'typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { readRegionLayer } from '@gridsight/geo-data'
import { bboxOf, RegionSummary } from '@gridsight/shared'

const Params = Type.Object({ adcode: Type.String({ pattern: '^\\d{6}$' }) })

const regions: FastifyPluginAsyncTypebox = async (app) => {
  const region = app.config.REGION
  // Region layers are static for the process: read once, serve from memory.
  const district = readRegionLayer(region, 'district')
  const context = readRegionLayer(region, 'context')

  const outline = district.features[0]
  if (!outline) throw new Error(`region ${region} has no district feature`)
  const summary: RegionSummary = {
    adcode: region,
    name: outline.properties.name,
    bbox: bboxOf(outline.geometry.coordinates),
  }

  const known = (adcode: string) => {
    if (adcode !== region) {
      throw Object.assign(new Error(`region ${adcode} is not served here (this server serves ${region})`), {
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
        summary: 'Administrative units of a region as GeoJSON',
        params: Params,
        querystring: Type.Object({ level: Type.Literal('district', { default: 'district' }) }),
      },
    },
    async (req) => {
      known(req.params.adcode)
      return district
    },
  )

  app.get(
    '/regions/:adcode/context',
    { schema: { summary: 'Neighbouring districts of the same city, for map context', params: Params } },
    async (req) => {
      known(req.params.adcode)
      return context
    },
  )
}
export default regions
