import { describe, expect, it } from 'vitest'
import { CASE_FLAGS, LiveMirror, type LiveSnapshot, type TableChanges } from '@gridsight/shared'
import { liveSnapshot } from '../test-support/live-snapshot.ts'
import {
  CASE_COLORS,
  CasesLayers,
  DEFAULT_DISPATCH_SLA_MS,
  FLASH_MS,
  caseOverdueFlags,
  flashLevel,
  isDispatchOverdue,
  overdueDeadlines,
  reportedAtMs,
} from './cases-layer.ts'
import { OTHER_CASE_ICON, caseIconOf } from './icon-atlas.ts'

/** two snapshot cases: c1 reported (环境卫生), c2 closed (消防隐患) */
function snapshot(epoch = 'e1'): LiveSnapshot {
  return liveSnapshot(
    {
      cases: {
        ids: ['c1', 'c2'],
        dict: ['环境卫生', '消防隐患'],
        pos: new Float32Array([120.1, 30.1, 120.2, 30.2]).buffer,
        status: new Uint8Array([0, 4]).buffer,
        attr: new Uint16Array([0, 1]).buffer,
      },
    },
    { epoch },
  )
}

/** one new reported case c3 of a type the atlas does not know */
const newCase = (): TableChanges => ({
  added: ['c3'],
  dictAdded: ['未知类别'],
  idx: new Uint32Array([2]).buffer,
  pos: new Float32Array([120.3, 30.3]).buffer,
  status: new Uint8Array([0]).buffer,
  attr: new Uint16Array([2]).buffer,
})

function mirrorWithNewCase(at: number): LiveMirror {
  const m = new LiveMirror()
  m.applySnapshot(snapshot())
  expect(m.applyDelta({ epoch: 'e1', scope: '330402', seq: 1, ts: at, tables: { cases: newCase() } })).toBe('applied')
  return m
}

describe('case styling', () => {
  it('colours by state and hides closed cases', () => {
    expect(CASE_COLORS).toHaveLength(5)
    expect(CASE_COLORS[4]![3]).toBe(0)
    expect(new Set(CASE_COLORS.slice(0, 4).map((c) => c.join()))).toHaveProperty('size', 4)
  })

  it('gives each known type its glyph and the rest the generic one', () => {
    expect(caseIconOf('环境卫生')).toBe(0)
    expect(caseIconOf('消防隐患')).toBe(4)
    expect(caseIconOf('未知类别')).toBe(OTHER_CASE_ICON)
    expect(caseIconOf(undefined)).toBe(OTHER_CASE_ICON)
  })

  it('flashes once: full at arrival, fading, gone after FLASH_MS, never for unknown arrival', () => {
    expect(flashLevel(0)).toBe(1)
    expect(flashLevel(FLASH_MS / 2)).toBeCloseTo(0.5)
    expect(flashLevel(FLASH_MS)).toBe(0)
    expect(flashLevel(Number.NaN)).toBe(0)
    expect(flashLevel(-50)).toBe(1)
  })

  it('is dispatch-overdue only while reported, past the deadline, with a known arrival', () => {
    const sla = 60_000
    expect(isDispatchOverdue(0, 0, sla + 1, sla)).toBe(true)
    expect(isDispatchOverdue(0, 0, sla, sla)).toBe(false)
    expect(isDispatchOverdue(1, 0, sla * 10, sla)).toBe(false)
    expect(isDispatchOverdue(0, Number.NaN, sla * 10, sla)).toBe(false)
    // the report time on the stream wins over the first sighting; the sighting stands in without it
    expect(reportedAtMs(1_000, 9_000)).toBe(1_000)
    expect(reportedAtMs(Number.NaN, 9_000)).toBe(9_000)
    expect(reportedAtMs(Number.NaN, Number.NaN)).toBeNaN()
  })
})

describe('CasesLayers', () => {
  it('packs the open cases and maps drawn indexes back to mirror rows', () => {
    const m = mirrorWithNewCase(5_000)
    const layers = new CasesLayers()
    expect(layers.update(m, 5_000)).toBe(true)
    expect(layers.count).toBe(2)
    expect(layers.rowAt(0)).toBe(0)
    expect(layers.rowAt(1)).toBe(2)
    expect(layers.rowAt(2)).toBe(-1)
    expect(layers.update(m, 5_000)).toBe(false)
  })

  it('remembers when a case first arrived, and only for cases that arrived on a delta', () => {
    const m = mirrorWithNewCase(5_000)
    const layers = new CasesLayers()
    layers.update(m, 5_000)
    expect(layers.seen.times[0]).toBeNaN()
    expect(layers.seen.times[2]).toBe(5_000)
    expect(layers.flashing).toBe(true)
    // a later status change of the same case does not move its arrival
    m.applyDelta({
      epoch: 'e1',
      scope: '330402',
      seq: 2,
      ts: 9_000,
      tables: { cases: { ...newCase(), added: [], dictAdded: [], status: new Uint8Array([1]).buffer } },
    })
    layers.update(m, 9_000)
    expect(layers.seen.times[2]).toBe(5_000)
    expect(layers.flashing).toBe(false)
    // a new epoch forgets
    m.applySnapshot(snapshot('e2'))
    layers.update(m, 9_000)
    expect(layers.seen.times[0]).toBeNaN()
    expect(layers.count).toBe(1)
  })

  it('rings a new case once its dispatch deadline passes, with time alone', () => {
    const m = mirrorWithNewCase(5_000)
    const layers = new CasesLayers()
    layers.update(m, 5_000)
    const ring = () => layers.layers(5_000 + FLASH_MS, 1).some((l) => l.id === 'cases-overdue')
    expect(ring()).toBe(false)
    layers.update(m, 5_000 + DEFAULT_DISPATCH_SLA_MS + 1, true)
    expect(ring()).toBe(true)
  })

  it('rings a case already open when the screen connected, from the report time the snapshot carries', () => {
    const reported = Date.UTC(2026, 10, 22, 8, 0, 0)
    const s = snapshot()
    s.tables.cases.at = new Uint32Array([reported / 1000, reported / 1000]).buffer
    const m = new LiveMirror()
    m.applySnapshot(s)
    const layers = new CasesLayers()
    const ring = (now: number) => {
      layers.update(m, now, true)
      return layers.layers(now, 1).find((l) => l.id === 'cases-overdue')?.props.data as { length: number } | undefined
    }
    expect(ring(reported + DEFAULT_DISPATCH_SLA_MS)).toBeUndefined()
    // c1 (reported) rings; c2 is closed and not drawn
    expect(ring(reported + DEFAULT_DISPATCH_SLA_MS + 1_000)?.length).toBe(1)
    // no flash for it: it did not arrive while the screen watched
    expect(layers.flashing).toBe(false)
  })

  it('rings the cases the server flags, either deadline, and only those; a delta with no other change flips the ring', () => {
    const reported = Date.UTC(2026, 10, 22, 8, 0, 0)
    const s = snapshot()
    // c1 reported long ago but the server says nothing is late (its own, longer SLA for the type);
    // c2 closed (not drawn), c3 handling past its resolve deadline
    s.tables.cases = {
      ids: ['c1', 'c2', 'c3'],
      dict: ['环境卫生', '消防隐患'],
      pos: new Float32Array([120.1, 30.1, 120.2, 30.2, 120.3, 30.3]).buffer,
      status: new Uint8Array([0, 4, 2]).buffer,
      attr: new Uint16Array([0, 1, 0]).buffer,
      at: new Uint32Array([reported / 1000, reported / 1000, reported / 1000]).buffer,
      flags: new Uint8Array([0, 0, CASE_FLAGS.resolveOverdue]).buffer,
    }
    const m = new LiveMirror()
    m.applySnapshot(s)
    const now = reported + 3 * 86_400_000
    const t = m.tables.cases
    expect(caseOverdueFlags(t, 0, Number.NaN, now, DEFAULT_DISPATCH_SLA_MS)).toBe(0)
    expect(caseOverdueFlags(t, 2, Number.NaN, now, DEFAULT_DISPATCH_SLA_MS)).toBe(CASE_FLAGS.resolveOverdue)
    const layers = new CasesLayers()
    const ringed = () => {
      const ring = layers.layers(now, 1).find((l) => l.id === 'cases-overdue')
      const data = ring?.props.data as { length: number; attributes: { getPosition: { value: Float32Array } } }
      return data ? [...data.attributes.getPosition.value].map((v) => Math.round(v * 10) / 10) : []
    }
    layers.update(m, now, true)
    expect(ringed()).toEqual([120.3, 30.3])
    // time passes on the server: c1 is now past its dispatch deadline there, a delta says so
    const d = {
      epoch: 'e1',
      scope: '330402',
      seq: 1,
      ts: now,
      tables: {
        cases: {
          added: [],
          dictAdded: [],
          idx: new Uint32Array([0]).buffer,
          pos: new Float32Array([120.1, 30.1]).buffer,
          status: new Uint8Array([0]).buffer,
          attr: new Uint16Array([0]).buffer,
          at: new Uint32Array([reported / 1000]).buffer,
          flags: new Uint8Array([CASE_FLAGS.dispatchOverdue | CASE_FLAGS.resolveOverdue]).buffer,
        },
      },
    }
    expect(m.applyDelta(d)).toBe('applied')
    expect(layers.update(m, now)).toBe(true)
    expect(ringed()).toEqual([120.1, 30.1, 120.3, 30.3])
    // c3 resolved: the server clears its bits, its ring goes
    const resolved = {
      ...d,
      seq: 2,
      tables: {
        cases: {
          ...d.tables.cases,
          idx: new Uint32Array([2]).buffer,
          pos: new Float32Array([120.3, 30.3]).buffer,
          status: new Uint8Array([3]).buffer,
          flags: new Uint8Array([0]).buffer,
        },
      },
    }
    expect(m.applyDelta(resolved)).toBe('applied')
    layers.update(m, now)
    expect(ringed()).toEqual([120.1, 30.1])
  })

  it('names the deadlines a case is past; without the server’s flags only the dispatch one, counted here', () => {
    expect(overdueDeadlines(0)).toEqual([])
    expect(overdueDeadlines(CASE_FLAGS.dispatchOverdue)).toEqual(['dispatch'])
    expect(overdueDeadlines(CASE_FLAGS.resolveOverdue)).toEqual(['resolve'])
    expect(overdueDeadlines(CASE_FLAGS.dispatchOverdue | CASE_FLAGS.resolveOverdue)).toEqual(['dispatch', 'resolve'])
    // the snapshot of a server without the column: the screen's own dispatch check
    const m = mirrorWithNewCase(5_000)
    const t = m.tables.cases
    expect(t.flagged).toBe(false)
    const late = 5_000 + DEFAULT_DISPATCH_SLA_MS + 1
    expect(caseOverdueFlags(t, 2, 5_000, late, DEFAULT_DISPATCH_SLA_MS)).toBe(CASE_FLAGS.dispatchOverdue)
    expect(caseOverdueFlags(t, 2, 5_000, 5_000, DEFAULT_DISPATCH_SLA_MS)).toBe(0)
  })

  it('draws the flash only while one runs', () => {
    const m = mirrorWithNewCase(5_000)
    const layers = new CasesLayers()
    layers.update(m, 5_000)
    expect(layers.layers(5_100, 1).map((l) => l.id)).toContain('cases-flash')
    expect(layers.flashing).toBe(true)
    expect(layers.layers(5_000 + FLASH_MS, 1).map((l) => l.id)).not.toContain('cases-flash')
    expect(layers.flashing).toBe(false)
  })
})
