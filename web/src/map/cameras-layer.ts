import { ScatterplotLayer } from '@deck.gl/layers'
import { STATUS_CODES, type LiveMirror } from '@gridsight/shared'
import { statusPainter, type Rgba } from './status-colors.ts'

export const CAMERAS_LAYER_ID = 'cameras'

/** RGBA by camera status code (online, offline, fault): offline and fault stand out, online recedes. */
export const CAMERA_COLORS: readonly Rgba[] = STATUS_CODES.cameras.map((s): Rgba =>
  s === 'online' ? [63, 169, 255, 110] : s === 'offline' ? [255, 77, 79, 240] : [255, 176, 32, 240],
)
const paint = statusPainter(CAMERA_COLORS)

/**
 * Cameras as binary attributes from the mirror: positions as they arrive, colours
 * rebuilt from the status column into one reused buffer (4 bytes a camera).
 */
export function camerasLayer(mirror: LiveMirror, version: number, symbolScale = 1): ScatterplotLayer {
  const t = mirror.tables.cameras
  const n = t.count
  return new ScatterplotLayer({
    id: CAMERAS_LAYER_ID,
    data: {
      length: n,
      attributes: {
        getPosition: { value: t.pos.subarray(0, n * 2), size: 2 },
        getFillColor: { value: paint(t), size: 4, normalized: true },
      },
    },
    pickable: true,
    radiusUnits: 'pixels',
    getRadius: 2,
    radiusScale: symbolScale,
    updateTriggers: { getPosition: version, getFillColor: version },
  })
}
