import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { nextTick } from 'vue'
import { defaultScenes, parseScenes, resolveInterval, sceneLayers, useCarouselStore } from './carousel.ts'
import { useScopeStore, type ScopeUnit } from './scope.ts'
import { useMapFocusStore } from './map-focus.ts'
import { defaultLayerState, useLayersStore } from './layers.ts'

const unit = (code: string, level: ScopeUnit['level'], parent: string | null): ScopeUnit => ({
  code,
  name: `u${code}`,
  level,
  parent,
  urban: true,
  areaKm2: 1,
  bbox: [Number(code.slice(-1)), 0, 1, 1],
})
const UNITS = [
  unit('330402', 'district', null),
  unit('330402001', 'street', '330402'),
  unit('330402002', 'street', '330402'),
  unit('330402003', 'street', '330402'),
  unit('330402004', 'street', '330402'),
  unit('330402001001', 'community', '330402001'),
]
const OPEN: Record<string, number> = { '330402001': 5, '330402002': 40, '330402003': 12, '330402004': 30 }

describe('carousel helpers', () => {
  it('takes ?carousel= over the stored setting and clamps it', () => {
    expect(resolveInterval('?carousel=20', '60')).toBe(20)
    expect(resolveInterval('', '60')).toBe(60)
    expect(resolveInterval('?carousel=0', '60')).toBe(0)
    expect(resolveInterval('?carousel=off', null)).toBe(0)
    expect(resolveInterval('?carousel=1', null)).toBe(2)
    expect(resolveInterval('?carousel=abc', null)).toBeNull()
    expect(resolveInterval('', null)).toBeNull()
  })

  it('plays the district, then the three streets with the most open cases', () => {
    const scenes = defaultScenes(UNITS, (c) => OPEN[c])
    expect(scenes.map((s) => s.scope)).toEqual(['330402', '330402002', '330402004', '330402003'])
    expect(scenes[1]).toMatchObject({ layers: { choropleth: 'openCases' }, panelMetric: 'overdue' })
  })

  it('reads a hand-written playlist and names each bad scene', () => {
    const { scenes, errors } = parseScenes(
      JSON.stringify([
        { scope: '330402001', bbox: [120, 30, 121, 31], panelMetric: 'onlineRate', layers: { choropleth: 'disputes' } },
        { scope: '330402', center: [120.7, 30.7], zoom: 12 },
        { scope: 'x', bbox: [1, 2] },
        { scope: '330402', panelMetric: 'nope' },
      ]),
    )
    expect(scenes).toHaveLength(2)
    expect(scenes[0]!.view).toEqual({ kind: 'bbox', bbox: [120, 30, 121, 31] })
    expect(scenes[1]!.view).toEqual({ kind: 'point', lon: 120.7, lat: 30.7, zoom: 12 })
    expect(errors).toEqual([
      'scene 2: scope must be a unit code; bbox must be [west, south, east, north]',
      'scene 3: panelMetric must be one of compliance, onlineRate, overdue, resolution',
    ])
    expect(parseScenes('{').errors[0]).toMatch(/not valid JSON/)
    expect(parseScenes('{}').errors).toEqual(['playlist must be a JSON array of scenes'])
  })
})

describe('carousel store', () => {
  beforeEach(() => {
    vi.useFakeTimers()
    setActivePinia(createPinia())
    useScopeStore().load(UNITS)
  })
  afterEach(() => vi.useRealTimers())

  async function advance(ms: number): Promise<void> {
    await vi.advanceTimersByTimeAsync(ms)
    await nextTick()
  }

  it('applies each scene (scope, map focus, layers, panel metric) and advances every interval', async () => {
    const c = useCarouselStore()
    const scope = useScopeStore()
    const focus = useMapFocusStore()
    c.setScenes(defaultScenes(UNITS, (code) => OPEN[code]))
    expect(c.index).toBe(-1) // off until an interval is set
    c.setSeconds(10)
    await nextTick()
    expect(c.index).toBe(0)
    expect(scope.code).toBe('330402')
    expect(focus.request).toMatchObject({ reason: 'scene', target: { kind: 'bbox', bbox: [2, 0, 1, 1] } })

    await advance(9_000)
    expect(c.index).toBe(0)
    await advance(1_000)
    expect(c.index).toBe(1)
    expect(scope.code).toBe('330402002')
    expect(useLayersStore().choropleth).toBe('openCases')
    expect(c.panelMetric).toBe('overdue')

    await advance(30_000)
    expect(c.index).toBe(0) // wrapped round
  })

  it('does not advance while paused or while any hold is on, and gives the scene a full interval after', async () => {
    const c = useCarouselStore()
    c.setScenes(defaultScenes(UNITS, (code) => OPEN[code]))
    c.setSeconds(10)
    await nextTick()
    c.pause()
    await advance(60_000)
    expect(c.index).toBe(0)
    c.resume()
    c.hold('alert')
    c.hold('presenter')
    await advance(60_000)
    expect(c.index).toBe(0)
    expect(c.held).toBe(true)
    c.release('alert')
    c.release('unknown')
    await advance(60_000)
    expect(c.index).toBe(0) // still held by 'presenter'
    c.release('presenter')
    await advance(9_999)
    expect(c.index).toBe(0)
    await advance(1)
    expect(c.index).toBe(1)
  })

  it('gives each scene its own layer set and metric, whatever the scene before or the legend left on', () => {
    const c = useCarouselStore()
    const layers = useLayersStore()
    c.setScenes([
      {
        scope: '330402',
        layers: { choropleth: 'disputes', visible: { disputeHeat: true, members: false }, heatWindow: '30d' },
        panelMetric: 'resolution',
      },
      { scope: '330402001', layers: { choropleth: 'onlineRate' }, panelMetric: 'onlineRate' },
      { scope: '330402002' },
    ])
    // someone switched layers in the legend before the tour
    layers.apply({ visible: { cameras: false, cameraHex: true }, disputeCategory: '邻里纠纷' })

    c.next()
    expect(layers.snapshot()).toEqual(sceneLayers(c.scenes[0]!))
    expect(layers.visible).toMatchObject({ disputeHeat: true, members: false, cameras: true, cameraHex: false })
    expect(layers.disputeCategory).toBeNull()
    expect(c.panelMetric).toBe('resolution')

    c.next()
    // the heatmap and the members are as on a fresh screen again: the second scene does not name them
    expect(layers.snapshot()).toEqual({ ...defaultLayerState(), choropleth: 'onlineRate' })
    expect(c.panelMetric).toBe('onlineRate')

    c.next()
    // a scene without layers or metric shows the default set and figure
    expect(layers.snapshot()).toEqual(defaultLayerState())
    expect(c.panelMetric).toBe('compliance')

    layers.apply({ visible: { cases: false } })
    c.next() // round again: the first scene exactly as the first time
    expect(layers.snapshot()).toEqual(sceneLayers(c.scenes[0]!))
    expect(c.panelMetric).toBe('resolution')
  })

  it('steps by hand both ways, even when stopped', async () => {
    const c = useCarouselStore()
    c.setScenes(defaultScenes(UNITS, (code) => OPEN[code]))
    c.prev()
    expect(c.index).toBe(0)
    c.prev()
    expect(c.index).toBe(3)
    c.next()
    expect(c.index).toBe(0)
    await advance(120_000)
    expect(c.index).toBe(0)
  })
})
