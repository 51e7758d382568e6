import { ScatterplotLayer } from '@deck.gl/layers'
import { STATUS_CODES, type LiveMirror } from '@gridsight/shared'
import { statusPainter, type Rgba } from './status-colors.ts'

export const MEMBERS_LAYER_ID = 'members'

/** RGBA by member status code: on duty green, off duty grey and faint, SOS red. */
export const MEMBER_COLORS: readonly Rgba[] = STATUS_CODES.members.map((s): Rgba =>
  s === 'on-duty' ? [46, 230, 166, 235] : s === 'sos' ? [255, 77, 79, 255] : [120, 136, 156, 90],
)
const paint = statusPainter(MEMBER_COLORS)

/**
 * Members as binary attributes straight from the mirror: positions from its
 * Float32Array, colours rebuilt from the status column into one reused buffer.
 * No per-point objects. `symbolScale` keeps the dots the same size relative to the
 * panels on a larger wall (see layout/wall-scale.ts).
 */
export function membersLayer(mirror: LiveMirror, version: number, symbolScale = 1): ScatterplotLayer {
  const t = mirror.tables.members
  const n = t.count
  return new ScatterplotLayer({
    id: MEMBERS_LAYER_ID,
    data: {
      length: n,
      attributes: {
        getPosition: { value: t.pos.subarray(0, n * 2), size: 2 },
        getFillColor: { value: paint(t), size: 4, normalized: true },
      },
    },
    pickable: true,
    getLineColor: [5, 13, 26, 255],
    stroked: true,
    lineWidthMinPixels: 1,
    radiusUnits: 'pixels',
    getRadius: 4,
    // wall scaling: uniform props, no accessor re-evaluation
    radiusScale: symbolScale,
    lineWidthScale: symbolScale,
    updateTriggers: { getPosition: version, getFillColor: version },
  })
}
