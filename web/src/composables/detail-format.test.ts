import { describe, expect, it } from 'vitest'
import {
  caseElapsedMs,
  caseLifecycle,
  dispatchLate,
  durationParts,
  haversineM,
  statusSegments,
  statusShare,
  timedEvents,
  trackPath,
} from './detail-format.ts'

const T0 = Date.parse('2026-11-22T01:00:00Z')
const iso = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString()
const MIN = 60_000

describe('caseLifecycle', () => {
  it('gives each passed stage its entry time and how long it lasted, the current one until now', () => {
    const steps = caseLifecycle(
      { status: 'handling', reportedAt: iso(0) },
      [
        { status: 'handling', ts: iso(50) },
        { status: 'reported', ts: iso(0) },
        { status: 'dispatched', ts: iso(20) },
      ],
      T0 + 90 * MIN,
    )
    expect(steps.map((s) => [s.stage, s.state, s.at === null ? null : (s.at - T0) / MIN, s.durationMs])).toEqual([
      ['reported', 'done', 0, 20 * MIN],
      ['dispatched', 'done', 20, 30 * MIN],
      ['handling', 'current', 50, 40 * MIN],
      ['resolved', 'pending', null, null],
      ['closed', 'pending', null, null],
    ])
    expect(caseElapsedMs(steps, T0 + 90 * MIN)).toBe(90 * MIN)
  })

  it('marks stages passed without a record as skipped and measures across them', () => {
    const steps = caseLifecycle(
      { status: 'closed', reportedAt: iso(0) },
      [
        { status: 'reported', ts: iso(0) },
        { status: 'resolved', ts: iso(100) },
        { status: 'closed', ts: iso(130) },
      ],
      T0 + 999 * MIN,
    )
    expect(steps.map((s) => s.state)).toEqual(['done', 'skipped', 'skipped', 'done', 'current'])
    expect(steps[0]!.durationMs).toBe(100 * MIN)
    expect(steps[3]!.durationMs).toBe(30 * MIN)
    // closed: nothing runs any more
    expect(steps[4]!.durationMs).toBeNull()
    expect(caseElapsedMs(steps, T0 + 999 * MIN)).toBe(130 * MIN)
  })

  it('takes the report time when the history has no reported event, and the first entry of a stage', () => {
    const steps = caseLifecycle(
      { status: 'dispatched', reportedAt: iso(5) },
      [
        { status: 'dispatched', ts: iso(10) },
        { status: 'dispatched', ts: iso(12) },
      ],
      T0 + 15 * MIN,
    )
    expect(steps[0]).toMatchObject({ state: 'done', at: T0 + 5 * MIN, durationMs: 5 * MIN })
    expect(steps[1]).toMatchObject({ state: 'current', at: T0 + 10 * MIN, durationMs: 5 * MIN })
  })

  it('tells a late dispatch, an overdue wait for one, and one in time apart', () => {
    const sla = 30 * MIN
    const waiting = caseLifecycle({ status: 'reported', reportedAt: iso(0) }, [], T0 + 45 * MIN)
    expect(dispatchLate(waiting, T0 + 45 * MIN, sla)).toBe(true)
    expect(dispatchLate(waiting, T0 + 25 * MIN, sla)).toBe(false)
    const late = caseLifecycle(
      { status: 'handling', reportedAt: iso(0) },
      [{ status: 'dispatched', ts: iso(40) }],
      T0 + 60 * MIN,
    )
    expect(dispatchLate(late, T0 + 60 * MIN, sla)).toBe(true)
    const inTime = caseLifecycle(
      { status: 'handling', reportedAt: iso(0) },
      [{ status: 'dispatched', ts: iso(10) }],
      T0 + 600 * MIN,
    )
    expect(dispatchLate(inTime, T0 + 600 * MIN, sla)).toBe(false)
  })
})

describe('statusSegments', () => {
  const history = [
    { status: 'online', ts: iso(-100) },
    { status: 'offline', ts: iso(30) },
    { status: 'offline', ts: iso(40) },
    { status: 'online', ts: iso(60) },
    { status: 'fault', ts: iso(500) },
  ]

  it('covers the window from the status in force at its start, merging repeats', () => {
    const segs = statusSegments(history, T0, T0 + 120 * MIN)
    expect(segs.map((s) => [s.status, (s.start - T0) / MIN, (s.end - T0) / MIN])).toEqual([
      ['online', 0, 30],
      ['offline', 30, 60],
      ['online', 60, 120],
    ])
    expect(statusShare(segs, 'online')).toBeCloseTo(90 / 120, 9)
  })

  it('is unknown before the first event and leaves it out of the share', () => {
    const segs = statusSegments(history, T0 - 200 * MIN, T0 - 50 * MIN)
    expect(segs.map((s) => s.status)).toEqual(['unknown', 'online'])
    expect(statusShare(segs, 'online')).toBe(1)
    expect(statusShare(statusSegments([], T0, T0 + MIN), 'online')).toBeNull()
    expect(statusSegments(history, T0, T0)).toEqual([])
  })
})

describe('durations and tracks', () => {
  it('words a duration in at most two units', () => {
    expect(durationParts(-5)).toEqual({ unit: 's', n: 0, m: 0 })
    expect(durationParts(59_999)).toEqual({ unit: 's', n: 59, m: 0 })
    expect(durationParts(12 * MIN + 30_000)).toEqual({ unit: 'm', n: 12, m: 0 })
    expect(durationParts(185 * MIN)).toEqual({ unit: 'hm', n: 3, m: 5 })
    expect(durationParts((2 * 24 + 4) * 60 * MIN + 59 * MIN)).toEqual({ unit: 'dh', n: 2, m: 4 })
  })

  it('orders the fixes, drops unreadable ones and measures the path', () => {
    const t = trackPath([
      { ts: iso(2), lon: 120.01, lat: 30 },
      { ts: iso(0), lon: 120, lat: 30 },
      { ts: 'not a time', lon: 121, lat: 31 },
      { ts: iso(1), lon: 120.005, lat: 30 },
    ])
    expect(t.path).toEqual([
      [120, 30],
      [120.005, 30],
      [120.01, 30],
    ])
    expect(t.from).toBe(T0)
    expect(t.to).toBe(T0 + 2 * MIN)
    // 0.01° of longitude at 30° N is about 963 m
    expect(t.lengthM).toBeGreaterThan(955)
    expect(t.lengthM).toBeLessThan(970)
    expect(t.lengthM).toBeCloseTo(haversineM([120, 30], [120.01, 30]), 6)
    expect(trackPath([])).toEqual({ path: [], lengthM: 0, from: null, to: null })
  })

  it('sorts history events and skips bad times', () => {
    expect(
      timedEvents([
        { status: 'b', ts: iso(2) },
        { status: 'x', ts: 'bad' },
        { status: 'a', ts: iso(1) },
      ]).map((e) => e.status),
    ).toEqual(['a', 'b'])
  })
})
