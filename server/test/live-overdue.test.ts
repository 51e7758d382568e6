/**
 * Overdue cases on /live: the server tells the screens which cases are past a deadline in the
 * cases' `flags` column (CASE_FLAGS), from the KPI engine's own calendar and SLAs. A case passes
 * its resolve deadline with time alone — no ingest — and the next delta carries its row with the
 * bit set (and the figures that count it); resolving it clears the bit. Snapshots carry the bits.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CASE_FLAGS, KPI_FIELDS, type LiveDelta } from '@gridsight/shared'
import { loadKpiConfig } from '../src/kpi/config.ts'
import { startServer } from './helpers.ts'
import { followLive, until, type LiveClient } from './live-client.ts'

const KEY = 'test-key-0123456789abcdef'
const DAY = 86_400_000
const iso = (ms: number) => new Date(ms).toISOString()

/** Every day a working day, so that one working day is exactly 24 h from the report. */
function kpiConfigFile(): string {
  const cfg = loadKpiConfig()
  cfg.caseSla = { default: { dispatchMinutes: 30, resolveWorkingDays: 1 }, byType: {} }
  cfg.calendar = { weekend: [], holidays: [], workdays: [] }
  const file = join(mkdtempSync(join(tmpdir(), 'gridsight-kpi-')), 'kpi.json')
  writeFileSync(file, JSON.stringify(cfg))
  return file
}

describe('overdue cases on /live', () => {
  let server: Awaited<ReturnType<typeof startServer>>
  const clients: LiveClient[] = []
  const ingest = (items: unknown[]) =>
    server.app.inject({
      method: 'POST',
      url: '/api/v1/ingest/cases',
      headers: { authorization: `Bearer ${KEY}` },
      payload: { items },
    })
  const lon = 120.76
  const lat = 30.75

  beforeAll(async () => {
    server = await startServer({ TICK_MS: '50', KPI_CONFIG: kpiConfigFile() })
  })
  afterAll(async () => {
    for (const c of clients) c.close()
    await server.app.close()
  })

  it('a case passing its resolve deadline with time alone is sent with the flag; resolving clears it', async () => {
    const now = Date.now()
    // resolve deadline (24 h after the report) 2.5 s from now; dispatched, so the dispatch deadline is not in play
    const resolveSoon = now - DAY + 2_500
    const res = await ingest([
      { id: 'k-resolve', type: '治安', status: 'dispatched', lon, lat, ts: iso(resolveSoon) },
      { id: 'k-waiting', type: '治安', status: 'reported', lon, lat, ts: iso(now - 31 * 60_000) },
      { id: 'k-fresh', type: '治安', status: 'reported', lon, lat, ts: iso(now) },
    ])
    expect(res.json()).toEqual({ accepted: 3, rejected: [] })
    const street = server.app.region.locator.locate(lon, lat)!.slice(0, 9)

    const region = followLive(server.url, server.token)
    const scoped = followLive(server.url, server.token, { scope: street })
    clients.push(region, scoped)
    await until(() => region.snapshots.length > 0 && scoped.snapshots.length > 0, 5_000, 'the snapshots')

    // the snapshot carries the bits: one case already waits too long for dispatch
    for (const { mirror } of [region, scoped]) {
      const cases = mirror.tables.cases
      expect(cases.flagged).toBe(true)
      expect(cases.flags[cases.row('k-waiting')!]).toBe(CASE_FLAGS.dispatchOverdue)
      expect(cases.flags[cases.row('k-resolve')!]).toBe(0)
      expect(cases.flags[cases.row('k-fresh')!]).toBe(0)
    }
    expect(Date.now()).toBeLessThan(resolveSoon + DAY)

    // time passes, nothing is ingested: a delta flips the flag of k-resolve, in both streams
    for (const client of [region, scoped]) {
      const cases = client.mirror.tables.cases
      const row = cases.row('k-resolve')!
      await until(() => cases.flags[row] === CASE_FLAGS.resolveOverdue, 8_000, 'the resolve flag')
      expect(Date.now()).toBeGreaterThanOrEqual(resolveSoon + DAY)
      expect(client.mirror.statusOf('cases', 'k-resolve')).toBe('dispatched')
      const flipped = client.deltas.find((d) => flagOf(d, row) === CASE_FLAGS.resolveOverdue)!
      expect(flipped).toBeDefined()
      // the figures that count it come in the same delta
      const k = KPI_FIELDS.indexOf('cases.overdueResolve')
      expect(flipped.kpis?.units[client.mirror.scope!]?.[k]).toBe(1)
      expect(client.mirror.kpi(client.mirror.scope!, 'cases.overdue')).toBe(2)
    }
    expect(region.gaps + scoped.gaps).toBe(0)

    // resolving clears it; dispatching the waiting case clears its dispatch bit
    const later = Date.now()
    await ingest([
      { id: 'k-resolve', type: '治安', status: 'resolved', lon, lat, ts: iso(later) },
      { id: 'k-waiting', type: '治安', status: 'dispatched', lon, lat, ts: iso(later) },
    ])
    for (const { mirror } of [region, scoped]) {
      const cases = mirror.tables.cases
      await until(() => mirror.statusOf('cases', 'k-resolve') === 'resolved', 5_000, 'the resolution')
      expect(cases.flags[cases.row('k-resolve')!]).toBe(0)
      await until(() => mirror.statusOf('cases', 'k-waiting') === 'dispatched', 5_000, 'the dispatch')
      expect(cases.flags[cases.row('k-waiting')!]).toBe(0)
      expect(mirror.kpi(mirror.scope!, 'cases.overdue')).toBe(0)
    }

    // a screen that connects now gets no bits
    const late = followLive(server.url, server.token)
    clients.push(late)
    await until(() => late.snapshots.length > 0, 5_000, 'the late snapshot')
    const cases = late.mirror.tables.cases
    expect([...cases.flags.subarray(0, cases.count)]).toEqual([0, 0, 0])
  })
})

/** The flags a delta carries for one row of the cases table, or undefined when it does not carry the row. */
function flagOf(d: LiveDelta, row: number): number | undefined {
  const c = d.tables.cases
  if (!c?.flags) return undefined
  const idx = new Uint32Array(new Uint8Array(c.idx as Uint8Array).buffer)
  const flags = new Uint8Array(c.flags as Uint8Array)
  const k = idx.indexOf(row)
  return k < 0 ? undefined : flags[k]
}
