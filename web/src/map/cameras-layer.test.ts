import { describe, expect, it } from 'vitest'
import type { LiveMirror } from '@gridsight/shared'
import { liveSnapshot, mirrorOf } from '../test-support/live-snapshot.ts'
import { CAMERA_AGG_ZOOM, CAMERAS_AGG_ID, CAMERAS_LAYER_ID, CameraLayers, cameraCellsAt } from './cameras-layer.ts'
import { DISPUTE_POINTS_ZOOM, disputePointsAt } from './disputes-layer.ts'
import { aggregationLayers } from './lazy-aggregation.ts'
import { designZoom } from './design-zoom.ts'

function mirror(): LiveMirror {
  const now = Date.UTC(2026, 10, 22, 8, 0, 0)
  return mirrorOf(
    liveSnapshot(
      {
        cameras: {
          ids: ['k1', 'k2'],
          dict: ['public'],
          pos: new Float32Array([120.75, 30.76, 120.8, 30.8]).buffer,
          status: new Uint8Array(2).buffer,
          attr: new Uint16Array(2).buffer,
          at: new Uint32Array([now / 1000, now / 1000]).buffer,
        },
      },
      { ts: now },
    ),
  )
}

describe('design zoom', () => {
  it('is the map zoom on a 1080p wall, one level less per doubling of the wall scale', () => {
    expect(designZoom(11)).toBe(11)
    expect(designZoom(11, 1)).toBe(11)
    expect(designZoom(12, 2)).toBe(11)
    expect(designZoom(13, 4)).toBe(11)
    // a scale that is not one (not measured yet) counts as the design canvas
    expect(designZoom(11, 0)).toBe(11)
  })
})

describe('camera aggregation threshold', () => {
  it('counts cameras per cell below CAMERA_AGG_ZOOM on a 1080p wall', () => {
    expect(cameraCellsAt(CAMERA_AGG_ZOOM - 0.1)).toBe(true)
    expect(cameraCellsAt(CAMERA_AGG_ZOOM)).toBe(false)
    expect(cameraCellsAt(14, 1)).toBe(false)
  })

  it('switches at the same view of the region on a bigger wall, as the dispute dots do', () => {
    // a 4K wall shows at zoom 11 what a 1080p wall shows at 10: still the cells
    expect(cameraCellsAt(11, 2)).toBe(true)
    expect(cameraCellsAt(CAMERA_AGG_ZOOM + 1 - 0.1, 2)).toBe(true)
    expect(cameraCellsAt(CAMERA_AGG_ZOOM + 1, 2)).toBe(false)
    // on every wall the cameras turn to points before the disputes do, by the same margin
    for (const scale of [1, Math.sqrt(3), 2, 4]) {
      const offset = Math.log2(scale)
      expect(cameraCellsAt(CAMERA_AGG_ZOOM + offset - 0.01, scale)).toBe(true)
      expect(cameraCellsAt(CAMERA_AGG_ZOOM + offset + 0.01, scale)).toBe(false)
      expect(disputePointsAt(DISPUTE_POINTS_ZOOM + offset - 0.01, scale)).toBe(false)
      expect(disputePointsAt(DISPUTE_POINTS_ZOOM + offset + 0.01, scale)).toBe(true)
    }
  })

  it('draws the cells, not the points, on a 4K wall at a zoom where a 1080p wall draws points', async () => {
    await new Promise<void>((resolve) => {
      if (aggregationLayers(resolve)) resolve()
    })
    const m = mirror()
    const ids = (zoom: number, scale: number) => {
      const layers = new CameraLayers()
      layers.update(m, 1, m.ts)
      return layers.layers(m, zoom, 0, scale, () => {}).map((l) => l.id)
    }
    expect(ids(11, 1)).toEqual([CAMERAS_LAYER_ID])
    expect(ids(11, 2)).toEqual([CAMERAS_AGG_ID])
    expect(ids(12, 2)).toEqual([CAMERAS_LAYER_ID])
  })
})
