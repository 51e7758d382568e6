/**
 * The built-in style of a vector basemap (BASEMAP_TYPE=vector, issue 7): dark, muted, and without
 * any symbol layer. Labels would need glyphs, i.e. a glyph server on another host or font files we
 * do not ship; the region's names are our own deck.gl TextLayer. No sprites either: no patterns,
 * no icons. Colours sit a little above the offline ground so that the region's fills, outlines
 * and our deck.gl layers stay the brightest things on the wall.
 */
import type { ExpressionSpecification, LayerSpecification } from 'maplibre-gl'
import type { VectorSchema } from '@gridsight/shared'

export const vectorPalette = {
  earth: '#111d2e',
  green: '#0f2129',
  water: '#0b2744',
  building: '#172338',
  minorRoad: '#1a2b42',
  majorRoad: '#233a5a',
  rail: '#27364d',
  boundary: '#3a4d6e',
} as const

/** Widths at zoom 10 and 16, in CSS pixels: thin enough not to read as our unit boundaries. */
const width = (at10: number, at16: number): ExpressionSpecification => [
  'interpolate',
  ['exponential', 1.6],
  ['zoom'],
  10,
  at10,
  16,
  at16,
]

type Drawn = { id: string; sourceLayer: string; filter?: ExpressionSpecification; minzoom?: number }

function fill(source: string, d: Drawn, color: string, opacity = 1): LayerSpecification {
  return {
    id: `basemap-${d.id}`,
    type: 'fill',
    source,
    'source-layer': d.sourceLayer,
    ...(d.filter ? { filter: d.filter } : {}),
    ...(d.minzoom !== undefined ? { minzoom: d.minzoom } : {}),
    paint: { 'fill-color': color, 'fill-opacity': opacity },
  }
}

function line(
  source: string,
  d: Drawn,
  color: string,
  lineWidth: ExpressionSpecification | number,
  dash?: number[],
): LayerSpecification {
  return {
    id: `basemap-${d.id}`,
    type: 'line',
    source,
    'source-layer': d.sourceLayer,
    ...(d.filter ? { filter: d.filter } : {}),
    ...(d.minzoom !== undefined ? { minzoom: d.minzoom } : {}),
    layout: { 'line-join': 'round', 'line-cap': dash ? 'butt' : 'round' },
    paint: { 'line-color': color, 'line-width': lineWidth, ...(dash ? { 'line-dasharray': dash } : {}) },
  }
}

const classIn = (key: string, values: string[]): ExpressionSpecification => ['match', ['get', key], values, true, false]
const not = (e: ExpressionSpecification): ExpressionSpecification => ['!', e]
const isLine: ExpressionSpecification = ['==', ['geometry-type'], 'LineString']

/** openmaptiles.org/schema: land is the background (our ground), roads and railways in `transportation`. */
function openMapTiles(source: string): LayerSpecification[] {
  const p = vectorPalette
  const major = classIn('class', ['motorway', 'trunk', 'primary', 'secondary'])
  const rail = classIn('class', ['rail', 'transit'])
  return [
    fill(source, { id: 'landcover', sourceLayer: 'landcover' }, p.green, 0.6),
    fill(source, { id: 'landuse', sourceLayer: 'landuse' }, p.green, 0.6),
    fill(source, { id: 'park', sourceLayer: 'park' }, p.green),
    fill(source, { id: 'water', sourceLayer: 'water' }, p.water),
    line(source, { id: 'waterway', sourceLayer: 'waterway' }, p.water, width(0.8, 3)),
    fill(source, { id: 'building', sourceLayer: 'building', minzoom: 13 }, p.building),
    line(
      source,
      {
        id: 'road-minor',
        sourceLayer: 'transportation',
        filter: ['all', not(major), not(rail), not(classIn('class', ['ferry']))],
      },
      p.minorRoad,
      width(0.4, 4),
    ),
    line(source, { id: 'road-major', sourceLayer: 'transportation', filter: major }, p.majorRoad, width(1, 8)),
    line(source, { id: 'railway', sourceLayer: 'transportation', filter: rail }, p.rail, width(0.6, 2), [3, 2]),
    line(
      source,
      { id: 'boundary', sourceLayer: 'boundary', filter: ['<=', ['get', 'admin_level'], 6] },
      p.boundary,
      1,
      [4, 3],
    ),
  ]
}

/** docs.protomaps.com/basemaps/layers (v4): land is `earth`, railways are `roads` of kind rail. */
function protomaps(source: string): LayerSpecification[] {
  const p = vectorPalette
  const major = classIn('kind', ['highway', 'major_road'])
  const rail = classIn('kind', ['rail'])
  return [
    fill(source, { id: 'earth', sourceLayer: 'earth' }, p.earth),
    fill(source, { id: 'landuse', sourceLayer: 'landuse' }, p.green, 0.6),
    fill(source, { id: 'water', sourceLayer: 'water' }, p.water),
    line(source, { id: 'waterway', sourceLayer: 'water', filter: isLine }, p.water, width(0.8, 3)),
    fill(source, { id: 'building', sourceLayer: 'buildings', minzoom: 13 }, p.building),
    line(
      source,
      {
        id: 'road-minor',
        sourceLayer: 'roads',
        filter: ['all', not(major), not(rail), not(classIn('kind', ['ferry']))],
      },
      p.minorRoad,
      width(0.4, 4),
    ),
    line(source, { id: 'road-major', sourceLayer: 'roads', filter: major }, p.majorRoad, width(1, 8)),
    line(source, { id: 'railway', sourceLayer: 'roads', filter: rail }, p.rail, width(0.6, 2), [3, 2]),
    line(source, { id: 'boundary', sourceLayer: 'boundaries' }, p.boundary, 1, [4, 3]),
  ]
}

/** The basemap's layers, bottom first, all from `source`. */
export function vectorBasemapLayers(schema: VectorSchema, source: string): LayerSpecification[] {
  return schema === 'openmaptiles' ? openMapTiles(source) : protomaps(source)
}
