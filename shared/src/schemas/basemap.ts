import Type from 'typebox'

/** The two vector tile schemas the built-in basemap style knows (their source-layer names differ). */
export const VECTOR_SCHEMAS = ['openmaptiles', 'protomaps'] as const
export type VectorSchema = (typeof VECTOR_SCHEMAS)[number]

/**
 * The source layers the built-in style draws from, per schema: OpenMapTiles
 * (openmaptiles.org/schema) and the Protomaps basemap (docs.protomaps.com/basemaps/layers).
 * The server checks an archive against them; the screen's style uses no others.
 */
export const VECTOR_SCHEMA_LAYERS: Readonly<Record<VectorSchema, readonly string[]>> = {
  openmaptiles: ['water', 'landuse', 'landcover', 'park', 'transportation', 'building', 'boundary', 'waterway'],
  protomaps: ['water', 'earth', 'landuse', 'roads', 'buildings', 'boundaries'],
}

/**
 * How the screen draws the tiles: raster imagery dimmed towards the dark wall (`dim` 0 = as
 * served, 1 = darkest), or vector tiles in the built-in dark, label-free style of their schema.
 */
export const BasemapDraw = Type.Union([
  Type.Object({ type: Type.Literal('raster'), dim: Type.Number({ minimum: 0, maximum: 1 }) }),
  Type.Object({
    type: Type.Literal('vector'),
    schema: Type.Union([Type.Literal('openmaptiles'), Type.Literal('protomaps')]),
  }),
])
export type BasemapDraw = Type.Static<typeof BasemapDraw>

/**
 * The map's bottom layer as the server is configured (BASEMAP): none beyond the region pack
 * (`offline`, the default), tiles from an XYZ template, or a PMTiles archive the server itself
 * serves. The attribution is plain text, shown in the map corner.
 */
export const Basemap = Type.Union(
  [
    Type.Object({ kind: Type.Literal('offline') }),
    Type.Object({
      kind: Type.Literal('xyz'),
      tiles: Type.Array(Type.String(), {
        minItems: 1,
        description: 'XYZ templates ({z}/{x}/{y}), one per subdomain; MapLibre spreads requests over them',
      }),
      tileSize: Type.Union([Type.Literal(256), Type.Literal(512)]),
      draw: BasemapDraw,
      attribution: Type.String(),
    }),
    Type.Object({
      kind: Type.Literal('pmtiles'),
      url: Type.String({ description: 'same-origin path of the archive, read with HTTP range requests' }),
      draw: BasemapDraw,
      attribution: Type.String(),
    }),
  ],
  { description: 'the basemap under the region boundaries' },
)
export type Basemap = Type.Static<typeof Basemap>
