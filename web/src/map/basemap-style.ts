/**
 * An opt-in basemap (server's BASEMAP, issue 7) goes under the offline style: above its dark
 * ground, below every boundary and fill of the region pack, so our outlines, choropleth and labels
 * stay on top. The neighbours' fill goes and the region's land turns translucent so that the
 * basemap shows. Raster tiles are dimmed towards the dark wall (BASEMAP_DIM); vector tiles get the
 * built-in label-free style of their schema. With the offline default the style is returned untouched.
 */
import type { Basemap } from '@gridsight/shared'
import type {
  LayerSpecification,
  RasterLayerSpecification,
  RasterSourceSpecification,
  StyleSpecification,
  VectorSourceSpecification,
} from 'maplibre-gl'
import { vectorBasemapLayers } from './vector-basemap-style.ts'

export const BASEMAP_SOURCE = 'basemap'
export const BASEMAP_LAYER = 'basemap'
/** the offline style's opaque ground; the basemap goes right above it */
const GROUND_LAYER = 'ground'
/** the offline fills that would hide the basemap, and what is left of them over one */
export const LAND_OPACITY_OVER_BASEMAP: Readonly<Record<string, number>> = {
  'context-fill': 0,
  'district-fill': 0.35,
}
/**
 * The deepest zoom vector XYZ services cut (OpenMapTiles and Protomaps planet builds stop at 14
 * or 15): closer, MapLibre overzooms these tiles instead of asking for ones that do not exist.
 */
export const VECTOR_XYZ_MAX_ZOOM = 14

type OnlineBasemap = Exclude<Basemap, { kind: 'offline' }>

/**
 * MapLibre's raster paint for a dim from 0 (as served) to 1: daylight imagery loses brightness
 * at the top end first (white turns dark grey, black stays black), some saturation, and a little
 * contrast so that its busiest parts do not compete with our outlines.
 */
export function rasterDimPaint(dim: number): NonNullable<RasterLayerSpecification['paint']> {
  if (dim === 0) return {}
  return {
    'raster-brightness-max': 1 - 0.9 * dim,
    'raster-saturation': -0.6 * dim,
    'raster-contrast': -0.2 * dim,
  }
}

/** The MapLibre source of a basemap: XYZ templates as they are, a PMTiles archive through its protocol. */
export function basemapSource(
  basemap: OnlineBasemap,
  origin: string,
): RasterSourceSpecification | VectorSourceSpecification {
  if (basemap.kind === 'xyz') {
    return basemap.draw.type === 'raster'
      ? { type: 'raster', tiles: basemap.tiles, tileSize: basemap.tileSize }
      : { type: 'vector', tiles: basemap.tiles, maxzoom: VECTOR_XYZ_MAX_ZOOM }
  }
  // the protocol reads the archive's header (zooms, bounds) from this absolute URL
  const url = `pmtiles://${new URL(basemap.url, origin).href}`
  return basemap.draw.type === 'raster' ? { type: 'raster', url, tileSize: 256 } : { type: 'vector', url }
}

/** The basemap's own layers, bottom first. */
export function basemapLayers(basemap: OnlineBasemap): LayerSpecification[] {
  if (basemap.draw.type === 'vector') return vectorBasemapLayers(basemap.draw.schema, BASEMAP_SOURCE)
  return [{ id: BASEMAP_LAYER, type: 'raster', source: BASEMAP_SOURCE, paint: rasterDimPaint(basemap.draw.dim) }]
}

export function withBasemap(style: StyleSpecification, basemap: Basemap, origin: string): StyleSpecification {
  if (basemap.kind === 'offline') return style
  const own = basemapLayers(basemap)
  const layers: LayerSpecification[] = []
  for (const layer of style.layers) {
    const opacity = LAND_OPACITY_OVER_BASEMAP[layer.id]
    layers.push(
      opacity !== undefined && layer.type === 'fill'
        ? { ...layer, paint: { ...layer.paint, 'fill-opacity': opacity } }
        : layer,
    )
    if (layer.id === GROUND_LAYER) layers.push(...own)
  }
  if (!style.layers.some((l) => l.id === GROUND_LAYER)) layers.unshift(...own)
  return { ...style, sources: { [BASEMAP_SOURCE]: basemapSource(basemap, origin), ...style.sources }, layers }
}
