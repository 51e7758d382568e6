/**
 * The default basemap: no tiles, no glyphs, no sprites — nothing leaves the
 * server's origin. A dark ground, the neighbouring districts for context and the
 * region's own outline, all from the region pack via our API.
 */
import type { LayerSpecification, Map as MapLibreMap, StyleSpecification } from 'maplibre-gl'
import { CHOROPLETH_SCALES, rampExpression } from './choropleth-scale.ts'

export const palette = {
  ground: '#050d1a',
  context: '#0b1a2e',
  contextLine: '#1c3554',
  land: '#0d2440',
  outline: '#3fa9ff',
  street: '#2f7fd0',
  community: '#21507f',
  grid: '#183a5e',
  scope: '#7fd3ff',
}

/** Line widths at 1080p, in CSS pixels; multiplied by the wall's symbol scale. */
const LINE_WIDTHS = {
  'context-line': 1,
  'grid-line': 0.6,
  'community-line': 0.8,
  'street-line': 1.4,
  'district-glow': 8,
  'district-line': 2,
  'scope-line': 2.5,
} as const
const LINE_BLUR = { 'district-glow': 4 } as const

export function offlineStyle(adcode: string, symbolScale = 1): StyleSpecification {
  const w = (id: keyof typeof LINE_WIDTHS) => LINE_WIDTHS[id] * symbolScale
  return {
    version: 8,
    sources: {
      context: { type: 'geojson', data: `/api/v1/regions/${adcode}/context` },
      district: { type: 'geojson', data: `/api/v1/regions/${adcode}/units?level=district` },
      // promoteId: the unit code is the feature id, for the choropleth's feature-state
      street: { type: 'geojson', data: `/api/v1/regions/${adcode}/units?level=street`, promoteId: 'code' },
      community: { type: 'geojson', data: `/api/v1/regions/${adcode}/units?level=community`, promoteId: 'code' },
      grid: { type: 'geojson', data: `/api/v1/regions/${adcode}/units?level=grid`, promoteId: 'code' },
    },
    layers: [
      { id: 'ground', type: 'background', paint: { 'background-color': palette.ground } },
      { id: 'context-fill', type: 'fill', source: 'context', paint: { 'fill-color': palette.context } },
      {
        id: 'context-line',
        type: 'line',
        source: 'context',
        paint: { 'line-color': palette.contextLine, 'line-width': w('context-line') },
      },
      { id: 'district-fill', type: 'fill', source: 'district', paint: { 'fill-color': palette.land } },
      ...choroplethLayers(),
      ...scopeLayers('dim'),
      ...hitLayers(),
      // The hierarchy by zoom: streets always, communities and grids as the map closes in.
      {
        id: 'grid-line',
        type: 'line',
        source: 'grid',
        minzoom: 12.5,
        paint: { 'line-color': palette.grid, 'line-width': w('grid-line') },
      },
      {
        id: 'community-line',
        type: 'line',
        source: 'community',
        minzoom: 11,
        paint: { 'line-color': palette.community, 'line-width': w('community-line') },
      },
      {
        id: 'street-line',
        type: 'line',
        source: 'street',
        paint: { 'line-color': palette.street, 'line-width': w('street-line'), 'line-opacity': 0.8 },
      },
      {
        id: 'district-glow',
        type: 'line',
        source: 'district',
        paint: {
          'line-color': palette.outline,
          'line-width': w('district-glow'),
          'line-opacity': 0.15,
          'line-blur': LINE_BLUR['district-glow'] * symbolScale,
        },
      },
      {
        id: 'district-line',
        type: 'line',
        source: 'district',
        paint: { 'line-color': palette.outline, 'line-width': w('district-line') },
      },
      ...scopeLayers('outline', symbolScale),
    ],
  }
}

/** The unit levels below the district, each a GeoJSON source named after it. */
export const UNIT_LEVELS = ['street', 'community', 'grid'] as const
export type UnitSourceLevel = (typeof UNIT_LEVELS)[number]

/** Which level the choropleth colours at which zoom: the one whose boundaries are drawn finest. */
const CHORO_ZOOM: Record<UnitSourceLevel, { minzoom?: number; maxzoom?: number }> = {
  street: { maxzoom: 11 },
  community: { minzoom: 11, maxzoom: 12.5 },
  grid: { minzoom: 12.5 },
}

export const choroLayerId = (level: UnitSourceLevel) => `choro-${level}`
export const dimLayerId = (level: UnitSourceLevel) => `scope-dim-${level}`
export const outlineLayerId = (level: UnitSourceLevel) => `scope-outline-${level}`
export const hitLayerId = (level: UnitSourceLevel) => `hit-${level}`

/** The level whose choropleth shows at a zoom. */
export function choroLevelAt(zoom: number): UnitSourceLevel {
  return zoom < 11 ? 'street' : zoom < 12.5 ? 'community' : 'grid'
}

/** Fill per unit from the feature-state `t` (see map/choropleth.ts); transparent while a unit has no value. */
function choroplethLayers(): LayerSpecification[] {
  return UNIT_LEVELS.map((level): LayerSpecification => ({
    id: choroLayerId(level),
    type: 'fill',
    source: level,
    ...CHORO_ZOOM[level],
    paint: {
      'fill-color': rampExpression(CHOROPLETH_SCALES.compliance.ramp) as never,
      'fill-opacity': ['case', ['>=', ['coalesce', ['feature-state', 't'], -1], 0], 0.55, 0],
    },
  }))
}

const NOTHING = ['==', ['get', 'code'], ''] as const

/**
 * Outside the scope the map is dimmed (the scope's siblings at its level cover
 * everything else), and the scope itself is outlined; map/scope-view.ts sets the filters.
 */
function scopeLayers(kind: 'dim' | 'outline', symbolScale = 1): LayerSpecification[] {
  return UNIT_LEVELS.map((level): LayerSpecification =>
    kind === 'dim'
      ? {
          id: dimLayerId(level),
          type: 'fill',
          source: level,
          filter: NOTHING as never,
          paint: { 'fill-color': palette.ground, 'fill-opacity': 0.6 },
        }
      : {
          id: outlineLayerId(level),
          type: 'line',
          source: level,
          filter: NOTHING as never,
          paint: { 'line-color': palette.scope, 'line-width': LINE_WIDTHS['scope-line'] * symbolScale },
        },
  )
}

/** Invisible fills that a click on the map queries to find the unit to drill into. */
function hitLayers(): LayerSpecification[] {
  return UNIT_LEVELS.map((level): LayerSpecification => ({
    id: hitLayerId(level),
    type: 'fill',
    source: level,
    filter: NOTHING as never,
    paint: { 'fill-color': '#000000', 'fill-opacity': 0 },
  }))
}

/** Re-applies the line widths for a new wall symbol scale without reloading the style. */
export function applySymbolScale(map: MapLibreMap, symbolScale: number): void {
  for (const [id, width] of Object.entries(LINE_WIDTHS)) {
    if (map.getLayer(id)) map.setPaintProperty(id, 'line-width', width * symbolScale)
  }
  for (const level of UNIT_LEVELS) {
    map.setPaintProperty(outlineLayerId(level), 'line-width', LINE_WIDTHS['scope-line'] * symbolScale)
  }
  for (const [id, blur] of Object.entries(LINE_BLUR)) {
    if (map.getLayer(id)) map.setPaintProperty(id, 'line-blur', blur * symbolScale)
  }
}
