import { beforeAll, describe, expect, it } from 'vitest'
import { ingestItemSchemas, itemValidator, mulberry32, UnitLocator, type IngestKind } from '@gridsight/shared'
import { readAllUnits } from '@gridsight/geo-data'
import { loadSimPack } from './pack.ts'
import {
  CASE_FLOW,
  DISPATCH_DEADLINE_MS,
  DISPUTE_NEXT,
  RESOLVE_DEADLINE_WORK_MS,
  CAMERA_HISTORY_MS,
  CAMERA_HEARTBEAT_MS,
  Simulator,
  type SimBatches,
  type SimPack,
} from './simulator.ts'
import { addHandlingTime, addWorkingTime, cstDay, DAY, HOUR, MINUTE, workingTimeBetween, cstHour } from './clock.ts'
import { chunks, SimRunner } from './runner.ts'

const START = Date.parse('2026-11-23T00:00:00+08:00') // a Monday
let pack: SimPack
/** the pack without cameras and members: fast runs over weeks for cases and disputes */
let eventsOnly: SimPack
let locator: UnitLocator
const gridParent = new Map<string, string>()

beforeAll(() => {
  pack = loadSimPack('330402')
  eventsOnly = { ...pack, cameras: [], members: [] }
  const units = readAllUnits('330402')
  locator = new UnitLocator(units)
  for (const u of units) if (u.properties.level === 'grid') gridParent.set(u.properties.code, u.properties.parent!)
})

function run(sim: Simulator, from: number, to: number, stepMs: number, each?: (b: SimBatches, t: number) => void) {
  const all: SimBatches = { cameras: [], members: [], cases: [], disputes: [] }
  for (let t = from; t <= to; t += stepMs) {
    const b = sim.step(t)
    each?.(b, t)
    for (const k of Object.keys(all) as IngestKind[]) (all[k] as unknown[]).push(...b[k])
  }
  return all
}

describe('simulator core', () => {
  it('is deterministic for a seed, whatever the step size, and differs for another seed', () => {
    // two days of camera history instead of 30: the same code, a fifth of the time
    const o = { start: START + 9 * HOUR, cameraHistoryMs: 2 * DAY }
    const a = new Simulator(pack, { seed: 7, ...o })
    const b = new Simulator(pack, { seed: 7, ...o })
    const c = new Simulator(pack, { seed: 8, ...o })
    const first: SimBatches[] = []
    for (let i = 0; i <= 10; i++) {
      const t = START + 9 * HOUR + i * 30_000
      const ba = a.step(t)
      expect(b.step(t)).toEqual(ba)
      first.push(ba)
    }
    expect(c.step(START + 9 * HOUR)).not.toEqual(first[0])
    // the same two minutes in 1 s steps give the same item stream
    const fine = new Simulator(pack, { seed: 7, ...o })
    const fineAll = run(fine, START + 9 * HOUR, START + 9 * HOUR + 2 * MINUTE, 1000)
    const coarse = new Simulator(pack, { seed: 7, ...o })
    const coarseAll = run(coarse, START + 9 * HOUR, START + 9 * HOUR + 2 * MINUTE, 30_000)
    expect(fineAll).toEqual(coarseAll)
  }, 20_000)

  it('produces only items that validate against the shared ingest schemas', () => {
    const sim = new Simulator(pack, { seed: 3, start: START + 10 * HOUR, reportScale: 30 })
    const all = run(sim, START + 10 * HOUR, START + 11 * HOUR, 5 * MINUTE)
    expect(all.cameras.length).toBeGreaterThanOrEqual(pack.cameras.length)
    expect(all.members.length).toBeGreaterThan(pack.members.length)
    expect(all.cases.length).toBeGreaterThan(100)
    expect(all.disputes.length).toBeGreaterThan(10)
    for (const kind of Object.keys(all) as IngestKind[]) {
      const v = itemValidator(ingestItemSchemas[kind])
      const bad = all[kind].filter((item) => !v.check(item))
      expect({ kind, errors: bad.slice(0, 1).map((item) => v.errors(item)) }).toEqual({ kind, errors: [] })
      expect(all[kind].every((item) => /\+08:00$/.test(item.ts))).toBe(true)
    }
  })

  it('registers every pack camera and member first, members with name, role and their grid', () => {
    const sim = new Simulator(pack, { seed: 1, start: START })
    const first = sim.step(START)
    // each camera in one group: its registration (position, kind, name) 30 days back, then its history
    const cams = first.cameras.filter((c, k, all) => k === 0 || all[k - 1]!.id !== c.id)
    expect(cams.map((c) => c.id)).toEqual(pack.cameras.map((c) => c.id))
    expect(cams.every((c) => c.lon !== undefined && c.kind !== undefined && c.name !== undefined)).toBe(true)
    expect(cams.every((c) => Date.parse(c.ts) === START - CAMERA_HISTORY_MS)).toBe(true)
    expect(first.cameras.length).toBeGreaterThan(2 * pack.cameras.length)
    expect(first.cameras.every((c) => Date.parse(c.ts) < START)).toBe(true)
    // without a camera history: registered at the start
    const now = new Simulator(pack, { seed: 1, start: START, cameraHistoryMs: 0 }).step(START).cameras
    expect(now.map((c) => [c.id, Date.parse(c.ts)])).toEqual(pack.cameras.map((c) => [c.id, START]))
    const regs = first.members.slice(0, pack.members.length)
    expect(regs.map((m) => [m.id, m.name, m.role, m.gridCode])).toEqual(
      pack.members.map((m) => [m.id, m.name, m.role, m.grid]),
    )
  })

  it('keeps members in their grid, police and auxiliaries in their community', () => {
    const sim = new Simulator(pack, { seed: 5, start: START + 7 * HOUR, reportScale: 30, cameraHistoryMs: 0 })
    const home = new Map(pack.members.map((m) => [m.id, m]))
    let checked = 0
    let moved = 0
    const outside: string[] = []
    const firstPos = new Map<string, number>()
    run(sim, START + 7 * HOUR, START + 13 * HOUR, 10 * MINUTE, (b) => {
      for (const it of b.members) {
        const m = home.get(it.id)!
        const grid = locator.locate(it.lon, it.lat)
        const ok =
          m.role === 'police' || m.role === 'auxiliary'
            ? grid !== null && gridParent.get(grid) === gridParent.get(m.grid)
            : grid === m.grid
        if (!ok) outside.push(`${it.id} (${m.role}, ${m.grid}) at ${it.lon},${it.lat} in ${grid}`)
        checked++
        const p = firstPos.get(it.id)
        if (p === undefined) firstPos.set(it.id, it.lon)
        else if (p !== it.lon) moved++
      }
    })
    expect(outside.slice(0, 5)).toEqual([])
    expect(checked).toBeGreaterThan(20_000)
    expect(moved).toBeGreaterThan(checked / 4)
  })

  it('has members on and off duty, fewer at night, and an occasional sos', () => {
    const some = { ...pack, cameras: [], members: pack.members.filter((_, i) => i % 4 === 0) }
    const sim = new Simulator(some, { seed: 11, start: START, reportScale: 60 })
    const onDuty = new Map<string, boolean>()
    let sos = 0
    const share: Record<number, number> = {}
    run(sim, START, START + 2 * DAY, 30 * MINUTE, (b, t) => {
      for (const it of b.members) {
        onDuty.set(it.id, it.onDuty!)
        if (it.sos) sos++
      }
      const h = Math.round(cstHour(t))
      const on = [...onDuty.values()].filter(Boolean).length / onDuty.size
      share[h] = Math.max(share[h] ?? 0, on)
    })
    expect(share[3]!).toBeLessThan(0.15)
    expect(share[10]!).toBeGreaterThan(0.25)
    expect(share[10]!).toBeLessThan(0.8)
    expect(sos).toBeGreaterThan(0)
  })

  it('keeps ~97 % of cameras online with no daily rhythm; power cuts take most of a community offline for hours', () => {
    // cameras only: 30 days of camera history, then 12 hours live
    const sim = new Simulator(
      { ...pack, members: [] },
      // reportScale as at SIM_SPEED 60: a heartbeat every 5 simulated hours, not 144 per camera
      { seed: 4, start: START, caseHistoryMs: 0, disputeHistoryMs: 0, reportScale: 60 },
    )
    const items = [...sim.step(START).cameras, ...run(sim, START + MINUTE, START + 12 * HOUR, 10 * MINUTE).cameras]
    const from = START - CAMERA_HISTORY_MS
    const to = START + 12 * HOUR
    // in time order (a camera's items are in order; the history comes camera by camera)
    const events = items.map((c, k) => ({ id: c.id, status: c.status, t: Date.parse(c.ts), k }))
    events.sort((x, y) => x.t - y.t || x.k - y.k)
    const camComm = new Map(pack.cameras.map((c) => [c.id, gridParent.get(c.grid)!]))
    const perComm = new Map<string, number>()
    for (const c of camComm.values()) perComm.set(c, (perComm.get(c) ?? 0) + 1)
    const status = new Map<string, string>()
    const offline = new Map<string, number>()
    const cutSince = new Map<string, number>()
    const cuts: number[] = []
    const drops = new Map<string, number>()
    const rate: { t: number; online: number }[] = []
    let online = 0
    let next = from + HOUR
    for (const e of events) {
      for (; next <= e.t; next += HOUR) rate.push({ t: next, online: online / status.size })
      const was = status.get(e.id)
      if (was === e.status) {
        // a heartbeat: the same status again, never from an offline camera
        if (e.status === 'offline') throw new Error(`camera ${e.id}: offline again at ${new Date(e.t).toISOString()}`)
        continue
      }
      status.set(e.id, e.status)
      online += (e.status === 'online' ? 1 : 0) - (was === 'online' ? 1 : 0)
      const comm = camComm.get(e.id)!
      const off = (offline.get(comm) ?? 0) + (e.status === 'offline' ? 1 : 0) - (was === 'offline' ? 1 : 0)
      offline.set(comm, off)
      if (e.status === 'offline') drops.set(e.id, (drops.get(e.id) ?? 0) + 1)
      // a power cut: at least half of a community's cameras (10 or more) offline at once
      const n = perComm.get(comm)!
      const out = n >= 10 && off >= 0.5 * n
      if (out && !cutSince.has(comm)) cutSince.set(comm, e.t)
      if (!out && cutSince.has(comm)) {
        cuts.push(e.t - cutSince.get(comm)!)
        cutSince.delete(comm)
      }
    }
    for (; next <= to; next += HOUR) rate.push({ t: next, online: online / status.size })
    expect(status.size).toBe(pack.cameras.length)

    // every community about once in 60 days (more often with more cameras): ~70 in a month, of 1–10 hours
    expect(cuts.length).toBeGreaterThan(35)
    expect(cuts.length).toBeLessThan(120)
    expect(cuts.filter((d) => d >= 50 * MINUTE && d <= 10 * HOUR + 2 * MINUTE).length).toBeGreaterThan(
      0.9 * cuts.length,
    )
    expect(cuts.filter((d) => d >= 3 * HOUR).length).toBeGreaterThan(0.2 * cuts.length)
    // ~97 % online, the same by night as by day (a camera does not sleep)
    const mean = (list: { online: number }[]) => list.reduce((a, b) => a + b.online, 0) / list.length
    expect(mean(rate)).toBeGreaterThan(0.95)
    expect(mean(rate)).toBeLessThan(0.985)
    const night = mean(rate.filter((r) => cstHour(r.t) < 6))
    const day = mean(rate.filter((r) => cstHour(r.t) >= 10 && cstHour(r.t) < 16))
    expect(Math.abs(night - day)).toBeLessThan(0.005)
    // a few flaky cameras drop many times; most cameras not at all or once or twice
    const flaky = [...drops.values()].filter((n) => n >= 20).length
    expect(flaky).toBeGreaterThan(0)
    expect(flaky).toBeLessThan(0.01 * pack.cameras.length)
    expect([...drops.values()].filter((n) => n <= 2).length).toBeGreaterThan(0.8 * drops.size)
  })

  it('has every reachable camera beat every 5 minutes of wall time, from just before the start; offline ones are silent', () => {
    const o = { start: START, caseHistoryMs: 0, disputeHistoryMs: 0, cameraHistoryMs: 2 * DAY }
    const cams = { ...pack, members: [] }
    for (const reportScale of [1, 60]) {
      // stamped as the runner does at SIM_SPEED = reportScale: the wall clock runs slower
      const stamp = (t: number) => (t < START ? t : START + (t - START) / reportScale)
      const sim = new Simulator(cams, { seed: 5, ...o, reportScale, stamp })
      const history = sim.step(START).cameras
      const period = CAMERA_HEARTBEAT_MS * reportScale
      const live = run(sim, START + period / 4, START + 2 * period, period / 4).cameras
      // the last word of each camera before the start, and at the end of the live part
      const last = new Map<string, { status: string; t: number }>()
      for (const c of history) last.set(c.id, { status: c.status, t: Date.parse(c.ts) })
      const reachable = [...last.values()].filter((c) => c.status !== 'offline')
      expect(reachable.length).toBeGreaterThan(0.9 * pack.cameras.length)
      // heard from within one (wall-clock) period before the start, spread over it
      expect(reachable.every((c) => c.t <= START && c.t > START - CAMERA_HEARTBEAT_MS)).toBe(true)
      const early = reachable.filter((c) => c.t < START - CAMERA_HEARTBEAT_MS / 2).length
      expect(early / reachable.length).toBeGreaterThan(0.4)
      expect(early / reachable.length).toBeLessThan(0.6)
      // live: each reachable camera twice in two periods (stamped on the wall clock at any speed)
      const beats = new Map<string, number>()
      const status = new Map([...last].map(([id, c]) => [id, c.status]))
      let offlineBeats = 0
      for (const c of live) {
        if (status.get(c.id) === c.status) {
          if (c.status === 'offline') offlineBeats++
          beats.set(c.id, (beats.get(c.id) ?? 0) + 1)
        }
        status.set(c.id, c.status)
      }
      expect(offlineBeats).toBe(0)
      const steady = [...status].filter(([id, st]) => st !== 'offline' && last.get(id)!.status === st)
      const twice = steady.filter(([id]) => beats.get(id) === 2).length
      expect(twice / steady.length).toBeGreaterThan(0.97)
      const wall = live.map((c) => Date.parse(c.ts))
      expect(Math.max(...wall)).toBeLessThanOrEqual(START + 2 * CAMERA_HEARTBEAT_MS)
    }
  }, 30_000)

  it('makes the same camera history whatever the budget per step; the live part goes on from it', () => {
    const o = { start: START, caseHistoryMs: 0, disputeHistoryMs: 0, cameraHistoryMs: 3 * DAY, reportScale: 60 }
    const cams = { ...pack, members: [] }
    const whole = new Simulator(cams, { seed: 6, ...o })
    const all = whole.step(START).cameras
    const sliced = new Simulator(cams, { seed: 6, ...o, historyItemsPerStep: 1000 })
    const parts: SimBatches['cameras'][] = []
    while (!sliced.historyDone) parts.push(sliced.step(START).cameras)
    expect(parts.length).toBeGreaterThan(5)
    expect(parts.flat()).toEqual(all)
    // no camera's group is cut between two steps
    const cut = parts.slice(1).filter((p, k) => p.length > 0 && p[0]!.id === parts[k]!.at(-1)?.id)
    expect(cut).toEqual([])
    expect(run(sliced, START + HOUR, START + 6 * HOUR, HOUR)).toEqual(run(whole, START + HOUR, START + 6 * HOUR, HOUR))
    expect(new Simulator(cams, { seed: 7, ...o }).step(START).cameras).not.toEqual(all)
  })

  it('moves cases forward through legal transitions only, with a few overdue', () => {
    const sim = new Simulator(eventsOnly, { seed: 9, start: START, disputesPerDay: 0 })
    const all = run(sim, START, START + 45 * DAY, HOUR)
    const cases = new Map<string, { status: string; ts: number }[]>()
    for (const c of all.cases) cases.set(c.id, [...(cases.get(c.id) ?? []), { status: c.status, ts: Date.parse(c.ts) }])
    let dispatchLate = 0
    let resolveLate = 0
    let dispatched = 0
    for (const [id, seq] of cases) {
      expect({ id, flow: seq.map((s) => s.status) }).toEqual({ id, flow: CASE_FLOW.slice(0, seq.length) })
      for (let i = 1; i < seq.length; i++) expect(seq[i]!.ts).toBeGreaterThan(seq[i - 1]!.ts)
      if (seq.length >= 2) {
        dispatched++
        if (seq[1]!.ts - seq[0]!.ts > DISPATCH_DEADLINE_MS) dispatchLate++
      }
      if (seq.length >= 4 && workingTimeBetween(seq[0]!.ts, seq[3]!.ts) > RESOLVE_DEADLINE_WORK_MS) resolveLate++
    }
    expect(dispatched).toBeGreaterThan(5000)
    expect(dispatchLate / dispatched).toBeGreaterThan(0.01)
    expect(dispatchLate / dispatched).toBeLessThan(0.12)
    expect(resolveLate / dispatched).toBeGreaterThan(0.01)
    expect(resolveLate / dispatched).toBeLessThan(0.12)
  })

  it('moves disputes through legal transitions over days, about 93 % resolved', () => {
    const sim = new Simulator(eventsOnly, { seed: 10, start: START, casesPerDay: 0, disputesPerDay: 40 })
    const all = run(sim, START, START + 40 * DAY, 6 * HOUR)

    const disputes = new Map<string, string[]>()
    for (const d of all.disputes) disputes.set(d.id, [...(disputes.get(d.id) ?? []), d.status])
    let resolved = 0
    let finished = 0
    for (const [id, seq] of disputes) {
      const legal = seq.every((st, i) =>
        i === 0 ? st === 'accepted' : DISPUTE_NEXT[seq[i - 1] as keyof typeof DISPUTE_NEXT].includes(st as never),
      )
      expect({ id, seq, legal }).toEqual({ id, seq, legal: true })
      const last = seq[seq.length - 1]!
      if (last === 'resolved' || last === 'unresolved') finished++
      if (last === 'resolved') resolved++
    }
    expect(finished).toBeGreaterThan(500)
    expect(resolved / finished).toBeGreaterThan(0.89)
    expect(resolved / finished).toBeLessThan(0.97)
    expect([...disputes.values()].some((s) => s.includes('escalated'))).toBe(true)
  })

  it('follows the daily rhythm: few cases at night, peaks by day; disputes cluster in hot spots', () => {
    const sim = new Simulator(eventsOnly, { seed: 12, start: START, caseHistoryMs: 0, disputesPerDay: 20 })
    const all = run(sim, START, START + 14 * DAY, HOUR)
    const perHour = new Array<number>(24).fill(0)
    for (const c of all.cases) if (c.status === 'reported') perHour[Math.floor(cstHour(Date.parse(c.ts)))]!++
    const night = perHour.slice(0, 6).reduce((a, b) => a + b, 0) / 6
    const day = perHour.slice(9, 17).reduce((a, b) => a + b, 0) / 8
    expect(night).toBeLessThan(day * 0.2)
    const total = perHour.reduce((a, b) => a + b, 0) / 14
    expect(total).toBeGreaterThan(150)
    expect(total).toBeLessThan(260)

    const hot = new Set(sim.hotSpotCommunities.map((i) => pack.communities[i]!.properties.code))
    const accepted = all.disputes.filter((d) => d.status === 'accepted')
    const inHot = accepted.filter((d) => hot.has(gridParent.get(locator.locate(d.lon, d.lat)!)!)).length
    expect(accepted.length).toBeGreaterThan(20)
    // 5 of 143 communities get about half of the disputes
    expect(inHot / accepted.length).toBeGreaterThan(0.35)
  })

  it('handles cases in the evening and at weekends too, more slowly: no pile of resolutions on Monday morning', () => {
    // four weeks of resolutions, from a history (the same model as the live run)
    const start = Date.parse('2026-11-30T00:00:00+08:00') // a Monday
    const b = new Simulator(eventsOnly, { seed: 21, start, disputesPerDay: 0 }).step(start)
    const perHour = new Map<number, number>() // by hour since the first Monday
    const first = start - 28 * DAY
    for (const c of b.cases) {
      const t = Date.parse(c.ts)
      if (c.status !== 'resolved' || t < first) continue
      const h = Math.floor((t - first) / HOUR)
      perHour.set(h, (perHour.get(h) ?? 0) + 1)
    }
    // weekday 0 = Monday; hours [from, to) of that day, summed over the four weeks
    const sum = (weekday: number, from = 0, to = 24) => {
      let n = 0
      for (let w = 0; w < 4; w++) for (let h = from; h < to; h++) n += perHour.get((w * 7 + weekday) * 24 + h) ?? 0
      return n
    }
    const midweek = (from?: number, to?: number) => [1, 2, 3, 4].reduce((a, d) => a + sum(d, from, to), 0) / 4
    // a weekend day gets about half of a working day's resolutions (not none, left to Monday)
    expect(sum(5) / midweek()).toBeGreaterThan(0.35)
    expect(sum(6) / midweek()).toBeGreaterThan(0.35)
    expect(sum(5) / midweek()).toBeLessThan(0.95)
    // Monday morning works off the weekend's rest, but not at three times a usual morning's pace
    expect(sum(0, 8, 12) / midweek(8, 12)).toBeLessThan(2)
    // and a working day is still busier by day than by night
    expect(midweek(0, 6)).toBeLessThan(0.1 * midweek(8, 18))
  })

  it('runs SIM_SPEED times faster than the wall clock, stamping items on the wall clock', () => {
    const wall = START + 9 * HOUR
    const runner = new SimRunner(eventsOnly, { seed: 1, speed: 60, start: wall })
    // the first tick delivers the history, and simulated time waits at the start
    expect(runner.tick(wall + 60_000).cases.every((c) => Date.parse(c.ts) < wall)).toBe(true)
    expect(runner.sim.now).toBe(wall)
    const b = runner.tick(wall + 60_000)
    expect(runner.sim.now).toBe(wall + HOUR)
    const last = Math.max(...b.cases.map((c) => Date.parse(c.ts)))
    expect(last).toBeLessThanOrEqual(wall + 60_000)
    expect(last).toBeGreaterThan(wall)
  })
})

describe('handling time', () => {
  it('goes on more slowly outside working hours, never finishing later than in working time alone', () => {
    const r = mulberry32(3)
    for (let k = 0; k < 2000; k++) {
      const from = START + r() * 14 * DAY
      const work = r() * 9 * HOUR
      expect(addHandlingTime(from, work)).toBeLessThanOrEqual(addWorkingTime(from, work))
    }
    // in a working period, as working time; on a Saturday morning at 0.4 of that pace
    const wednesday = Date.parse('2026-11-25T09:00:00+08:00')
    expect(addHandlingTime(wednesday, 2 * HOUR)).toBe(wednesday + 2 * HOUR)
    const saturday = Date.parse('2026-11-28T09:00:00+08:00')
    expect(addHandlingTime(saturday, HOUR)).toBeCloseTo(saturday + 2.5 * HOUR, -1)
    // Friday 17:00 + 3 h: not left to Monday
    const friday = Date.parse('2026-11-27T17:00:00+08:00')
    expect(addHandlingTime(friday, 3 * HOUR)).toBeLessThan(friday + 2 * DAY)
    expect(addWorkingTime(friday, 3 * HOUR)).toBeGreaterThan(friday + 2.5 * DAY)
  })
})

describe('demo incidents', () => {
  it('produce every kind of alert input within 6 simulated minutes: SOS, P1, duplicate, late case, escalation, strays, voids, a power cut', () => {
    const start = Date.parse('2026-11-23T10:00:00+08:00')
    const sim = new Simulator(pack, { seed: 1, start, incidents: true })
    const first = sim.step(start)
    const onDutyAt0 = new Set(first.members.filter((m) => m.onDuty).map((m) => m.id))
    const out = sim.step(start + 6 * 60_000)
    expect(out.members.some((m) => m.sos === true)).toBe(true)
    expect(out.cases.some((c) => c.priority === 1 && c.status === 'reported')).toBe(true)
    // back-dated 28 minutes: due for the 30-minute dispatch deadline two minutes later
    expect(out.cases.some((c) => c.status === 'reported' && Date.parse(c.ts) <= start - 20 * 60_000)).toBe(true)
    expect(out.disputes.some((d) => d.status === 'escalated')).toBe(true)
    // someone on duty at the start is reported off duty (a grid left empty)
    expect(out.members.some((m) => m.onDuty === false && onDutyAt0.has(m.id))).toBe(true)
    expect(out.cameras.filter((c) => c.status === 'offline').length).toBeGreaterThan(10)
  })
})

describe('pre-rolled history', () => {
  /** what the KPI engine computes for the 30-day window at `start`, from the items */
  function figures(b: SimBatches, start: number) {
    const cases = new Map<string, { status: string; ts: number }[]>()
    for (const c of b.cases) cases.set(c.id, [...(cases.get(c.id) ?? []), { status: c.status, ts: Date.parse(c.ts) }])
    const disputes = new Map<string, { status: string; ts: number }[]>()
    for (const d of b.disputes)
      disputes.set(d.id, [...(disputes.get(d.id) ?? []), { status: d.status, ts: Date.parse(d.ts) }])
    const from = cstDay(start) - 29
    let n = 0
    let done = 0
    let open = 0
    let openOverdue = 0
    let handlingSum = 0
    for (const seq of cases.values()) {
      const last = seq[seq.length - 1]!.status
      const isDone = last === 'resolved' || last === 'closed'
      if (!isDone) {
        open++
        if (addWorkingTime(seq[0]!.ts, RESOLVE_DEADLINE_WORK_MS) <= start) openOverdue++
      }
      if (cstDay(seq[0]!.ts) < from) continue
      n++
      if (isDone) {
        done++
        handlingSum += seq.find((s) => s.status === 'resolved')!.ts - seq[0]!.ts
      }
    }
    let resolved = 0
    let unresolved = 0
    let openDisputes = 0
    for (const seq of disputes.values()) {
      const last = seq[seq.length - 1]!.status
      if (last !== 'resolved' && last !== 'unresolved') openDisputes++
      if (cstDay(seq[0]!.ts) < from) continue
      if (last === 'resolved') resolved++
      if (last === 'unresolved') unresolved++
    }
    return {
      cases,
      disputes,
      n,
      closure: done / n,
      avgHandlingH: handlingSum / done / HOUR,
      open,
      openOverdue,
      disputeRate: resolved / (resolved + unresolved),
      openDisputes,
    }
  }

  it('gives 30 days of cases and disputes through their lifecycle: closure 90–99 %, a few overdue, a small share open', () => {
    // a Monday before work (the weekend's cases still open) and a Wednesday afternoon
    for (const [seed, at] of [
      [20260402, '2026-11-23T07:30:00+08:00'],
      [5, '2026-11-25T15:00:00+08:00'],
    ] as const) {
      const start = Date.parse(at)
      const b = new Simulator(eventsOnly, { seed, start }).step(start)
      const f = figures(b, start)
      expect(f.closure).toBeGreaterThan(0.9)
      expect(f.closure).toBeLessThan(0.99)
      // ~200 a day, with the daily rhythm: every past day has cases
      expect(f.n / 30).toBeGreaterThan(170)
      expect(f.n / 30).toBeLessThan(230)
      const days = new Set([...f.cases.values()].map((seq) => cstDay(seq[0]!.ts)))
      for (let d = cstDay(start) - 29; d < cstDay(start); d++) expect(days.has(d)).toBe(true)
      // handled within about a working day and a half on average (大武口: 1.5 working days)
      expect(f.avgHandlingH).toBeGreaterThan(6)
      expect(f.avgHandlingH).toBeLessThan(48)
      // still open: a small share, and only a few of those past their deadline
      expect(f.open / f.n).toBeLessThan(0.12)
      expect(f.openOverdue).toBeGreaterThan(0)
      expect(f.openOverdue / f.n).toBeLessThan(0.01)
      // disputes: ~93 % of the finished ones resolved, some still in mediation
      expect(f.disputeRate).toBeGreaterThan(0.85)
      expect(f.disputeRate).toBeLessThan(1)
      expect(f.openDisputes).toBeGreaterThan(5)
      // all in the past, each case's and dispute's items together and in lifecycle order
      for (const kind of ['cases', 'disputes'] as const) {
        expect(b[kind].every((it) => Date.parse(it.ts) < start)).toBe(true)
        const firsts = b[kind].filter((it, k, all) => k === 0 || all[k - 1]!.id !== it.id).map((it) => it.id)
        expect(new Set(firsts).size).toBe(firsts.length)
      }
      for (const [id, seq] of f.cases) {
        expect({ id, flow: seq.map((s) => s.status) }).toEqual({ id, flow: CASE_FLOW.slice(0, seq.length) })
      }
    }
  })

  it('is the same history whatever the budget per step, deterministic for a seed; time waits until it is out', () => {
    const start = Date.parse('2026-11-24T09:00:00+08:00')
    const whole = new Simulator(eventsOnly, { seed: 3, start }).step(start + MINUTE)
    expect(new Simulator(eventsOnly, { seed: 3, start }).step(start + MINUTE)).toEqual(whole)
    expect(new Simulator(eventsOnly, { seed: 4, start }).step(start + MINUTE).cases).not.toEqual(whole.cases)

    const sliced = new Simulator(eventsOnly, { seed: 3, start, historyItemsPerStep: 5000 })
    const all: SimBatches = { cameras: [], members: [], cases: [], disputes: [] }
    const waiting: { now: number; past: boolean }[] = []
    let largest = 0
    while (!sliced.historyDone) {
      const b = sliced.step(start + MINUTE)
      largest = Math.max(largest, b.cases.length + b.disputes.length)
      if (!sliced.historyDone) waiting.push({ now: sliced.now, past: b.cases.every((c) => Date.parse(c.ts) < start) })
      all.cases.push(...b.cases)
      all.disputes.push(...b.disputes)
    }
    const steps = waiting.length + 1
    // within budget (a step may finish the case it is on, and the last one flushes the open ones)
    expect(largest).toBeLessThan(5000 + 5000)
    expect(waiting.every((w) => w.now === start && w.past)).toBe(true)
    expect(steps).toBeGreaterThan(4)
    expect(all.cases).toEqual(whole.cases)
    expect(all.disputes).toEqual(whole.disputes)
    expect(sliced.now).toBe(start + MINUTE)
  })

  it('history stamps keep their real instants at any speed; chunks never split one entity', () => {
    const wall = Date.parse('2026-11-24T09:00:00+08:00')
    const runner = new SimRunner(eventsOnly, { seed: 1, speed: 60, start: wall })
    const b = runner.tick(wall)
    const first = Math.min(...b.cases.map((c) => Date.parse(c.ts)))
    expect(wall - first).toBeGreaterThan(32 * DAY)
    for (const size of [1, 7, 1000]) {
      const parts = [...chunks(b.cases, size)]
      expect(parts.flat()).toEqual(b.cases)
      for (let k = 1; k < parts.length; k++) expect(parts[k]![0]!.id).not.toBe(parts[k - 1]!.at(-1)!.id)
      expect(Math.max(...parts.map((p) => p.length))).toBeLessThanOrEqual(size + CASE_FLOW.length)
    }
  })
})
