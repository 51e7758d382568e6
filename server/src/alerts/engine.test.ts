import { describe, expect, it } from 'vitest'
import type { StoredChange } from '../db/index.ts'
import { camera, caseRow, COMM, dispute, empty, G1, G2, makeEngine, member, MINUTE, T0 } from './test-fixtures.ts'

const cam = (row: ReturnType<typeof camera>) => ({
  change: { kind: 'camera', row, statusChanged: true } as StoredChange,
})
const mem = (row: ReturnType<typeof member>) => ({ change: { kind: 'member', row } as StoredChange })
const cas = (row: ReturnType<typeof caseRow>) => ({
  change: { kind: 'case', row, statusChanged: true } as StoredChange,
})
const dis = (row: ReturnType<typeof dispute>) => ({
  change: { kind: 'dispute', row, statusChanged: true } as StoredChange,
})

describe('camera rules', () => {
  it('a camera offline for 10 minutes raises once, not at 9:59, and resolves itself when back online', () => {
    const { engine, open, raised, transitions } = makeEngine()
    engine.start({ ...empty, cameras: [camera('c1', 'online', T0 - MINUTE)] }, T0)
    engine.apply([cam(camera('c1', 'offline', T0))], T0)
    engine.advance(T0 + 10 * MINUTE - 1)
    expect(raised('cameraOffline')).toHaveLength(0)
    engine.advance(T0 + 10 * MINUTE)
    expect(raised('cameraOffline')).toHaveLength(1)
    engine.advance(T0 + 30 * MINUTE)
    expect(raised('cameraOffline')).toHaveLength(1)
    expect(open()[0]).toMatchObject({ rule: 'cameraOffline', subject: { kind: 'camera', id: 'c1' }, unitCode: G1 })
    engine.apply([cam(camera('c1', 'online', T0 + 31 * MINUTE))], T0 + 31 * MINUTE)
    expect(open()).toHaveLength(0)
    expect(transitions.at(-1)).toMatchObject({
      action: 'auto-resolved',
      alert: { state: 'resolved', resolvedBy: null },
    })
  })

  it('a camera back online after 9 minutes raises nothing; faults are not "offline" by default', () => {
    const { engine, transitions } = makeEngine()
    engine.start({ ...empty, cameras: [camera('c1', 'online', T0 - MINUTE), camera('c2', 'online', T0)] }, T0)
    engine.apply([cam(camera('c1', 'offline', T0)), cam(camera('c2', 'fault', T0))], T0)
    engine.apply([cam(camera('c1', 'online', T0 + 9 * MINUTE))], T0 + 9 * MINUTE)
    engine.advance(T0 + 60 * MINUTE)
    expect(transitions).toHaveLength(0)
  })

  it('50 cameras of a community going dark raise ONE cluster outage alert, not 50 camera alerts', () => {
    const { engine, open, raised } = makeEngine()
    const cams = Array.from({ length: 50 }, (_, i) => camera(`c${i}`, 'online', T0 - MINUTE, i % 2 ? G1 : G2))
    engine.start({ ...empty, cameras: cams }, T0)
    engine.apply(
      cams.map((c) => cam({ ...c, status: 'offline', ts: T0 })),
      T0,
    )
    engine.advance(T0 + 60 * MINUTE)
    expect(raised('clusterOutage')).toHaveLength(1)
    expect(raised('cameraOffline')).toHaveLength(0)
    expect(open().filter((a) => a.rule === 'clusterOutage')).toMatchObject([
      { unitCode: COMM, subject: { kind: 'unit', id: COMM } },
    ])
    expect(open().find((a) => a.rule === 'clusterOutage')!.message.en).toContain('50 of 50')
    // power back: the outage resolves, and no camera alert is left behind
    engine.apply(
      cams.map((c) => cam({ ...c, status: 'online', ts: T0 + 61 * MINUTE })),
      T0 + 61 * MINUTE,
    )
    expect(open().filter((a) => a.rule !== 'gridBelowDensity')).toHaveLength(0)
  })

  it('cluster threshold: 29 % of a unit offline is no outage, 30 % is; a grid of the community alone is its own', () => {
    const { engine, open } = makeEngine()
    // G1: 100 cameras, G2: 100 cameras; community 200
    const cams = Array.from({ length: 200 }, (_, i) => camera(`c${i}`, 'online', T0 - MINUTE, i < 100 ? G1 : G2))
    engine.start({ ...empty, cameras: cams }, T0)
    engine.apply(
      cams.slice(0, 29).map((c) => cam({ ...c, status: 'offline', ts: T0 })),
      T0,
    )
    expect(open().filter((a) => a.rule === 'clusterOutage')).toHaveLength(0)
    engine.apply([cam({ ...cams[29]!, status: 'offline', ts: T0 })], T0)
    // 30 of G1's 100: the grid is out; the community (30 of 200 = 15 %) is not
    expect(
      open()
        .filter((a) => a.rule === 'clusterOutage')
        .map((a) => a.subject.id),
    ).toEqual([G1])
    // then the community passes 30 %: one alert for it, the grid's folds into it
    engine.apply(
      cams.slice(100, 130).map((c) => cam({ ...c, status: 'offline', ts: T0 })),
      T0,
    )
    expect(
      open()
        .filter((a) => a.rule === 'clusterOutage')
        .map((a) => a.subject.id),
    ).toEqual([COMM])
  })

  it('a grid meeting its standard that falls below it by online cameras alerts after 10 minutes', () => {
    const { engine, open } = makeEngine()
    // G2 is 1 km² urban: 70 cameras meet the 70/km² standard exactly
    const cams = Array.from({ length: 70 }, (_, i) => camera(`c${i}`, 'online', T0 - MINUTE, G2))
    engine.start({ ...empty, cameras: cams }, T0)
    engine.apply([cam({ ...cams[0]!, status: 'fault', ts: T0 })], T0)
    engine.advance(T0 + 10 * MINUTE - 1)
    expect(open().filter((a) => a.rule === 'gridBelowDensity')).toHaveLength(0)
    engine.advance(T0 + 10 * MINUTE)
    expect(
      open()
        .filter((a) => a.rule === 'gridBelowDensity')
        .map((a) => a.subject.id),
    ).toEqual([G2])
    engine.apply([cam({ ...cams[0]!, status: 'online', ts: T0 + 11 * MINUTE })], T0 + 11 * MINUTE)
    expect(open()).toHaveLength(0)
  })

  it('a grid below its standard anyway (69 cameras) never alerts for density', () => {
    const { engine, open } = makeEngine()
    const cams = Array.from({ length: 69 }, (_, i) => camera(`c${i}`, 'online', T0 - MINUTE, G2))
    engine.start({ ...empty, cameras: cams }, T0)
    engine.apply([cam({ ...cams[0]!, status: 'fault', ts: T0 })], T0)
    engine.advance(T0 + 60 * MINUTE)
    expect(open()).toHaveLength(0)
  })
})

describe('case rules', () => {
  it('not dispatched within 30 minutes: due at exactly 30 min, cleared by dispatch', () => {
    const { engine, open, raised } = makeEngine()
    engine.start(empty, T0)
    engine.apply([cas(caseRow('k1', 'reported', T0))], T0)
    engine.advance(T0 + 30 * MINUTE - 1)
    expect(raised('caseNotDispatched')).toHaveLength(0)
    engine.advance(T0 + 30 * MINUTE)
    expect(raised('caseNotDispatched')).toHaveLength(1)
    engine.apply([cas(caseRow('k1', 'dispatched', T0 + 31 * MINUTE, { reportedAt: T0 }))], T0 + 31 * MINUTE)
    expect(open()).toHaveLength(0)
  })

  it('not resolved within 1.5 working days (the KPI calendar: a weekend does not count)', () => {
    const { engine, raised } = makeEngine()
    // Friday 2026-11-27 10:00 + 1.5 working days = Monday 22:00
    const fri = Date.parse('2026-11-27T10:00:00+08:00')
    const due = Date.parse('2026-11-30T22:00:00+08:00')
    engine.start(empty, fri)
    engine.apply([cas(caseRow('k1', 'dispatched', fri, { reportedAt: fri }))], fri)
    engine.advance(due - 1)
    expect(raised('caseNotResolved')).toHaveLength(0)
    engine.advance(due)
    expect(raised('caseNotResolved')).toHaveLength(1)
  })

  it('a priority-1 case raises a P1 alert at once; a P2 does not; dispatch clears it', () => {
    const { engine, open } = makeEngine()
    engine.start(empty, T0)
    engine.apply(
      [
        cas(caseRow('k2', 'reported', T0, { priority: 2, lon: 120.45 })),
        cas(caseRow('k1', 'reported', T0, { priority: 1 })),
      ],
      T0,
    )
    expect(open().map((a) => [a.rule, a.subject.id, a.severity])).toEqual([['caseP1', 'k1', 'P1']])
    engine.apply([cas(caseRow('k1', 'dispatched', T0 + MINUTE, { priority: 1, reportedAt: T0 }))], T0 + MINUTE)
    expect(open()).toHaveLength(0)
  })

  it('repeated reports within 50 m and 24 h of an open case: one alert on the original, with a count', () => {
    const { engine, open, raised } = makeEngine()
    engine.start(empty, T0)
    engine.apply([cas(caseRow('k1', 'reported', T0))], T0)
    // ~45 m north, 2 h later: a duplicate
    const dLat = 45 / 111_320
    engine.apply([cas(caseRow('k2', 'reported', T0 + 120 * MINUTE, { lat: 30.5 + dLat }))], T0 + 120 * MINUTE)
    // ~55 m: not a duplicate
    engine.apply([cas(caseRow('k3', 'reported', T0 + 121 * MINUTE, { lat: 30.5 - 55 / 111_320 }))], T0 + 121 * MINUTE)
    // within 50 m of k1 and k2 but more than 24 h after both: not a duplicate
    engine.apply([cas(caseRow('k4', 'reported', T0 + 27 * 60 * MINUTE, { lon: 120.4 + 1e-5 }))], T0 + 27 * 60 * MINUTE)
    expect(raised('caseDuplicate')).toHaveLength(1)
    engine.apply([cas(caseRow('k5', 'reported', T0 + 122 * MINUTE, { lon: 120.4 + 2e-4 }))], T0 + 122 * MINUTE)
    const dup = open().filter((a) => a.rule === 'caseDuplicate')
    expect(dup).toMatchObject([{ subject: { id: 'k1' }, count: 2 }])
    // the original is closed: the question is moot
    engine.apply([cas(caseRow('k1', 'closed', T0 + 28 * 60 * MINUTE, { reportedAt: T0 }))], T0 + 28 * 60 * MINUTE)
    expect(open().filter((a) => a.rule === 'caseDuplicate')).toHaveLength(0)
  })
})

describe('dispute rules', () => {
  it('escalated (督办) raises; back to mediating resolves', () => {
    const { engine, open } = makeEngine()
    engine.start(empty, T0)
    engine.apply([dis(dispute('d1', 'mediating', T0))], T0)
    expect(open()).toHaveLength(0)
    engine.apply([dis(dispute('d1', 'escalated', T0 + MINUTE, T0))], T0 + MINUTE)
    expect(open().map((a) => a.rule)).toEqual(['disputeEscalated'])
    engine.apply([dis(dispute('d1', 'mediating', T0 + 2 * MINUTE, T0))], T0 + 2 * MINUTE)
    expect(open()).toHaveLength(0)
  })

  it('open longer than 30 days: due at exactly 30 days after acceptance', () => {
    const { engine, raised } = makeEngine()
    const acc = T0 - 30 * 86_400_000
    engine.start({ ...empty, disputes: [dispute('d1', 'mediating', T0 - MINUTE, acc + 1)] }, T0)
    expect(raised('disputeOpenLong')).toHaveLength(0)
    engine.advance(T0 + 1)
    expect(raised('disputeOpenLong')).toHaveLength(1)
  })
})

describe('member rules', () => {
  it('SOS raises a P1 at once and resolves when the device clears it', () => {
    const { engine, open } = makeEngine()
    engine.start({ ...empty, members: [member('m1', T0 - MINUTE)] }, T0)
    engine.apply([mem(member('m1', T0, { sos: true }))], T0)
    expect(open()).toMatchObject([{ rule: 'memberSos', severity: 'P1', subject: { kind: 'member', id: 'm1' } }])
    engine.apply([mem(member('m1', T0 + 5000, { sos: false }))], T0 + 5000)
    expect(open()).toHaveLength(0)
  })

  it('silent for 10 minutes while on duty raises; off duty does not; the next report resolves', () => {
    const { engine, open, raised } = makeEngine()
    engine.start({ ...empty, members: [member('m1', T0), member('m2', T0, { onDuty: false })] }, T0)
    engine.advance(T0 + 10 * MINUTE - 1)
    expect(raised('memberSilent')).toHaveLength(0)
    engine.advance(T0 + 10 * MINUTE)
    expect(open().map((a) => [a.rule, a.subject.id])).toEqual([['memberSilent', 'm1']])
    engine.apply([mem(member('m1', T0 + 11 * MINUTE))], T0 + 11 * MINUTE)
    expect(open()).toHaveLength(0)
  })

  it('outside the own grid for 15 minutes raises (roles: grid members, not police)', () => {
    const { engine, open } = makeEngine()
    engine.start(
      {
        ...empty,
        members: [
          member('m1', T0),
          member('p1', T0, { role: 'police' }),
          member('m2', T0, { gridCode: G2, lon: 120.6 }),
        ],
      },
      T0,
    )
    for (let t = T0 + 5000; t <= T0 + 16 * MINUTE; t += 60_000) {
      engine.apply(
        [
          mem(member('m1', t, { lon: 120.6 })),
          mem(member('p1', t, { role: 'police', lon: 120.6 })),
          mem(member('m2', t, { gridCode: G2, lon: 120.6 })),
        ],
        t,
      )
      // first seen outside at T0 + 5 s: due at T0 + 5 s + 15 min
      expect(open()).toHaveLength(t < T0 + 5000 + 15 * MINUTE ? 0 : 1)
    }
    expect(open().map((a) => [a.rule, a.subject.id])).toEqual([['memberOutsideGrid', 'm1']])
    engine.apply([mem(member('m1', T0 + 17 * MINUTE))], T0 + 17 * MINUTE)
    expect(open()).toHaveLength(0)
  })

  it('coverage void: a grid with members but none on duty in duty hours, after 10 minutes; never at night', () => {
    const { engine, open } = makeEngine()
    engine.start({ ...empty, members: [member('m1', T0)] }, T0)
    engine.apply([mem(member('m1', T0 + MINUTE, { onDuty: false }))], T0 + MINUTE)
    engine.advance(T0 + 11 * MINUTE - 1)
    expect(open()).toHaveLength(0)
    engine.advance(T0 + 11 * MINUTE)
    expect(open().map((a) => [a.rule, a.subject.id])).toEqual([['coverageVoid', G1]])
    // 17:00, the end of duty hours, resolves it
    engine.advance(Date.parse('2026-11-23T17:00:00+08:00'))
    expect(open()).toHaveLength(0)
    // the next morning it is void again from 08:30 + 10 min
    engine.advance(Date.parse('2026-11-24T08:39:59+08:00'))
    expect(open()).toHaveLength(0)
    engine.advance(Date.parse('2026-11-24T08:40:00+08:00'))
    expect(open().map((a) => a.rule)).toEqual(['coverageVoid'])
  })
})

describe('lifecycle', () => {
  it('acknowledge then auto-resolve; a manual resolve is not raised again until the condition clears', () => {
    const { engine, book, open, raised } = makeEngine()
    engine.start({ ...empty, members: [member('m1', T0 - MINUTE)] }, T0)
    engine.apply([mem(member('m1', T0, { sos: true }))], T0)
    const a = open()[0]!
    book.acknowledge(a.id, '张三', '10.0.0.1', null, T0 + 1000)
    expect(open()[0]).toMatchObject({ state: 'acknowledged', ackBy: '张三', ackAt: T0 + 1000 })
    book.resolve(a.id, '张三', '10.0.0.1', '已联系', T0 + 2000)
    engine.apply([mem(member('m1', T0 + 5000, { sos: true }))], T0 + 5000)
    expect(raised('memberSos')).toHaveLength(1)
    engine.apply([mem(member('m1', T0 + 10_000, { sos: false }))], T0 + 10_000)
    engine.apply([mem(member('m1', T0 + 15_000, { sos: true }))], T0 + 15_000)
    expect(raised('memberSos')).toHaveLength(2)
  })

  it('a disabled rule raises nothing', () => {
    const { engine, open } = makeEngine((r) => (r.memberSos.enabled = false))
    engine.start({ ...empty, members: [member('m1', T0 - MINUTE)] }, T0)
    engine.apply([mem(member('m1', T0, { sos: true }))], T0)
    expect(open()).toHaveLength(0)
  })

  it('at start, open alerts whose condition cleared while the server was down are resolved', () => {
    const first = makeEngine()
    first.engine.start({ ...empty, members: [member('m1', T0 - MINUTE)] }, T0)
    first.engine.apply([mem(member('m1', T0, { sos: true }))], T0)
    const saved = first.open()
    const second = makeEngine()
    second.book.load(structuredClone(saved))
    second.engine.start({ ...empty, members: [member('m1', T0 + MINUTE, { sos: false })] }, T0 + MINUTE)
    expect(second.open()).toHaveLength(0)
    expect(second.transitions.map((t) => t.action)).toEqual(['auto-resolved'])
  })
})
