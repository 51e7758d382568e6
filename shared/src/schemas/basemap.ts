import Type from 'typebox'

/**
 * The map's bottom layer as the server is configured (BASEMAP): none beyond the region pack
 * (`offline`, the default), raster tiles from an XYZ template, or a raster PMTiles archive the
 * server itself serves. The attribution is plain text, shown in the map corner.
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
      attribution: Type.String(),
    }),
    Type.Object({
      kind: Type.Literal('pmtiles'),
      url: Type.String({ description: 'same-origin path of the archive, read with HTTP range requests' }),
      attribution: Type.String(),
    }),
  ],
  { description: 'the basemap under the region boundaries' },
)
export type Basemap = Type.Static<typeof Basemap>
