import { describe, expect, it } from 'vitest'
import { LiveHub } from '../live/live-hub.ts'
import type { StoredChange } from '../db/index.ts'
import { KpiEngine } from './engine.ts'
import { KpiLiveSource } from './live-source.ts'
import { testConfig, testUnits } from './test-fixtures.ts'
import { UnitTree } from './unit-tree.ts'

const member = (id: string, gridCode: string, ts: number, lon = 0): { change: StoredChange } => ({
  change: {
    kind: 'member',
    row: {
      id,
      name: null,
      role: null,
      onDuty: true,
      gridCode,
      lon,
      lat: 0,
      accuracy: null,
      speed: null,
      heading: null,
      ts,
    },
  },
})

describe('KPIs on the live hub', () => {
  it('sends only units whose values changed, within each stream’s scope, once per tick', () => {
    const tree = new UnitTree(testUnits())
    const engine = new KpiEngine(tree, testConfig(), { urbanPerKm2: 70, ruralPerKm2: 8 })
    const t0 = Date.parse('2026-03-02T09:00:00+08:00')
    engine.rebuild({ cameras: [], members: [], cases: [], disputes: [] }, { cases: new Map(), disputes: new Map() }, t0)
    const hub = new LiveHub('330402')
    hub.kpiSource = new KpiLiveSource(engine)
    const street = hub.stream('330402002')
    const other = hub.stream('330402001')
    expect(Object.keys(street.snapshot(t0).kpis!.units)).toHaveLength(1 + 1 + 3 + 12)

    engine.apply([member('m1', '330402002003004', t0)], t0)
    const d1 = hub.root.cutDelta(t0 + 500)!
    expect(Object.keys(d1.kpis!.units).sort()).toEqual(['330402', '330402002', '330402002003', '330402002003004'])
    expect(Object.keys(street.cutDelta(t0 + 500)!.kpis!.units)).toHaveLength(4)
    // the other street's stream only sees the district changing
    expect(Object.keys(other.cutDelta(t0 + 500)!.kpis!.units)).toEqual(['330402'])

    // a move within the grid changes no figure: no delta at all
    engine.apply([member('m1', '330402002003004', t0 + 1000, 1)], t0 + 1000)
    expect(hub.root.cutDelta(t0 + 1000)).toBeNull()

    // time alone: the member goes silent after 10 minutes, sent on the tick
    const d2 = hub.root.cutDelta(t0 + 11 * 60_000)!
    expect(d2.tables).toEqual({})
    expect(Object.keys(d2.kpis!.units)).toHaveLength(4)
  })
})
