import { IconLayer, LineLayer, ScatterplotLayer } from '@deck.gl/layers'
import type { Layer } from '@deck.gl/core'
import { STATUS_CODES, type LiveMirror } from '@gridsight/shared'
import { statusPainter, type Rgba } from './status-colors.ts'
import { TrailBuffer } from './trail-buffer.ts'
import { ICON_MAPPING, iconAtlas } from './icon-atlas.ts'

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

export const MEMBER_TRAILS_ID = 'member-trails'
export const MEMBER_HEADING_ID = 'member-heading'

/**
 * What the members' dots do not show by themselves: where each member has just
 * been (a trail of its last TRAIL_LENGTH positions, fading with age, in its
 * status colour so off-duty trails stay grey) and which way it is heading (a
 * chevron ahead of the dot, from the last two positions: the stream carries no
 * heading). Fed on every change of the members table; all attributes live in
 * buffers reused between updates.
 */
export class MemberMotion {
  readonly trails = new TrailBuffer()
  private key = ''
  private revision = -1
  private version = 0
  private source = new Float32Array(0)
  private target = new Float32Array(0)
  private age = new Float32Array(0)
  private segRows = new Uint32Array(0)
  private segColors = new Uint8Array(0)
  private segments = 0
  private headPos = new Float32Array(0)
  private headAngle = new Float32Array(0)
  private headColors = new Uint8Array(0)
  private headings = 0
  private trailLayer: Layer | null = null
  private headingLayer: Layer | null = null

  /** Records the members' new positions; false when the table did not change. */
  update(mirror: LiveMirror): boolean {
    const t = mirror.tables.members
    if (t.revision === this.revision) return false
    this.revision = t.revision
    const key = `${mirror.epoch}/${mirror.scope}`
    if (key !== this.key) {
      // another stream: its rows are other members
      this.trails.reset()
      this.key = key
    }
    const n = t.count
    for (let i = 0; i < n; i++) this.trails.push(i, t.pos[2 * i]!, t.pos[2 * i + 1]!)
    const colors = paint(t)

    const max = this.trails.maxSegments(n)
    if (this.source.length < max * 2) {
      const cap = Math.max(max, this.segRows.length * 2)
      this.source = new Float32Array(cap * 2)
      this.target = new Float32Array(cap * 2)
      this.age = new Float32Array(cap)
      this.segRows = new Uint32Array(cap)
      this.segColors = new Uint8Array(cap * 4)
    }
    const s = this.trails.segments(this.source, this.target, this.age, undefined, this.segRows)
    for (let k = 0; k < s; k++) {
      const o = this.segRows[k]! * 4
      const c = k * 4
      this.segColors[c] = colors[o]!
      this.segColors[c + 1] = colors[o + 1]!
      this.segColors[c + 2] = colors[o + 2]!
      this.segColors[c + 3] = Math.round(colors[o + 3]! * 0.75 * (1 - 0.8 * this.age[k]!))
    }
    this.segments = s

    if (this.headAngle.length < n) {
      const cap = Math.max(n, this.headAngle.length * 2)
      this.headPos = new Float32Array(cap * 2)
      this.headAngle = new Float32Array(cap)
      this.headColors = new Uint8Array(cap * 4)
    }
    let h = 0
    for (let i = 0; i < n; i++) {
      const deg = this.trails.heading(i)
      if (Number.isNaN(deg)) continue
      this.headPos[2 * h] = t.pos[2 * i]!
      this.headPos[2 * h + 1] = t.pos[2 * i + 1]!
      // deck.gl turns icons counter-clockwise; a heading turns clockwise from north
      this.headAngle[h] = -deg
      this.headColors.set(colors.subarray(i * 4, i * 4 + 4), h * 4)
      h++
    }
    this.headings = h
    this.version++
    this.trailLayer = null
    this.headingLayer = null
    return true
  }

  /** The trails (under the dots) and the heading chevrons, as of the last update. */
  layers(symbolScale: number, withTrails: boolean): { trails: Layer | null; heading: Layer | null } {
    const v = this.version
    if (withTrails && this.segments > 0) {
      const s = this.segments
      this.trailLayer ??= new LineLayer({
        id: MEMBER_TRAILS_ID,
        data: {
          length: s,
          attributes: {
            getSourcePosition: { value: this.source.subarray(0, s * 2), size: 2 },
            getTargetPosition: { value: this.target.subarray(0, s * 2), size: 2 },
            getColor: { value: this.segColors.subarray(0, s * 4), size: 4, normalized: true },
          },
        },
        widthUnits: 'pixels',
        getWidth: 2,
        widthScale: symbolScale,
        pickable: false,
        updateTriggers: { getSourcePosition: v, getTargetPosition: v, getColor: v },
      })
    }
    if (this.headings > 0) {
      const h = this.headings
      this.headingLayer ??= new IconLayer({
        id: MEMBER_HEADING_ID,
        data: {
          length: h,
          attributes: {
            getPosition: { value: this.headPos.subarray(0, h * 2), size: 2 },
            getAngle: { value: this.headAngle.subarray(0, h), size: 1 },
            getColor: { value: this.headColors.subarray(0, h * 4), size: 4, normalized: true },
          },
        },
        iconAtlas: (iconAtlas() ?? undefined) as never,
        iconMapping: ICON_MAPPING,
        getIcon: () => 'heading',
        sizeUnits: 'pixels',
        getSize: 26,
        sizeScale: symbolScale,
        pickable: false,
        updateTriggers: { getPosition: v, getAngle: v, getColor: v },
      })
    }
    return {
      trails: withTrails && this.segments > 0 ? this.trailLayer : null,
      heading: this.headings > 0 ? this.headingLayer : null,
    }
  }

  /** New layer descriptors on the next frame (wall scale changed). */
  invalidate(): void {
    this.trailLayer = null
    this.headingLayer = null
  }
}
