import { describe, expect, it } from 'vitest'
import { KPI_FIELDS } from '@gridsight/shared'
import { EntityState } from '../live/entity-state.ts'
import type { KpiConfig } from './config.ts'
import { doneTimesFromEvents, KpiEngine } from './engine.ts'
import { figuresOf, gridsOf, randomStream, sortedEvents, testConfig, testUnits } from './test-fixtures.ts'
import { UnitTree } from './unit-tree.ts'

const STANDARDS = { urbanPerKm2: 70, ruralPerKm2: 8 }

function fullRecompute(
  tree: UnitTree,
  cfg: KpiConfig,
  state: EntityState,
  events: { case: { id: string; status: string; ts: number }[]; dispute: { id: string; status: string; ts: number }[] },
  now: number,
): KpiEngine {
  const e = new KpiEngine(tree, cfg, STANDARDS)
  e.rebuild(
    {
      cameras: state.cameras.values(),
      members: state.members.values(),
      cases: state.cases.values(),
      disputes: state.disputes.values(),
    },
    {
      cases: doneTimesFromEvents('case', sortedEvents(events.case)),
      disputes: doneTimesFromEvents('dispute', sortedEvents(events.dispute)),
    },
    now,
  )
  return e
}

describe('KpiEngine: incremental equals full recompute', () => {
  it('over 100,000 random events (all kinds, moves, late and duplicate updates, 40+ days), at every level', () => {
    const units = testUnits()
    const tree = new UnitTree(units)
    const cfg = testConfig()
    const state = new EntityState()
    const events = { case: [], dispute: [] } as Parameters<typeof fullRecompute>[3]
    const engine = new KpiEngine(tree, cfg, STANDARDS)
    const start = Date.parse('2026-02-09T06:00:00+08:00')
    engine.rebuild(
      { cameras: [], members: [], cases: [], disputes: [] },
      { cases: new Map(), disputes: new Map() },
      start,
    )
    let checks = 0
    const incremental: unknown[] = []
    const recomputed: unknown[] = []
    let steps = 0
    let last = start
    let seen = { overdue: 0, silent: 0, backlogOld: 0, escalated: 0, p90: 0, voids: 0, meeting: 0, yearNew: 0 }
    for (const step of randomStream({
      seed: 6,
      count: 100_000,
      start,
      grids: gridsOf(units),
      otherCodes: ['330402001001', '330402002', '999999999999999'],
      state,
      events,
    })) {
      // the tick: sometimes the clock moves on without changes
      if (steps % 7 === 0) engine.advance(step.now - 5_000)
      engine.apply(step.applied, step.now)
      last = step.now
      if (++steps % 1500 === 0) {
        const full = fullRecompute(tree, cfg, state, events, step.now)
        incremental.push(figuresOf(engine))
        recomputed.push(figuresOf(full))
        checks++
        const root = engine.values(tree.index.get('330402')!)
        const f = (name: string) => root[KPI_FIELDS.indexOf(name as (typeof KPI_FIELDS)[number])]!
        seen = {
          overdue: seen.overdue + f('cases.overdue'),
          silent: seen.silent + f('members.silent'),
          backlogOld: seen.backlogOld + f('disputes.backlogOld'),
          escalated: seen.escalated + f('disputes.escalated.30d'),
          p90: seen.p90 + (f('cases.p90HandlingMin.7d') || 0),
          voids: seen.voids + f('members.voidGrids'),
          meeting: seen.meeting + f('cameras.gridsMeeting'),
          yearNew: seen.yearNew + f('cases.new.year'),
        }
      }
    }
    // a quiet day later: deadlines fire and windows roll without any change
    const later = last + 36 * 3_600_000
    engine.advance(later)
    expect(figuresOf(engine)).toEqual(figuresOf(fullRecompute(tree, cfg, state, events, later)))
    expect(incremental).toEqual(recomputed)
    expect(checks).toBeGreaterThan(10)
    // the figures exercised every mechanism, not just zeros
    expect(Object.entries(seen).filter(([, v]) => !(v > 0))).toEqual([])
    expect(last - start).toBeGreaterThan(30 * 86_400_000)
  })
})

describe('KpiEngine figures', () => {
  const units = testUnits()
  const tree = new UnitTree(units)
  const t0 = Date.parse('2026-03-02T09:00:00+08:00') // a Monday
  const at = (e: KpiEngine, code: string, field: (typeof KPI_FIELDS)[number]) => {
    const v = e.values(tree.index.get(code)!)[KPI_FIELDS.indexOf(field)]!
    return Number.isNaN(v) ? null : v
  }
  const cam = (id: string, gridCode: string, status: 'online' | 'offline' | 'fault', ts = t0) => ({
    change: {
      kind: 'camera' as const,
      row: { id, name: null, kind: 'public' as const, lon: 0, lat: 0, gridCode, status, ts },
      statusChanged: true,
    },
  })
  const kase = (id: string, status: string, reportedAt: number, ts: number, type = '环境卫生') => ({
    change: {
      kind: 'case' as const,
      row: {
        id,
        type,
        status,
        priority: null,
        title: null,
        source: null,
        assignee: null,
        lon: 0,
        lat: 0,
        gridCode: '330402001001001',
        reportedAt,
        ts,
      },
      statusChanged: true,
    },
  })

  it('camera density against the urban/rural standard, rolled up with grids meeting it', () => {
    const e = new KpiEngine(tree, testConfig(), STANDARDS)
    e.rebuild({ cameras: [], members: [], cases: [], disputes: [] }, { cases: new Map(), disputes: new Map() }, t0)
    // grid 330402001001001: area 0.05 + 0.05 × (3 % 4) = 0.2 km², urban → needs 14 cameras
    const g = '330402001001001'
    const batch = Array.from({ length: 14 }, (_, k) =>
      cam(`c${k}`, g, k < 10 ? 'online' : k < 13 ? 'offline' : 'fault'),
    )
    e.apply(batch, t0)
    expect(at(e, g, 'cameras.density')).toBeCloseTo(70)
    expect(at(e, g, 'cameras.onlineDensity')).toBeCloseTo(50)
    expect(at(e, g, 'cameras.standard')).toBe(70)
    expect(at(e, g, 'cameras.belowStandard')).toBe(0)
    expect(at(e, g, 'cameras.onlineRate')).toBeCloseTo(10 / 14)
    expect(at(e, g, 'cameras.gridsMeeting')).toBe(1)
    expect(at(e, '330402', 'cameras.gridsMeeting')).toBe(1)
    expect(at(e, '330402', 'cameras.grids')).toBe(36)
    expect(at(e, '330402', 'cameras.total')).toBe(14)
    // one camera goes to another grid: the first grid falls below the standard
    e.apply([cam('c0', '330402001001002', 'online', t0 + 1000)], t0 + 1000)
    expect(at(e, g, 'cameras.belowStandard')).toBe(1)
    expect(at(e, '330402', 'cameras.gridsMeeting')).toBe(0)
    expect(at(e, '330402001', 'cameras.total')).toBe(14)
    // street 3 is rural (8/km²)
    expect(at(e, '330402003', 'cameras.standard')).toBe(8)
  })

  it('dispatch overdue after 30 minutes and resolve overdue after 1.5 working days, on the tick', () => {
    const e = new KpiEngine(tree, testConfig(), STANDARDS)
    e.rebuild({ cameras: [], members: [], cases: [], disputes: [] }, { cases: new Map(), disputes: new Map() }, t0)
    e.apply([kase('a', 'reported', t0, t0), kase('b', 'reported', t0, t0, '消防隐患')], t0)
    expect(at(e, '330402', 'cases.overdueDispatch')).toBe(0)
    e.advance(t0 + 10 * 60_000) // 消防隐患: 10 minutes in this config
    expect(at(e, '330402', 'cases.overdueDispatch')).toBe(1)
    e.advance(t0 + 30 * 60_000)
    expect(at(e, '330402', 'cases.overdueDispatch')).toBe(2)
    e.apply([kase('a', 'dispatched', t0, t0 + 31 * 60_000)], t0 + 31 * 60_000)
    expect(at(e, '330402', 'cases.overdueDispatch')).toBe(1)
    // 1.5 working days from Monday 09:00 = Tuesday 21:00
    e.advance(Date.parse('2026-03-03T20:59:00+08:00'))
    expect(at(e, '330402', 'cases.overdueResolve')).toBe(1) // b: 0.5 working days → Monday 21:00
    e.advance(Date.parse('2026-03-03T21:00:00+08:00'))
    expect(at(e, '330402', 'cases.overdueResolve')).toBe(2)
    expect(at(e, '330402', 'cases.overdue')).toBe(2)
  })

  it('tells the live stream each case’s overdue bits as they change: by time alone, by a change, none in a rebuild', () => {
    const e = new KpiEngine(tree, testConfig(), STANDARDS)
    const told: [string, number][] = []
    e.onCaseFlags = (id, flags) => told.push([id, flags])
    const late = kase('late', 'reported', t0 - 3 * 86_400_000, t0 - 3 * 86_400_000)
    e.rebuild(
      { cameras: [], members: [], cases: [late.change.row], disputes: [] },
      { cases: new Map(), disputes: new Map() },
      t0,
    )
    // a rebuild tells nothing: the plugin reads them all at once
    expect(told).toEqual([])
    expect([...e.overdueCases()]).toEqual([['late', 3]])
    e.apply([kase('a', 'reported', t0, t0)], t0)
    expect(told).toEqual([])
    e.advance(t0 + 30 * 60_000)
    expect(told).toEqual([['a', 1]])
    e.apply([kase('a', 'dispatched', t0, t0 + 31 * 60_000)], t0 + 31 * 60_000)
    expect(told.at(-1)).toEqual(['a', 0])
    // 1.5 working days from Monday 09:00 = Tuesday 21:00, with no change on the way
    e.advance(Date.parse('2026-03-03T21:00:00+08:00'))
    expect(told.at(-1)).toEqual(['a', 2])
    const n = told.length
    e.advance(Date.parse('2026-03-03T22:00:00+08:00'))
    expect(told).toHaveLength(n)
    e.apply(
      [kase('a', 'resolved', t0, Date.parse('2026-03-03T22:00:01+08:00'))],
      Date.parse('2026-03-03T22:00:01+08:00'),
    )
    e.apply([kase('late', 'handling', late.change.row.reportedAt, t0 + 86_400_000 * 2)], t0 + 86_400_000 * 2)
    expect(told.slice(n)).toEqual([
      ['a', 0],
      ['late', 2],
    ])
    expect([...e.overdueCases()]).toEqual([['late', 2]])
  })

  it('handling time: average and p90 of the cases resolved in the window; closure rate of the new ones', () => {
    const e = new KpiEngine(tree, testConfig(), STANDARDS)
    e.rebuild({ cameras: [], members: [], cases: [], disputes: [] }, { cases: new Map(), disputes: new Map() }, t0)
    const batch = []
    for (let k = 0; k < 10; k++) batch.push(kase(`h${k}`, 'reported', t0, t0))
    e.apply(batch, t0)
    const done = []
    for (let k = 0; k < 9; k++) done.push(kase(`h${k}`, 'resolved', t0, t0 + (k + 1) * 10 * 60_000))
    const now = t0 + 3 * 3_600_000
    e.apply(done, now)
    expect(at(e, '330402', 'cases.new.today')).toBe(10)
    expect(at(e, '330402', 'cases.resolved.today')).toBe(9)
    expect(at(e, '330402', 'cases.closureRate.today')).toBeCloseTo(0.9)
    expect(at(e, '330402', 'cases.avgHandlingMin.today')).toBeCloseTo(50)
    // p90 of 10…90 min is 90 min, reported as its bin's upper edge (within 25 %)
    const p90 = at(e, '330402', 'cases.p90HandlingMin.today')!
    expect(p90).toBeGreaterThanOrEqual(90)
    expect(p90).toBeLessThan(90 * 1.25)
    // the next day: today's window is empty, the 7-day one still holds them
    e.advance(Date.parse('2026-03-03T00:00:01+08:00'))
    expect(at(e, '330402', 'cases.new.today')).toBe(0)
    expect(at(e, '330402', 'cases.new.7d')).toBe(10)
    expect(at(e, '330402', 'cases.closureRate.today')).toBeNull()
    expect(e.yesterdayValue(tree.index.get('330402')!, KPI_FIELDS.indexOf('cases.new.today'))).toBe(10)
  })
})
