import { describe, expect, it } from 'vitest'
import { type LiveMirror, STATUS_CODES, type LiveSnapshot } from '@gridsight/shared'
import { liveSnapshot, mirrorOf } from '../test-support/live-snapshot.ts'
import {
  DISPUTE_COLORS,
  DISPUTE_POINTS_ZOOM,
  DISPUTES_ESCALATED_ID,
  DISPUTES_LAYER_ID,
  DisputesLayers,
  FINISHED_SHOWN_MS,
  disputePointsAt,
  isDrawn,
  isFinished,
} from './disputes-layer.ts'
import { CAMERA_AGG_ZOOM } from './cameras-layer.ts'
import { hoverTarget } from './hover.ts'

const code = (s: (typeof STATUS_CODES.disputes)[number]) => STATUS_CODES.disputes.indexOf(s)
const DAY = 86_400_000
const NOW = Date.UTC(2026, 10, 22, 4, 0, 0)

/**
 * d1 escalated (10 d old), d2 mediating, d3 resolved 40 d ago (aged out), d4 resolved 2 d ago,
 * d5 accepted 90 d ago (open: drawn whatever its age), d6 unresolved with no acceptance time
 */
function snapshot(): LiveSnapshot {
  const days = [10, 1, 40, 2, 90, 0]
  return liveSnapshot(
    {
      disputes: {
        ids: ['d1', 'd2', 'd3', 'd4', 'd5', 'd6'],
        dict: ['邻里纠纷', '物业纠纷'],
        pos: new Float32Array([120.1, 30.1, 120.2, 30.2, 120.3, 30.3, 120.4, 30.4, 120.5, 30.5, 120.6, 30.6]).buffer,
        status: new Uint8Array([
          code('escalated'),
          code('mediating'),
          code('resolved'),
          code('resolved'),
          code('accepted'),
          code('unresolved'),
        ]).buffer,
        attr: new Uint16Array([0, 1, 0, 0, 1, 0]).buffer,
        at: new Uint32Array(days.map((d, i) => (i === 5 ? 0 : (NOW - d * DAY) / 1000))).buffer,
      },
    },
    { ts: NOW },
  )
}

const mirror = (): LiveMirror => mirrorOf(snapshot())

type Attrs = Record<string, { value: ArrayLike<number>; size: number }>
const attrsOf = (l: Layer | undefined) => (l!.props as unknown as { data: { length: number; attributes: Attrs } }).data
type Layer = ReturnType<DisputesLayers['layers']>[number]

describe('dispute styling', () => {
  it('gives every status its own colour: escalated red and opaque, finished ones faded', () => {
    expect(DISPUTE_COLORS).toHaveLength(STATUS_CODES.disputes.length)
    expect(new Set(DISPUTE_COLORS.map((c) => c.join()))).toHaveProperty('size', DISPUTE_COLORS.length)
    expect(DISPUTE_COLORS[code('escalated')]).toEqual([255, 77, 79, 255])
    for (const s of ['resolved', 'unresolved'] as const) {
      expect(DISPUTE_COLORS[code(s)]![3]).toBeLessThan(200)
      expect(isFinished(code(s))).toBe(true)
    }
    for (const s of ['accepted', 'assigned', 'mediating', 'escalated'] as const) {
      expect(DISPUTE_COLORS[code(s)]![3]).toBe(255)
      expect(isFinished(code(s))).toBe(false)
    }
  })

  it('draws open disputes at any age, finished ones while the 30-day figures count them', () => {
    expect(isDrawn(code('accepted'), NOW - 400 * DAY, NOW)).toBe(true)
    expect(isDrawn(code('resolved'), NOW - FINISHED_SHOWN_MS, NOW)).toBe(true)
    expect(isDrawn(code('resolved'), NOW - FINISHED_SHOWN_MS - 1, NOW)).toBe(false)
    expect(isDrawn(code('unresolved'), Number.NaN, NOW)).toBe(true)
  })

  it('switches to points above the district view, as the cameras do (higher: the heat reads there)', () => {
    expect(DISPUTE_POINTS_ZOOM).toBeGreaterThan(CAMERA_AGG_ZOOM)
    expect(disputePointsAt(10.8)).toBe(false)
    expect(disputePointsAt(DISPUTE_POINTS_ZOOM)).toBe(true)
    expect(disputePointsAt(16.5)).toBe(true)
    // a 4K wall (symbols ×2) shows the district at about 12, and switches one zoom step later
    expect(disputePointsAt(12, 2)).toBe(false)
    expect(disputePointsAt(DISPUTE_POINTS_ZOOM + 1, 2)).toBe(true)
    expect(disputePointsAt(DISPUTE_POINTS_ZOOM, 0)).toBe(true)
  })
})

describe('DisputesLayers', () => {
  it('packs finished first, open over them, escalated on top, and maps drawn indexes back to rows', () => {
    const layers = new DisputesLayers()
    expect(layers.update(mirror(), NOW)).toBe(true)
    // d3 aged out; d4, d6 finished; d2, d5 open; d1 escalated
    expect(layers.count).toBe(5)
    expect([0, 1, 2, 3, 4].map((k) => layers.rowAt(k))).toEqual([3, 5, 1, 4, 0])
    expect(layers.rowAt(5)).toBe(-1)
    expect(layers.rowAt(-1)).toBe(-1)
    expect(layers.escalatedCount).toBe(1)
  })

  it('repacks only when the table changed, or when forced (finished disputes age out with time)', () => {
    const m = mirror()
    const layers = new DisputesLayers()
    layers.update(m, NOW)
    expect(layers.update(m, NOW)).toBe(false)
    // 29 days on, d4 (resolved 2 d ago) has aged out too, but only a forced update sees it
    expect(layers.update(m, NOW + 29 * DAY)).toBe(false)
    expect(layers.count).toBe(5)
    expect(layers.update(m, NOW + 29 * DAY, true)).toBe(true)
    expect(layers.count).toBe(4)
    // a delta: d2 is escalated too
    const applied = m.applyDelta({
      epoch: 'e1',
      scope: '330402',
      seq: 1,
      ts: NOW + 1000,
      tables: {
        disputes: {
          added: [],
          dictAdded: [],
          idx: new Uint32Array([1]).buffer,
          pos: new Float32Array([120.2, 30.2]).buffer,
          status: new Uint8Array([code('escalated')]).buffer,
          attr: new Uint16Array([1]).buffer,
          at: new Uint32Array([(NOW - DAY) / 1000]).buffer,
        },
      },
    })
    expect(applied).toBe('applied')
    expect(layers.update(m, NOW)).toBe(true)
    expect(layers.escalatedCount).toBe(2)
  })

  it("draws only the legend's category when one is picked, and repacks when it changes", () => {
    const m = mirror()
    const layers = new DisputesLayers()
    layers.update(m, NOW, false, '物业纠纷')
    // d2 (mediating) and d5 (accepted) are 物业纠纷; the others 邻里纠纷
    expect([...layers.rows.subarray(0, layers.count)]).toEqual([1, 4])
    expect(layers.escalatedCount).toBe(0)
    expect(layers.layers(14, 1).map((l) => l.id)).toEqual([DISPUTES_LAYER_ID])
    expect(attrsOf(layers.layers(14, 1)[0]).length).toBe(2)
    // same table, same category: nothing to do; another category: repacked without a delta
    expect(layers.update(m, NOW, false, '物业纠纷')).toBe(false)
    expect(layers.update(m, NOW, false, '邻里纠纷')).toBe(true)
    expect([...layers.rows.subarray(0, layers.count)]).toEqual([3, 5, 0])
    expect(attrsOf(layers.layers(14, 1)[1]).length).toBe(3)
    // a category with no dispute draws none; back to all draws all five again
    expect(layers.update(m, NOW, false, '其他')).toBe(true)
    expect(layers.count).toBe(0)
    expect(layers.update(m, NOW, false, null)).toBe(true)
    expect(layers.count).toBe(5)
  })

  it('draws nothing below the points zoom; above it binary attributes, a halo per escalated dispute', () => {
    const layers = new DisputesLayers()
    layers.update(mirror(), NOW)
    expect(layers.layers(DISPUTE_POINTS_ZOOM - 0.01, 1)).toEqual([])
    expect(layers.layers(DISPUTE_POINTS_ZOOM + 0.5, 2)).toEqual([])
    const drawn = layers.layers(DISPUTE_POINTS_ZOOM, 1)
    expect(drawn.map((l) => l.id)).toEqual([DISPUTES_ESCALATED_ID, DISPUTES_LAYER_ID])
    const dots = attrsOf(drawn[1])
    expect(dots.length).toBe(5)
    expect(dots.attributes.getPosition!.value).toBeInstanceOf(Float32Array)
    expect(dots.attributes.getPosition!.value.length).toBe(10)
    expect(dots.attributes.getFillColor!.value).toBeInstanceOf(Uint8Array)
    // the top-most dot is d1, escalated: red and the largest
    expect(Array.from(dots.attributes.getFillColor!.value).slice(16, 20)).toEqual([255, 77, 79, 255])
    const radii = Array.from(dots.attributes.getRadius!.value)
    expect(radii[4]).toBe(Math.max(...radii))
    expect(radii[0]).toBe(Math.min(...radii))
    expect(drawn[1]!.props.pickable).toBe(true)
    const halo = attrsOf(drawn[0])
    expect(halo.length).toBe(1)
    expect(Array.from(halo.attributes.getPosition!.value).map((x) => +x.toFixed(1))).toEqual([120.1, 30.1])
    expect(drawn[0]!.props.pickable).toBe(false)
  })

  it('hands out the same descriptors frame after frame, new ones only after an update or a new scale', () => {
    const m = mirror()
    const layers = new DisputesLayers()
    layers.update(m, NOW)
    const first = layers.layers(14, 1)
    expect(layers.layers(14, 1)).toBe(first)
    expect(layers.layers(15, 1)[1]).toBe(first[1])
    layers.update(m, NOW, true)
    const second = layers.layers(14, 1)
    expect(second).not.toBe(first)
    // the deck.gl attributes are told to reload by their trigger
    const trigger = (l: Layer) => (l.props.updateTriggers as Record<string, unknown>).getFillColor
    expect(trigger(second[1]!)).not.toBe(trigger(first[1]!))
    layers.invalidate()
    const scaled = layers.layers(14, 2)
    expect(scaled).not.toBe(second)
    expect((scaled[1]!.props as unknown as { radiusScale: number }).radiusScale).toBe(2)
  })

  it('leaves the halo out when nothing is escalated', () => {
    const s = snapshot()
    s.tables.disputes.status = new Uint8Array([1, 2, 3, 3, 0, 4]).buffer
    const m = mirrorOf(s)
    const layers = new DisputesLayers()
    layers.update(m, NOW)
    expect(layers.layers(14, 1).map((l) => l.id)).toEqual([DISPUTES_LAYER_ID])
  })

  it('resolves a hover over a drawn dispute to the dispute, its status and category', () => {
    const m = mirror()
    const layers = new DisputesLayers()
    layers.update(m, NOW)
    expect(hoverTarget(m, DISPUTES_LAYER_ID, layers.rowAt(4), 7, 8)).toEqual({
      kind: 'disputes',
      id: 'd1',
      status: 'escalated',
      attr: '邻里纠纷',
      x: 7,
      y: 8,
    })
    expect(hoverTarget(m, DISPUTES_ESCALATED_ID, 0, 0, 0)).toBeNull()
  })
})
