import { ScatterplotLayer } from '@deck.gl/layers'
import type { Layer } from '@deck.gl/core'
import { STATUS_CODES, type LiveMirror } from '@gridsight/shared'
import { stage, type Rgba } from './status-colors.ts'
import { designZoom } from './design-zoom.ts'

export const DISPUTES_LAYER_ID = 'disputes'
export const DISPUTES_ESCALATED_ID = 'disputes-escalated'

/**
 * From this zoom on, disputes are drawn one by one, and the heatmap (when on) gives way to them,
 * as the cameras switch from counts per cell to points at CAMERA_AGG_ZOOM. On a 1080p wall the
 * district fits at about 11 (the heat reads best there), a street drilled into at 11.8–14.1 and a
 * community at 13.1–16.3: there a few dozen disputes are better counted than smeared.
 */
export const DISPUTE_POINTS_ZOOM = 11.5

/**
 * Whether disputes are drawn as points at this zoom. The zoom counts as on the 1920×1080 design
 * canvas: a larger wall shows more of the map at a zoom, and scales the dots and the heat's radius
 * by its `symbolScale`, so it switches at the same view of the region (a 4K wall fits the district
 * at about 12, where the heat still reads as on a 1080p one at 11).
 */
export function disputePointsAt(zoom: number, symbolScale = 1): boolean {
  return designZoom(zoom, symbolScale) >= DISPUTE_POINTS_ZOOM
}

/**
 * A finished dispute (resolved or unresolved) stays on the map as long as the 30-day figures
 * count it: 30 days from its acceptance. Open disputes stay whatever their age (the backlog).
 */
export const FINISHED_SHOWN_MS = 30 * 86_400_000

const S = STATUS_CODES.disputes
const RESOLVED = S.indexOf('resolved')
const UNRESOLVED = S.indexOf('unresolved')
const ESCALATED = S.indexOf('escalated')

/** Whether a status code ends the dispute (resolved, unresolved). */
export function isFinished(status: number): boolean {
  return status === RESOLVED || status === UNRESOLVED
}

/**
 * RGBA by dispute status code, in the cases' vocabulary (waiting amber, assigned blue, in hand
 * violet, done green): escalated (督办) red and opaque, finished ones faded.
 */
export const DISPUTE_COLORS: readonly Rgba[] = S.map((s): Rgba => {
  switch (s) {
    case 'accepted':
      return stage('waiting')
    case 'assigned':
      return stage('assigned')
    case 'mediating':
      return stage('inHand')
    case 'resolved':
      return stage('done', 130)
    case 'unresolved':
      return [150, 160, 176, 150]
    default:
      return stage('alarm')
  }
})
/** the red of the halo around escalated disputes */
export const ESCALATED_COLOR: Rgba = stage('alarm')
/** outline: light around open disputes (they read as pins over the fill), dark around finished ones */
const OPEN_LINE: Rgba = [236, 244, 255, 235]
const FINISHED_LINE: Rgba = [5, 13, 26, 200]
/** dot radius in pixels (× wall scale): escalated largest, finished smallest */
const RADIUS_OPEN = 6
const RADIUS_ESCALATED = 8
const RADIUS_FINISHED = 4
const RADIUS_HALO = 14

/**
 * Whether a dispute is drawn: open ones always; finished ones while FINISHED_SHOWN_MS has not
 * passed since their acceptance (epoch ms; NaN, not known: drawn).
 */
export function isDrawn(status: number, acceptedMs: number, nowMs: number): boolean {
  return !isFinished(status) || !(nowMs - acceptedMs > FINISHED_SHOWN_MS)
}

const grownF32 = (a: Float32Array<ArrayBuffer>, n: number) =>
  a.length >= n ? a : new Float32Array(Math.max(n, a.length * 2))
const grownU8 = (a: Uint8Array<ArrayBuffer>, n: number) =>
  a.length >= n ? a : new Uint8Array(Math.max(n, a.length * 2))
const grownU32 = (a: Uint32Array<ArrayBuffer>, n: number) =>
  a.length >= n ? a : new Uint32Array(Math.max(n, a.length * 2))

/** draw order: finished underneath, open over them, escalated on top (and first to be picked) */
const PASSES = [0, 1, 2] as const
const passOf = (status: number): 0 | 1 | 2 => (isFinished(status) ? 0 : status === ESCALATED ? 2 : 1)

/**
 * Disputes as points at street and community zoom (DISPUTE_POINTS_ZOOM), from the mirror's
 * columns: a dot per dispute coloured by status, escalated ones larger, on top, inside a red
 * halo; finished ones small and faded, and only while the 30-day figures count them; only the
 * disputes of the category picked in the legend (the heatmap's filter, one state for both), when
 * one is. Attributes are packed into buffers reused between updates and only repacked when the
 * disputes table or the category changed (or with `force`: finished disputes age out with time);
 * the layer descriptors are kept until then, so a frame allocates nothing. Picked indexes map back
 * to mirror rows (rowAt).
 */
export class DisputesLayers {
  /** the mirror row of each drawn dispute (picking index → row) */
  rows = new Uint32Array(0)
  count = 0
  escalatedCount = 0
  private pos = new Float32Array(0)
  private fill = new Uint8Array(0)
  private line = new Uint8Array(0)
  private radius = new Float32Array(0)
  private haloPos = new Float32Array(0)
  private revision = -1
  private category: string | null = null
  private version = 0
  private layersCache: Layer[] | null = null

  /**
   * Repacks when the disputes table or the category (null: all) changed, or always with `force`;
   * returns whether it did.
   */
  update(mirror: LiveMirror, nowMs: number, force = false, category: string | null = null): boolean {
    const t = mirror.tables.disputes
    if (!force && t.revision === this.revision && category === this.category) return false
    this.revision = t.revision
    this.category = category
    const n = t.count
    this.rows = grownU32(this.rows, n)
    this.pos = grownF32(this.pos, n * 2)
    this.fill = grownU8(this.fill, n * 4)
    this.line = grownU8(this.line, n * 4)
    this.radius = grownF32(this.radius, n)
    this.haloPos = grownF32(this.haloPos, n * 2)
    let m = 0
    let h = 0
    for (const pass of PASSES) {
      for (let i = 0; i < n; i++) {
        const s = t.status[i]!
        if (passOf(s) !== pass || !isDrawn(s, t.at[i]!, nowMs)) continue
        if (category !== null && t.dict[t.attr[i]!] !== category) continue
        const x = t.pos[2 * i]!
        const y = t.pos[2 * i + 1]!
        this.rows[m] = i
        this.pos[2 * m] = x
        this.pos[2 * m + 1] = y
        this.fill.set(DISPUTE_COLORS[s] ?? DISPUTE_COLORS[0]!, m * 4)
        this.line.set(pass === 0 ? FINISHED_LINE : OPEN_LINE, m * 4)
        this.radius[m] = pass === 0 ? RADIUS_FINISHED : pass === 2 ? RADIUS_ESCALATED : RADIUS_OPEN
        if (pass === 2) {
          this.haloPos[2 * h] = x
          this.haloPos[2 * h + 1] = y
          h++
        }
        m++
      }
    }
    this.count = m
    this.escalatedCount = h
    this.version++
    this.layersCache = null
    return true
  }

  /** The mirror row drawn at a picked index of the dots layer, or -1. */
  rowAt(index: number): number {
    return index >= 0 && index < this.count ? this.rows[index]! : -1
  }

  /** The layers at this zoom: none below DISPUTE_POINTS_ZOOM, else the same descriptors until the next update. */
  layers(zoom: number, symbolScale: number): Layer[] {
    if (!disputePointsAt(zoom, symbolScale)) return []
    this.layersCache ??= this.build(symbolScale)
    return this.layersCache
  }

  /** New layer descriptors on the next frame (wall scale changed). */
  invalidate(): void {
    this.layersCache = null
  }

  private build(scale: number): Layer[] {
    const n = this.count
    const v = this.version
    const out: Layer[] = []
    if (this.escalatedCount > 0) {
      const k = this.escalatedCount
      out.push(
        new ScatterplotLayer({
          id: DISPUTES_ESCALATED_ID,
          data: { length: k, attributes: { getPosition: { value: this.haloPos.subarray(0, k * 2), size: 2 } } },
          getFillColor: [ESCALATED_COLOR[0], ESCALATED_COLOR[1], ESCALATED_COLOR[2], 56],
          getLineColor: ESCALATED_COLOR,
          stroked: true,
          lineWidthUnits: 'pixels',
          getLineWidth: 2.5,
          lineWidthScale: scale,
          radiusUnits: 'pixels',
          getRadius: RADIUS_HALO,
          radiusScale: scale,
          pickable: false,
          updateTriggers: { getPosition: v },
        }),
      )
    }
    out.push(
      new ScatterplotLayer({
        id: DISPUTES_LAYER_ID,
        data: {
          length: n,
          attributes: {
            getPosition: { value: this.pos.subarray(0, n * 2), size: 2 },
            getFillColor: { value: this.fill.subarray(0, n * 4), size: 4, normalized: true },
            getLineColor: { value: this.line.subarray(0, n * 4), size: 4, normalized: true },
            getRadius: { value: this.radius.subarray(0, n), size: 1 },
          },
        },
        stroked: true,
        lineWidthUnits: 'pixels',
        getLineWidth: 1.5,
        lineWidthScale: scale,
        radiusUnits: 'pixels',
        radiusScale: scale,
        pickable: true,
        updateTriggers: { getPosition: v, getFillColor: v, getLineColor: v, getRadius: v },
      }),
    )
    return out
  }
}
