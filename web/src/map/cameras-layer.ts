import { ScatterplotLayer } from '@deck.gl/layers'
import { STATUS_CODES, type LiveMirror } from '@gridsight/shared'

export const CAMERAS_LAYER_ID = 'cameras'

/** RGBA by camera status code (online, offline, fault): offline and fault stand out, online recedes. */
const STATUS_RGBA: readonly (readonly [number, number, number, number])[] = STATUS_CODES.cameras.map((s) =>
  s === 'online' ? [63, 169, 255, 110] : s === 'offline' ? [255, 77, 79, 240] : [255, 176, 32, 240],
)

let colors = new Uint8Array(0)

/**
 * Cameras as binary attributes from the mirror: positions as they arrive, colours
 * rebuilt from the status column into one reused buffer (4 bytes a camera).
 */
export function camerasLayer(mirror: LiveMirror, version: number, symbolScale = 1): ScatterplotLayer {
  const t = mirror.tables.cameras
  const n = t.count
  if (colors.length < n * 4) colors = new Uint8Array(Math.max(n * 4, colors.length * 2))
  for (let i = 0; i < n; i++) colors.set(STATUS_RGBA[t.status[i]!] ?? STATUS_RGBA[0]!, i * 4)
  return new ScatterplotLayer({
    id: CAMERAS_LAYER_ID,
    data: {
      length: n,
      attributes: {
        getPosition: { value: t.pos.subarray(0, n * 2), size: 2 },
        getFillColor: { value: colors.subarray(0, n * 4), size: 4, normalized: true },
      },
    },
    pickable: true,
    radiusUnits: 'pixels',
    getRadius: 2,
    radiusScale: symbolScale,
    updateTriggers: { getPosition: version, getFillColor: version },
  })
}
