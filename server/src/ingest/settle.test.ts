import { describe, expect, it } from 'vitest'
import type { CameraRow, CaseRow, DisputeRow, MemberRow } from '../db/index.ts'
import { doneTimesFromEvents, KpiEngine } from '../kpi/engine.ts'
import { figuresOf, gridsOf, sortedEvents, testConfig, testUnits } from '../kpi/test-fixtures.ts'
import { UnitTree } from '../kpi/unit-tree.ts'
import type { AppliedChange } from './ingest-service.ts'
import { settled } from './settle.ts'

const caseRow = (id: string, status: string, ts: number): CaseRow => ({
  id,
  type: '环境卫生',
  status,
  priority: 3,
  title: null,
  source: null,
  assignee: null,
  lon: 120.75,
  lat: 30.75,
  gridCode: '330402001001001',
  reportedAt: 1,
  ts,
})
const disputeRow = (id: string, status: string, ts: number): DisputeRow => ({
  id,
  category: '邻里纠纷',
  status,
  title: null,
  parties: 2,
  lon: 120.75,
  lat: 30.75,
  gridCode: '330402001001001',
  acceptedAt: 1,
  ts,
})
const memberRow = (id: string, sos: boolean, ts: number): MemberRow => ({
  id,
  name: null,
  role: null,
  onDuty: true,
  gridCode: null,
  lon: 120.75,
  lat: 30.75,
  accuracy: null,
  speed: null,
  heading: null,
  ts,
  sos,
})

const cameraRow = (id: string, status: CameraRow['status'], ts: number): CameraRow => ({
  id,
  name: null,
  kind: 'public',
  lon: 120.75,
  lat: 30.75,
  gridCode: '330402001001001',
  status,
  ts,
})

/** a batch of rows applied in order, each with the row before it as prev */
function batch(
  rows: (CameraRow | CaseRow | DisputeRow | MemberRow)[],
  before: Record<string, CameraRow | CaseRow | DisputeRow> = {},
) {
  const last = new Map<string, unknown>(Object.entries(before))
  return rows.map((row): AppliedChange => {
    const kind = 'reportedAt' in row ? 'case' : 'acceptedAt' in row ? 'dispute' : 'kind' in row ? 'camera' : 'member'
    const key = `${kind}:${row.id}`
    const prev = last.get(key) as AppliedChange['prev']
    last.set(key, row)
    const change = (kind === 'member' ? { kind, row } : { kind, row, statusChanged: true }) as AppliedChange['change']
    return { change, prev }
  })
}
const shown = (applied: AppliedChange[]) =>
  settled(applied).map(({ change }) =>
    'status' in change.row ? `${change.row.id}:${change.row.status}` : `${change.row.id}:${String(change.row.sos)}`,
  )

describe('settled: what listeners see of one committed batch', () => {
  it('passes a batch with one change per entity through as it is', () => {
    const a = batch([caseRow('A', 'reported', 1), caseRow('B', 'dispatched', 2), disputeRow('A', 'accepted', 3)])
    expect(settled(a)).toBe(a)
  })

  it('shows a case that went through its lifecycle in one batch as resolved (its done time), then closed', () => {
    const a = batch([
      caseRow('A', 'reported', 1),
      caseRow('B', 'reported', 2),
      caseRow('A', 'dispatched', 3),
      caseRow('A', 'handling', 4),
      caseRow('A', 'resolved', 5),
      caseRow('A', 'closed', 6),
      caseRow('B', 'dispatched', 7),
    ])
    expect(shown(a)).toEqual(['A:resolved', 'A:closed', 'B:dispatched'])
    expect(settled(a).find((c) => c.change.row.id === 'A')!.change.row.ts).toBe(5)
  })

  it('shows an open one by its last change only; a reopened one from its last entry into done', () => {
    expect(
      shown(batch([caseRow('A', 'reported', 1), caseRow('A', 'dispatched', 2), caseRow('A', 'handling', 3)])),
    ).toEqual(['A:handling'])
    const reopened = batch([
      caseRow('A', 'resolved', 1),
      caseRow('A', 'handling', 2),
      caseRow('A', 'resolved', 3),
      caseRow('A', 'closed', 4),
    ])
    expect(shown(reopened)).toEqual(['A:resolved', 'A:closed'])
    expect(settled(reopened)[0]!.change.row.ts).toBe(3)
  })

  it('keeps an earlier done time: a case already resolved before the batch shows its last change only', () => {
    const before = { 'case:A': caseRow('A', 'resolved', 1) }
    expect(shown(batch([caseRow('A', 'resolved', 2), caseRow('A', 'closed', 3)], before))).toEqual(['A:closed'])
  })

  it('settles disputes the same way (resolved and unresolved are done; escalation in between is not shown)', () => {
    const a = batch([
      disputeRow('M', 'accepted', 1),
      disputeRow('M', 'assigned', 2),
      disputeRow('M', 'mediating', 3),
      disputeRow('M', 'escalated', 4),
      disputeRow('M', 'mediating', 5),
      disputeRow('M', 'unresolved', 6),
    ])
    expect(shown(a)).toEqual(['M:unresolved'])
  })

  it('shows a camera as it stands after the batch: its last change, and the one that entered its last status', () => {
    // a camera registered with its history in one batch (the simulator's pre-roll)
    const history = batch([
      cameraRow('V', 'online', 1),
      cameraRow('V', 'fault', 2),
      cameraRow('V', 'online', 3),
      cameraRow('V', 'offline', 4),
      cameraRow('V', 'offline', 5),
      caseRow('A', 'reported', 5),
      cameraRow('V', 'offline', 6),
    ])
    expect(shown(history)).toEqual(['V:offline', 'A:reported', 'V:offline'])
    // offline since 4, last heard at 6
    expect(
      settled(history)
        .filter((c) => c.change.kind === 'camera')
        .map((c) => c.change.row.ts),
    ).toEqual([4, 6])
    // already offline before the batch: its last change only (still offline since then)
    const before = { 'camera:V': cameraRow('V', 'offline', 0) }
    expect(shown(batch([cameraRow('V', 'offline', 7), cameraRow('V', 'offline', 8)], before))).toEqual(['V:offline'])
    // back online and offline again within the batch: shown, so that "offline since" starts again
    const flap = [cameraRow('V', 'online', 7), cameraRow('V', 'fault', 8), cameraRow('V', 'offline', 9)]
    expect(shown(batch([...flap, cameraRow('V', 'offline', 10)], before))).toEqual([
      'V:fault',
      'V:offline',
      'V:offline',
    ])
  })

  it('shows a case resolved before the batch, reopened and resolved again in it, leaving done in between', () => {
    const before = { 'case:A': caseRow('A', 'resolved', 1) }
    const a = batch([caseRow('A', 'handling', 2), caseRow('A', 'resolved', 3), caseRow('A', 'closed', 4)], before)
    expect(shown(a)).toEqual(['A:handling', 'A:resolved', 'A:closed'])
  })

  it('shows members change by change: an SOS pressed and cancelled in one batch is never folded away', () => {
    const a = batch([
      memberRow('W1', true, 1),
      caseRow('A', 'reported', 1),
      caseRow('A', 'dispatched', 2),
      memberRow('W1', false, 2),
    ])
    expect(shown(a)).toEqual(['W1:true', 'A:dispatched', 'W1:false'])
  })

  it('gives the KPIs what a rebuild from the committed status events computes', () => {
    const units = testUnits()
    const grids = gridsOf(units)
    const tree = new UnitTree(units)
    const engine = () => new KpiEngine(tree, testConfig(), { urbanPerKm2: 70, ruralPerKm2: 8 })
    const now = Date.parse('2026-03-20T10:00:00+08:00')
    const HOUR = 3_600_000
    // 60 cases over the past 12 days, each with its whole past in one batch: most closed, some
    // still open, some reopened after a first resolution; and 20 disputes the same way
    const rows: (CaseRow | DisputeRow)[] = []
    const flows = [
      ['reported', 'dispatched', 'handling', 'resolved', 'closed'],
      ['reported', 'dispatched', 'handling', 'resolved'],
      ['reported', 'dispatched', 'handling'],
      ['reported', 'dispatched', 'handling', 'resolved', 'handling', 'resolved', 'closed'],
    ]
    for (let k = 0; k < 60; k++) {
      const t0 = now - 12 * 24 * HOUR + k * 4.5 * HOUR
      flows[k % 4]!.forEach((status, j) =>
        rows.push({
          ...caseRow(`C${k}`, status, t0 + j * 7 * HOUR),
          reportedAt: t0,
          gridCode: grids[k % grids.length]!,
        }),
      )
    }
    const dflows = [
      ['accepted', 'assigned', 'mediating', 'resolved'],
      ['accepted', 'assigned', 'mediating', 'escalated', 'mediating', 'unresolved'],
      ['accepted', 'assigned'],
    ]
    for (let k = 0; k < 20; k++) {
      const t0 = now - 11 * 24 * HOUR + k * 9 * HOUR
      dflows[k % 3]!.forEach((status, j) =>
        rows.push({
          ...disputeRow(`D${k}`, status, t0 + j * 20 * HOUR),
          acceptedAt: t0,
          gridCode: grids[k % grids.length]!,
        }),
      )
    }
    const live = engine()
    live.rebuild({ cameras: [], members: [], cases: [], disputes: [] }, { cases: new Map(), disputes: new Map() }, now)
    const applied = batch(rows)
    expect(settled(applied).length).toBeLessThan(applied.length / 2)
    live.apply(settled(applied), now)

    const final = <T extends { id: string }>(list: T[]) => [...new Map(list.map((r) => [r.id, r])).values()]
    const cases = rows.filter((r): r is CaseRow => 'reportedAt' in r)
    const disputes = rows.filter((r): r is DisputeRow => 'acceptedAt' in r)
    const fresh = engine()
    fresh.rebuild(
      { cameras: [], members: [], cases: final(cases), disputes: final(disputes) },
      {
        cases: doneTimesFromEvents('case', sortedEvents(cases)),
        disputes: doneTimesFromEvents('dispute', sortedEvents(disputes)),
      },
      now,
    )
    expect(figuresOf(live)).toEqual(figuresOf(fresh))
  })
})
