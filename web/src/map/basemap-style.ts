/**
 * An opt-in basemap (server's BASEMAP, issue 7) goes under the offline style: above its dark
 * ground, below every boundary and fill of the region pack, so our outlines, choropleth and labels
 * stay on top. The neighbours' fill goes and the region's land turns translucent so that the
 * basemap shows. With the offline default the style is returned untouched.
 */
import type { Basemap } from '@gridsight/shared'
import type { LayerSpecification, RasterSourceSpecification, StyleSpecification } from 'maplibre-gl'

export const BASEMAP_SOURCE = 'basemap'
export const BASEMAP_LAYER = 'basemap'
/** the offline style's opaque ground; the basemap goes right above it */
const GROUND_LAYER = 'ground'
/** the offline fills that would hide the basemap, and what is left of them over one */
export const LAND_OPACITY_OVER_BASEMAP: Readonly<Record<string, number>> = {
  'context-fill': 0,
  'district-fill': 0.35,
}

/** The MapLibre source of a basemap: XYZ templates as they are, a PMTiles archive through its protocol. */
export function basemapSource(
  basemap: Exclude<Basemap, { kind: 'offline' }>,
  origin: string,
): RasterSourceSpecification {
  if (basemap.kind === 'xyz') return { type: 'raster', tiles: basemap.tiles, tileSize: basemap.tileSize }
  // the protocol reads the archive's header (zooms, bounds) from this absolute URL
  return { type: 'raster', url: `pmtiles://${new URL(basemap.url, origin).href}`, tileSize: 256 }
}

export function withBasemap(style: StyleSpecification, basemap: Basemap, origin: string): StyleSpecification {
  if (basemap.kind === 'offline') return style
  const layers: LayerSpecification[] = []
  for (const layer of style.layers) {
    const opacity = LAND_OPACITY_OVER_BASEMAP[layer.id]
    layers.push(
      opacity !== undefined && layer.type === 'fill'
        ? { ...layer, paint: { ...layer.paint, 'fill-opacity': opacity } }
        : layer,
    )
    if (layer.id === GROUND_LAYER) layers.push({ id: BASEMAP_LAYER, type: 'raster', source: BASEMAP_SOURCE })
  }
  if (!layers.some((l) => l.id === BASEMAP_LAYER))
    layers.unshift({ id: BASEMAP_LAYER, type: 'raster', source: BASEMAP_SOURCE })
  return { ...style, sources: { [BASEMAP_SOURCE]: basemapSource(basemap, origin), ...style.sources }, layers }
}
