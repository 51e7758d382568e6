/**
 * Today's track of the member on show in the detail panel, as one deck.gl path
 * (a glow under a bright line) with its fixes as small dots. Built once per track
 * and wall scale; the path arrays are markRaw'd by the detail store.
 */
import { PathLayer, ScatterplotLayer } from '@deck.gl/layers'
import type { Layer } from '@deck.gl/core'
import type { DetailTrack } from '../stores/detail.ts'

export const DETAIL_TRACK_ID = 'detail-track'
export const DETAIL_TRACK_GLOW_ID = 'detail-track-glow'
export const DETAIL_TRACK_FIXES_ID = 'detail-track-fixes'

export function trackLayers(track: DetailTrack, symbolScale = 1): Layer[] {
  if (track.path.length === 0) return []
  const data = [{ path: track.path }]
  const getPath = (d: { path: [number, number][] }) => d.path
  return [
    new PathLayer({
      id: DETAIL_TRACK_GLOW_ID,
      data,
      getPath,
      getColor: [56, 225, 255, 70],
      getWidth: 9,
      widthUnits: 'pixels',
      widthScale: symbolScale,
      capRounded: true,
      jointRounded: true,
      pickable: false,
    }),
    new PathLayer({
      id: DETAIL_TRACK_ID,
      data,
      getPath,
      getColor: [56, 225, 255, 235],
      getWidth: 3,
      widthUnits: 'pixels',
      widthScale: symbolScale,
      capRounded: true,
      jointRounded: true,
      pickable: false,
    }),
    new ScatterplotLayer({
      id: DETAIL_TRACK_FIXES_ID,
      data: track.path,
      getPosition: (p: [number, number]) => p,
      getFillColor: [230, 241, 255, 220],
      radiusUnits: 'pixels',
      getRadius: 2,
      radiusScale: symbolScale,
      pickable: false,
    }),
  ] as Layer[]
}
