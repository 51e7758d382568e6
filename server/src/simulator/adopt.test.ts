/**
 * A restart's live run takes over the cases and disputes an earlier run left open (SimOptions.adopt)
 * and moves them on with its own delays, instead of leaving them open for ever.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { readAllUnits } from '@gridsight/geo-data'
import { UnitLocator, type CaseItem, type DisputeItem } from '@gridsight/shared'
import { loadSimPack } from './pack.ts'
import {
  ADOPT_CATCH_UP_MS,
  CASE_FLOW,
  DISPUTE_NEXT,
  Simulator,
  type OpenCase,
  type OpenDispute,
  type SimBatches,
  type SimPack,
} from './simulator.ts'
import { DAY, HOUR, SECOND } from './clock.ts'

const START = Date.parse('2026-11-23T09:00:00+08:00') // a Monday
/** the restart: the server was down from the first run's start until the next morning */
const RESTART = START + DAY
let pack: SimPack
let locator: UnitLocator
/** what the first run (its pre-rolled history) left open, as the database holds it */
let open: { cases: OpenCase[]; disputes: OpenDispute[] }

/** The latest state of every entity in `items` (later items carry only what changed). */
function latest<T extends CaseItem | DisputeItem>(items: readonly T[]): Map<string, T> {
  const out = new Map<string, T>()
  for (const it of items) out.set(it.id, { ...out.get(it.id), ...it })
  return out
}

function run(sim: Simulator, from: number, to: number, stepMs: number): SimBatches {
  const all: SimBatches = { cameras: [], members: [], cases: [], disputes: [] }
  for (let t = from; t <= to; t += stepMs) {
    const b = sim.step(t)
    all.cases.push(...b.cases)
    all.disputes.push(...b.disputes)
  }
  return all
}

const liveOptions = (adopt: { cases: readonly OpenCase[]; disputes: readonly OpenDispute[] }) => ({
  seed: 21,
  start: RESTART,
  caseHistoryMs: 0,
  disputeHistoryMs: 0,
  cameraHistoryMs: 0,
  runTag: 'CD34',
  // members report twice a day or so: the same assignees, a fraction of the time
  reportScale: 10_000,
  adopt,
})

/** The restart's live run; without members (`eventsOnly`) weeks of cases take a second. */
const live = (adopt: { cases: readonly OpenCase[]; disputes: readonly OpenDispute[] }, eventsOnly = false) =>
  new Simulator(eventsOnly ? { ...pack, members: [] } : pack, liveOptions(adopt))

beforeAll(() => {
  pack = { ...loadSimPack('330402'), cameras: [] }
  locator = new UnitLocator(readAllUnits('330402'))
  const first = new Simulator({ ...pack, members: [] }, { seed: 20, start: START, cameraHistoryMs: 0, runTag: 'AB12' })
  const history = first.step(START)
  const cases = [...latest(history.cases).values()].filter((c) => c.status !== 'closed')
  const disputes = [...latest(history.disputes).values()].filter((d) => DISPUTE_NEXT[d.status].length > 0)
  open = {
    cases: cases.map((c) => ({
      ...c,
      priority: c.priority ?? null,
      assignee: c.assignee ?? null,
      gridCode: locator.locate(c.lon, c.lat),
      ts: Date.parse(c.ts),
    })),
    disputes: disputes.map((d) => ({ ...d, ts: Date.parse(d.ts) })),
  }
  // one reported just before the server went down, not dispatched yet (at 09:00 there may be none)
  const c = open.cases[0]!
  open.cases.push({ ...c, id: 'SJ20261123AB12999999', status: 'reported', assignee: null, ts: START - 5 * 60 * SECOND })
})

describe('adopting an earlier run’s open cases and disputes', () => {
  it('moves them on through legal transitions only, later than their status, until none is left open', () => {
    expect(open.cases.length).toBeGreaterThan(50)
    expect(open.disputes.length).toBeGreaterThan(5)
    expect(new Set(open.cases.map((c) => c.status)).size).toBeGreaterThanOrEqual(3)
    const since = new Map([...open.cases, ...open.disputes].map((o) => [o.id, o]))

    const all = run(live(open, true), RESTART, RESTART + 45 * DAY, HOUR)

    const caseSeq = new Map<string, CaseItem[]>()
    for (const c of all.cases) if (since.has(c.id)) caseSeq.set(c.id, [...(caseSeq.get(c.id) ?? []), c])
    for (const c of open.cases) {
      const seq = caseSeq.get(c.id) ?? []
      const from = CASE_FLOW.indexOf(c.status as (typeof CASE_FLOW)[number])
      // each step the next one of the flow, each later than the one before, the last one closed
      expect({ id: c.id, flow: seq.map((s) => s.status) }).toEqual({ id: c.id, flow: CASE_FLOW.slice(from + 1) })
      const ts = [c.ts, ...seq.map((s) => Date.parse(s.ts))]
      for (let i = 1; i < ts.length; i++) expect(ts[i]).toBeGreaterThan(ts[i - 1]!)
      expect(Date.parse(seq[0]!.ts)).toBeGreaterThan(RESTART)
    }
    const disputeSeq = new Map<string, string[]>()
    for (const d of all.disputes) {
      if (since.has(d.id)) disputeSeq.set(d.id, [...(disputeSeq.get(d.id) ?? []), d.status])
    }
    for (const d of open.disputes) {
      const seq = [d.status, ...(disputeSeq.get(d.id) ?? [])] as (keyof typeof DISPUTE_NEXT)[]
      const legal = seq.every((st, i) => i === 0 || DISPUTE_NEXT[seq[i - 1]!].includes(st))
      expect({ id: d.id, seq, legal, over: DISPUTE_NEXT[seq[seq.length - 1]!].length === 0 }).toEqual({
        id: d.id,
        seq,
        legal: true,
        over: true,
      })
    }

    // what is still open at the end is the live run's own (its run tag), none of the adopted
    const stillOpen = [...latest(all.cases).values()].filter((c) => c.status !== 'closed')
    expect(stillOpen.length).toBeGreaterThan(0)
    expect(stillOpen.filter((c) => since.has(c.id) || !c.id.includes('CD34'))).toEqual([])
  }, 30_000)

  it('moves the overdue ones soon, each at its own instant; the others when their step falls due', () => {
    const sim = live(open)
    const firstMove = new Map<string, CaseItem>()
    for (let t = RESTART; t <= RESTART + 2 * DAY; t += 10 * 60 * SECOND) {
      for (const c of sim.step(t).cases) if (!firstMove.has(c.id)) firstMove.set(c.id, c)
    }
    // a case not dispatched yet goes to someone of its grid
    const reported = open.cases.filter((c) => c.status === 'reported')
    const gridOf = new Map(pack.members.map((m) => [m.id, m.grid]))
    expect(reported.map((c) => gridOf.get(firstMove.get(c.id)?.assignee ?? ''))).toEqual(
      reported.map((c) => c.gridCode),
    )

    const moves = open.cases.flatMap((c) => {
      const m = firstMove.get(c.id)
      return m ? [Date.parse(m.ts)] : []
    })
    const soon = moves.filter((t) => t <= RESTART + SECOND + ADOPT_CATCH_UP_MS)
    // a day down: most cases' next step fell due (all but some being handled)
    expect(soon.length).toBeGreaterThan(open.cases.length / 2)
    expect(new Set(soon).size).toBeGreaterThan(soon.length * 0.9)
    expect(Math.max(...soon) - Math.min(...soon)).toBeGreaterThan(ADOPT_CATCH_UP_MS / 2)
    expect(moves.length - soon.length).toBeGreaterThan(0)
  })

  it('never escalates again one whose history holds an escalation', () => {
    // back in mediation after an escalation: the row says "mediating" only
    const back = open.disputes.filter((d) => d.status === 'mediating').map((d) => ({ ...d, escalated: true }))
    expect(back.length).toBeGreaterThan(0)
    const ids = new Set(back.map((d) => d.id))
    // with the demo incidents, whose escalation takes the first mediating dispute it may escalate
    const withIncidents = (disputes: readonly OpenDispute[]) =>
      new Simulator({ ...pack, members: [] }, { ...liveOptions({ cases: [], disputes }), incidents: true })
    const after = run(withIncidents(back), RESTART, RESTART + 45 * DAY, HOUR).disputes.filter((d) => ids.has(d.id))
    expect(after.filter((d) => d.status === 'escalated')).toEqual([])
    // each moved on to its outcome
    expect(new Set(after.filter((d) => DISPUTE_NEXT[d.status].length === 0).map((d) => d.id))).toEqual(ids)
    // the same ones not known to have been escalated: the first incident escalates one of them
    const unknown = back.map(({ escalated: _, ...d }) => d)
    expect(run(withIncidents(unknown), RESTART, RESTART + DAY, HOUR).disputes.map((d) => d.status)).toContain(
      'escalated',
    )
  })

  it('leaves other sources’ items alone, and is deterministic for a seed and a set of open items', () => {
    const foreign = {
      cases: [{ id: 'EXT-0001', type: '占道经营', status: 'reported', lon: 120.75, lat: 30.75, ts: START }],
      disputes: [{ id: 'EXT-D-0001', category: '邻里纠纷', status: 'accepted', lon: 120.75, lat: 30.75, ts: START }],
    }
    const adopt = { cases: [...foreign.cases, ...open.cases], disputes: [...foreign.disputes, ...open.disputes] }
    const a = run(live(adopt), RESTART, RESTART + 3 * DAY, HOUR)
    expect(a.cases.some((c) => c.id.startsWith('EXT'))).toBe(false)
    expect(a.disputes.some((d) => d.id.startsWith('EXT'))).toBe(false)
    // the same items in another order: the same run
    const shuffled = { cases: [...adopt.cases].reverse(), disputes: [...adopt.disputes].reverse() }
    expect(run(live(shuffled), RESTART, RESTART + 3 * DAY, HOUR)).toEqual(a)
    // and the same seed without them: another run
    expect(run(live({ cases: [], disputes: [] }), RESTART, RESTART + 3 * DAY, HOUR).cases).not.toEqual(a.cases)
  }, 30_000)
})
