/**
 * The default basemap: no tiles, no glyphs, no sprites — nothing leaves the
 * server's origin. A dark ground, the neighbouring districts for context and the
 * region's own outline, all from the region pack via our API.
 */
import type { StyleSpecification } from 'maplibre-gl'

export const palette = {
  ground: '#050d1a',
  context: '#0b1a2e',
  contextLine: '#1c3554',
  land: '#0d2440',
  outline: '#3fa9ff',
}

export function offlineStyle(adcode: string): StyleSpecification {
  return {
    version: 8,
    sources: {
      context: { type: 'geojson', data: `/api/v1/regions/${adcode}/context` },
      district: { type: 'geojson', data: `/api/v1/regions/${adcode}/units?level=district` },
    },
    layers: [
      { id: 'ground', type: 'background', paint: { 'background-color': palette.ground } },
      { id: 'context-fill', type: 'fill', source: 'context', paint: { 'fill-color': palette.context } },
      {
        id: 'context-line',
        type: 'line',
        source: 'context',
        paint: { 'line-color': palette.contextLine, 'line-width': 1 },
      },
      { id: 'district-fill', type: 'fill', source: 'district', paint: { 'fill-color': palette.land } },
      {
        id: 'district-glow',
        type: 'line',
        source: 'district',
        paint: { 'line-color': palette.outline, 'line-width': 8, 'line-opacity': 0.15, 'line-blur': 4 },
      },
      {
        id: 'district-line',
        type: 'line',
        source: 'district',
        paint: { 'line-color': palette.outline, 'line-width': 2 },
      },
    ],
  }
}
