/**
 * Camera density as hexagon columns (deck.gl HexagonLayer, GPU aggregation):
 * flat cells seen from above, 3D columns once the map is tilted. The data object
 * changes only when cameras are added, so a status tick does not re-aggregate.
 */
import type { Layer } from '@deck.gl/core'
import type { LiveMirror } from '@gridsight/shared'
import { CAMERA_AGG_RANGE } from './cameras-layer.ts'
import { aggregationLayers } from './lazy-aggregation.ts'

export const CAMERA_HEX_ID = 'camera-hex'
/** hexagon radius in metres: about a community block */
export const HEX_RADIUS_M = 400
/** tilted beyond this (degrees), the cells stand up as columns */
export const EXTRUDE_PITCH = 10

export class CameraHexLayer {
  private data: { length: number; attributes: Record<string, unknown> } | null = null
  private layer: Layer | null = null
  private extruded = false

  layers(mirror: LiveMirror, pitch: number, onLoad: () => void): Layer[] {
    const agg = aggregationLayers(onLoad)
    if (!agg) return []
    const t = mirror.tables.cameras
    const n = t.count
    const extruded = pitch > EXTRUDE_PITCH
    if (
      !this.data ||
      this.data.length !== n ||
      t.pos.buffer !== (this.data.attributes.getPosition as { value: Float32Array }).value.buffer
    ) {
      this.data = { length: n, attributes: { getPosition: { value: t.pos.subarray(0, n * 2), size: 2 } } }
      this.layer = null
    }
    if (extruded !== this.extruded) this.layer = null
    this.extruded = extruded
    this.layer ??= new agg.HexagonLayer({
      id: CAMERA_HEX_ID,
      data: this.data as never,
      radius: HEX_RADIUS_M,
      gpuAggregation: true,
      colorRange: CAMERA_AGG_RANGE,
      extruded,
      elevationScale: 4,
      coverage: 0.88,
      opacity: 0.55,
      pickable: false,
    }) as unknown as Layer
    return [this.layer]
  }
}
