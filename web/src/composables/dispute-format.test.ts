import { describe, expect, it } from 'vitest'
import { disputeElapsedMs, disputeTimeline, escalations, type DisputeStep } from './dispute-format.ts'

const H = 3_600_000
const T0 = Date.parse('2026-11-19T02:00:00Z')
const iso = (hours: number) => new Date(T0 + hours * H).toISOString()
const ev = (status: string, hours: number) => ({ status, ts: iso(hours) })
const brief = (steps: DisputeStep[]) =>
  steps.map((s) => [s.stage, s.state, s.durationMs === null ? null : s.durationMs / H])

describe('disputeTimeline', () => {
  it('lists the stages as entered, with how long each took, the current one running, and what is ahead', () => {
    const history = [ev('accepted', 0), ev('assigned', 2), ev('mediating', 24)]
    const steps = disputeTimeline({ status: 'mediating', acceptedAt: iso(0) }, history, T0 + 30 * H)
    expect(brief(steps)).toEqual([
      ['accepted', 'done', 2],
      ['assigned', 'done', 22],
      ['mediating', 'current', 6],
      ['outcome', 'pending', null],
    ])
    expect(steps[0]!.at).toBe(T0)
    expect(steps[3]!.at).toBeNull()
  })

  it('shows an escalation (督办) in place, back to mediating after it, and counts them', () => {
    const history = [ev('accepted', 0), ev('assigned', 2), ev('mediating', 24), ev('escalated', 48)]
    const open = disputeTimeline({ status: 'escalated', acceptedAt: iso(0) }, history, T0 + 60 * H)
    expect(brief(open)).toEqual([
      ['accepted', 'done', 2],
      ['assigned', 'done', 22],
      ['mediating', 'done', 24],
      ['escalated', 'current', 12],
      ['mediating', 'pending', null],
      ['outcome', 'pending', null],
    ])
    expect(escalations(open)).toBe(1)

    const settled = [...history, ev('mediating', 72), ev('escalated', 80), ev('mediating', 90), ev('resolved', 100)]
    const done = disputeTimeline({ status: 'resolved', acceptedAt: iso(0) }, settled, T0 + 500 * H)
    expect(brief(done).slice(3)).toEqual([
      ['escalated', 'done', 24],
      ['mediating', 'done', 8],
      ['escalated', 'done', 10],
      ['mediating', 'done', 10],
      ['resolved', 'current', null],
    ])
    expect(escalations(done)).toBe(2)
    // from acceptance to the outcome, not to now
    expect(disputeElapsedMs(done, T0 + 500 * H)).toBe(100 * H)
    expect(disputeElapsedMs(open, T0 + 60 * H)).toBe(60 * H)
  })

  it('marks stages of the path the history passed over as skipped, and ends an unresolved one there', () => {
    const steps = disputeTimeline(
      { status: 'unresolved', acceptedAt: iso(0) },
      [ev('accepted', 0), ev('mediating', 5), ev('unresolved', 9)],
      T0 + 20 * H,
    )
    expect(brief(steps)).toEqual([
      ['accepted', 'done', 5],
      ['assigned', 'skipped', null],
      ['mediating', 'done', 4],
      ['unresolved', 'current', null],
    ])
  })

  it('takes the acceptance time for a missing accepted event, merges repeats, ignores unknown statuses', () => {
    const steps = disputeTimeline(
      { status: 'assigned', acceptedAt: iso(0) },
      [ev('assigned', 3), ev('assigned', 4), ev('reopened', 5), { status: 'assigned', ts: 'not a time' }],
      T0 + 10 * H,
    )
    expect(brief(steps)).toEqual([
      ['accepted', 'done', 3],
      ['assigned', 'current', 7],
      ['mediating', 'pending', null],
      ['outcome', 'pending', null],
    ])
  })

  it('shows a status newer than the history as current, without a time', () => {
    const steps = disputeTimeline({ status: 'resolved', acceptedAt: iso(0) }, [ev('accepted', 0)], T0 + 10 * H)
    expect(brief(steps)).toEqual([
      ['accepted', 'done', null],
      ['assigned', 'skipped', null],
      ['mediating', 'skipped', null],
      ['resolved', 'current', null],
    ])
    // the end is not known: it counts to now
    expect(disputeElapsedMs(steps, T0 + 10 * H)).toBe(10 * H)
  })

  it('has no elapsed time without an acceptance time', () => {
    const steps = disputeTimeline({ status: 'accepted', acceptedAt: 'bogus' }, [], T0)
    expect(brief(steps)).toEqual([
      ['accepted', 'current', null],
      ['assigned', 'pending', null],
      ['mediating', 'pending', null],
      ['outcome', 'pending', null],
    ])
    expect(disputeElapsedMs(steps, T0)).toBeNull()
  })
})
