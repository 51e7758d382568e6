import { describe, expect, it } from 'vitest'
import type { CaseRow, DisputeRow, MemberRow } from '../db/index.ts'
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

/** a batch of rows applied in order, each with the row before it as prev */
function batch(rows: (CaseRow | DisputeRow | MemberRow)[], before: Record<string, CaseRow | DisputeRow> = {}) {
  const last = new Map<string, unknown>(Object.entries(before))
  return rows.map((row): AppliedChange => {
    const kind = 'reportedAt' in row ? 'case' : 'acceptedAt' in row ? 'dispute' : 'member'
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

  it('shows members change by change: an SOS pressed and cancelled in one batch is never folded away', () => {
    const a = batch([
      memberRow('W1', true, 1),
      caseRow('A', 'reported', 1),
      caseRow('A', 'dispatched', 2),
      memberRow('W1', false, 2),
    ])
    expect(shown(a)).toEqual(['W1:true', 'A:dispatched', 'W1:false'])
  })
})
