import { ScatterplotLayer } from '@deck.gl/layers'
import type { LiveMirror } from '@gridsight/shared'

export const MEMBERS_LAYER_ID = 'members'

/**
 * Members as binary attributes straight from the mirror's Float32Array: no
 * per-point objects. A new `data` wrapper per version makes deck.gl re-upload
 * the positions; the buffer itself is reused. `symbolScale` keeps the dots the same
 * size relative to the panels on a larger wall (see layout/wall-scale.ts).
 */
export function membersLayer(mirror: LiveMirror, version: number, symbolScale = 1): ScatterplotLayer {
  const n = mirror.memberCount
  return new ScatterplotLayer({
    id: MEMBERS_LAYER_ID,
    data: {
      length: n,
      attributes: { getPosition: { value: mirror.memberPos.subarray(0, n * 2), size: 2 } },
    },
    pickable: true,
    getFillColor: [46, 230, 166, 230],
    getLineColor: [5, 13, 26, 255],
    stroked: true,
    lineWidthMinPixels: 1,
    radiusUnits: 'pixels',
    getRadius: 4,
    // wall scaling: uniform props, no accessor re-evaluation
    radiusScale: symbolScale,
    lineWidthScale: symbolScale,
    updateTriggers: { getPosition: version },
  })
}
