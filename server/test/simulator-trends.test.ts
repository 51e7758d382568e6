/**
 * The 24-hour trend of a fresh start on a Monday morning: the resolutions of the weekend are there,
 * and the current hour is no spike. (Cases used to be handled in working time only: everything
 * reported after Friday 17:30 was resolved on Monday from 08:30, ~120 an hour after a weekend of
 * none — the trend's right end towered over the rest of the line.)
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { buildApp } from '../src/app.ts'
import { injectAs, testConfig, wallToken } from './helpers.ts'

// 10:40 on a Monday, China Standard Time
const MONDAY = Date.parse('2026-11-30T10:40:00+08:00')
const HOUR = 3_600_000

describe('a fresh start on a Monday morning', () => {
  let app: Awaited<ReturnType<typeof buildApp>>
  beforeAll(async () => {
    // only Date is faked (timers, the database's threads and sockets run as they do)
    vi.useFakeTimers({ toFake: ['Date'], now: MONDAY, shouldAdvanceTime: true })
    app = await buildApp(testConfig({ SIMULATOR: 'on', SIM_SEED: '20260402' }))
  }, 60_000)
  afterAll(async () => {
    await app?.close()
    vi.useRealTimers()
  })

  it("shows the weekend's resolutions and no spike at the trend's right end", async () => {
    const res = await injectAs(app, await wallToken(app))('/api/v1/stats/trends?span=24h')
    expect(res.statusCode).toBe(200)
    const buckets = (res.json() as { buckets: { start: string; casesResolved: number }[] }).buckets
    expect(buckets).toHaveLength(24)
    const last = buckets.at(-1)!
    expect(Date.parse(last.start)).toBe(Date.parse('2026-11-30T10:00:00+08:00'))
    // the current hour, at the pace it has gone so far, against the full hours before it
    const pace = last.casesResolved / ((Date.now() - Date.parse(last.start)) / HOUR)
    const full = buckets.slice(0, -1).map((b) => b.casesResolved)
    const mean = full.reduce((a, b) => a + b, 0) / full.length
    // (~2.7 times the mean of the day before, the daily rhythm's morning peak; it was ~19 times)
    expect(pace).toBeLessThan(4 * mean)
    // Sunday 11:00–18:00: cases are resolved at the weekend too
    const sunday = buckets.slice(0, 7)
    expect(sunday.filter((b) => b.casesResolved > 0).length).toBeGreaterThanOrEqual(5)
  })
})
