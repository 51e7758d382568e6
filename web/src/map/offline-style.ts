/**
 * The default basemap: no tiles, no glyphs, no sprites — nothing leaves the
 * server's origin. A dark ground, the neighbouring districts for context and the
 * region's own outline, all from the region pack via our API.
 */
import type { Map as MapLibreMap, StyleSpecification } from 'maplibre-gl'

export const palette = {
  ground: '#050d1a',
  context: '#0b1a2e',
  contextLine: '#1c3554',
  land: '#0d2440',
  outline: '#3fa9ff',
  street: '#2f7fd0',
  community: '#21507f',
  grid: '#183a5e',
}

/** Line widths at 1080p, in CSS pixels; multiplied by the wall's symbol scale. */
const LINE_WIDTHS = {
  'context-line': 1,
  'grid-line': 0.6,
  'community-line': 0.8,
  'street-line': 1.4,
  'district-glow': 8,
  'district-line': 2,
} as const
const LINE_BLUR = { 'district-glow': 4 } as const

export function offlineStyle(adcode: string, symbolScale = 1): StyleSpecification {
  const w = (id: keyof typeof LINE_WIDTHS) => LINE_WIDTHS[id] * symbolScale
  return {
    version: 8,
    sources: {
      context: { type: 'geojson', data: `/api/v1/regions/${adcode}/context` },
      district: { type: 'geojson', data: `/api/v1/regions/${adcode}/units?level=district` },
      street: { type: 'geojson', data: `/api/v1/regions/${adcode}/units?level=street` },
      community: { type: 'geojson', data: `/api/v1/regions/${adcode}/units?level=community` },
      grid: { type: 'geojson', data: `/api/v1/regions/${adcode}/units?level=grid` },
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
    ],
  }
}

/** Re-applies the line widths for a new wall symbol scale without reloading the style. */
export function applySymbolScale(map: MapLibreMap, symbolScale: number): void {
  for (const [id, width] of Object.entries(LINE_WIDTHS)) {
    if (map.getLayer(id)) map.setPaintProperty(id, 'line-width', width * symbolScale)
  }
  for (const [id, blur] of Object.entries(LINE_BLUR)) {
    if (map.getLayer(id)) map.setPaintProperty(id, 'line-blur', blur * symbolScale)
  }
}
