import { ScatterplotLayer } from '@deck.gl/layers'
import type { Layer } from '@deck.gl/core'
import { STATUS_CODES, type LiveMirror } from '@gridsight/shared'
import type { Rgba } from './status-colors.ts'
import { lastReportMs, packStatus, pulsePhase, staleFade } from './camera-style.ts'
import { aggregationLayers } from './lazy-aggregation.ts'
import { designZoom } from './design-zoom.ts'

export const CAMERAS_LAYER_ID = 'cameras'
export const CAMERAS_PULSE_ID = 'cameras-pulse'
export const CAMERAS_AGG_ID = 'cameras-agg'

/**
 * Below this zoom the cameras are drawn as counts per screen cell (GPU aggregation), counted on the
 * 1080p design canvas (see cameraCellsAt).
 */
export const CAMERA_AGG_ZOOM = 10.5

/**
 * Whether the cameras are drawn as counts per cell at this zoom: as the dispute dots, the switch
 * follows the wall's `symbolScale`, so a 4K wall, which shows the whole district at about 12, still
 * counts them per cell there instead of drawing thousands of points.
 */
export function cameraCellsAt(zoom: number, symbolScale = 1): boolean {
  return designZoom(zoom, symbolScale) < CAMERA_AGG_ZOOM
}

/** RGBA by camera status code (online, offline, fault): offline and fault stand out, online recedes. */
export const CAMERA_COLORS: readonly Rgba[] = STATUS_CODES.cameras.map((s): Rgba =>
  s === 'online' ? [63, 169, 255, 110] : s === 'offline' ? [255, 77, 79, 240] : [255, 176, 32, 240],
)
const OFFLINE = STATUS_CODES.cameras.indexOf('offline')

/** Counts per cell, dark blue to cyan: the aggregate view of the camera layer. */
export const CAMERA_AGG_RANGE: [number, number, number][] = [
  [18, 52, 86],
  [28, 84, 140],
  [38, 120, 196],
  [63, 169, 255],
  [56, 225, 255],
  [200, 245, 255],
]

/**
 * The camera layers, fed from the mirror's typed arrays into buffers reused
 * between updates: points coloured by status with stale ones faded by the age of
 * their last report, a ring pulsing around each offline camera (its radius and
 * opacity are uniforms, so the animation never touches the data), and at low zoom
 * counts per screen cell instead of points.
 */
export class CameraLayers {
  private colors: Uint8Array = new Uint8Array(0)
  private offline: Float32Array = new Float32Array(0)
  private offlineCount = 0
  private points: Layer | null = null
  private aggregate: Layer | null = null
  private builtFor = -1
  private revision = -1
  private aggregatedKey = ''

  /**
   * Rebuilds the attributes (status colours, fade, offline subset) when the
   * cameras table changed, or always with `force` (the fade clock, a new scale).
   * Returns whether it rebuilt.
   */
  update(mirror: LiveMirror, version: number, nowMs: number, force = false): boolean {
    const t = mirror.tables.cameras
    if (!force && t.revision === this.revision) return false
    this.revision = t.revision
    const n = t.count
    if (this.colors.length < n * 4) this.colors = new Uint8Array(Math.max(n * 4, this.colors.length * 2))
    const c = this.colors
    for (let i = 0; i < n; i++) {
      const base = CAMERA_COLORS[t.status[i]!] ?? CAMERA_COLORS[0]!
      const o = i * 4
      c[o] = base[0]
      c[o + 1] = base[1]
      c[o + 2] = base[2]
      c[o + 3] = base[3] * staleFade(nowMs - lastReportMs(t.at[i]!, t.seen[i]!))
    }
    const packed = packStatus(t.pos, t.status, n, OFFLINE, this.offline)
    this.offline = packed.buffer
    this.offlineCount = packed.count
    this.builtFor = version
    this.points = null
    // counts per cell change only with the set of cameras, not with their status
    if (`${mirror.epoch}/${mirror.scope}/${n}` !== this.aggregatedKey) this.aggregate = null
    return true
  }

  /** The layers for this frame; only the pulse ring is new each frame. */
  layers(mirror: LiveMirror, zoom: number, timeMs: number, symbolScale: number, onLoad: () => void): Layer[] {
    const t = mirror.tables.cameras
    const n = t.count
    const v = this.builtFor
    const out: Layer[] = []
    const agg = cameraCellsAt(zoom, symbolScale) ? aggregationLayers(onLoad) : null
    if (agg) {
      this.aggregate ??= new agg.ScreenGridLayer({
        id: CAMERAS_AGG_ID,
        data: { length: n, attributes: { getPosition: { value: t.pos.subarray(0, n * 2), size: 2 } } },
        cellSizePixels: Math.round(24 * symbolScale),
        colorRange: CAMERA_AGG_RANGE,
        gpuAggregation: true,
        // the unit colouring stays readable through the cells
        opacity: 0.5,
        pickable: false,
      }) as unknown as Layer
      this.aggregatedKey = `${mirror.epoch}/${mirror.scope}/${n}`
      out.push(this.aggregate)
    } else {
      this.points ??= new ScatterplotLayer({
        id: CAMERAS_LAYER_ID,
        data: {
          length: n,
          attributes: {
            getPosition: { value: t.pos.subarray(0, n * 2), size: 2 },
            getFillColor: { value: this.colors.subarray(0, n * 4), size: 4, normalized: true },
          },
        },
        pickable: true,
        radiusUnits: 'pixels',
        getRadius: 2,
        radiusScale: symbolScale,
        updateTriggers: { getPosition: v, getFillColor: v },
      })
      out.push(this.points)
    }
    if (this.offlineCount > 0) {
      const phase = pulsePhase(timeMs)
      out.push(
        new ScatterplotLayer({
          id: CAMERAS_PULSE_ID,
          data: {
            length: this.offlineCount,
            attributes: { getPosition: { value: this.offline.subarray(0, this.offlineCount * 2), size: 2 } },
          },
          filled: false,
          stroked: true,
          getLineColor: [255, 77, 79, 255],
          lineWidthUnits: 'pixels',
          getLineWidth: 1.5,
          lineWidthScale: symbolScale,
          radiusUnits: 'pixels',
          getRadius: 1,
          // the animation: uniforms only
          radiusScale: symbolScale * (3 + 9 * phase),
          opacity: 0.9 * (1 - phase),
          pickable: false,
          updateTriggers: { getPosition: v },
        }),
      )
    }
    return out
  }

  /** Whether an offline camera is pulsing (the map keeps animating while one is). */
  get pulsing(): boolean {
    return this.offlineCount > 0
  }

  /** Forces new layer descriptors (wall scale changed). */
  invalidate(): void {
    this.revision = -1
    this.points = null
    this.aggregate = null
  }
}
