/**
 * The simulator's pre-rolled history (~30 days of cameras, cases and disputes) belongs to a first
 * start: restarting on the same database continues, it does not pile a second backlog on top of
 * the first — and a restart before the history was all sent sends the rest of it, once.
 */
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import type { IngestKind } from '@gridsight/shared'
import { buildApp } from '../src/app.ts'
import { SQLITE_FILE } from '../src/db/index.ts'
import { loadSimPack } from '../src/simulator/pack.ts'
import { SimulatorStateStore, type PrerollRecord } from '../src/simulator/progress.ts'
import { SimRunner } from '../src/simulator/runner.ts'
import { testConfig } from './helpers.ts'

async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 60_000): Promise<void> {
  const end = Date.now() + ms
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

async function accepted(app: Awaited<ReturnType<typeof buildApp>>, kind: IngestKind): Promise<number> {
  const metric = await app.metrics.ingestItems.get()
  return metric.values.find((v) => v.labels.kind === kind && v.labels.result === 'accepted')?.value ?? 0
}

describe('simulator restarts', () => {
  it('pre-rolls a backlog on the first start only', async () => {
    const config = testConfig({ SIMULATOR: 'on' })
    const first = await buildApp(config)
    const cases = first.entities.cases.size
    const disputes = first.entities.disputes.size
    await first.close()
    expect(cases).toBeGreaterThan(50)
    expect(disputes).toBeGreaterThan(5)

    // A real restart comes later: the simulator's run tag (case and dispute numbers) changes each second.
    await new Promise((r) => setTimeout(r, 1100))
    const second = await buildApp(config)
    try {
      // Only what the first second of simulated time adds, not another 33 days of cases.
      expect(second.entities.cases.size - cases).toBeLessThan(cases * 0.05)
      expect(second.entities.disputes.size - disputes).toBeLessThan(Math.max(2, disputes * 0.05))
    } finally {
      await second.close()
    }
  }, 60_000)

  it('sends the rest of a history that a restart cut short: the same history, each item once', async () => {
    const config = testConfig({ SIMULATOR: 'on' })
    const load = () => SimulatorStateStore.load({ dataDir: config.DATA_DIR })
    // the district's ~68,000 history items in steps of 4,000, one every 50 ms
    const simulator = { historyItemsPerTick: 4000, tickMs: 50 }

    // a first run stopped while it is sending the cases' history (the cameras' came first)
    const first = await buildApp(config, { simulator })
    let cut: PrerollRecord
    try {
      await until('cases arrive', () => first.entities.cases.size > 1000)
    } finally {
      await first.close()
      cut = (await load())!
    }
    expect(cut.done).toBe(false)
    expect(cut.sent.cameras).toBeGreaterThan(2 * first.entities.cameras.size)
    expect(cut.sent.cases).toBeGreaterThan(1000)

    // the restart: the rest of the same history, then a live run of its own
    const second = await buildApp(config, { simulator })
    let done: PrerollRecord
    try {
      await until('the history is sent', async () => (await load())?.done === true)
      done = (await load())!
      // it went on from where the first run stopped: only the rest went to ingest again
      expect(await accepted(second, 'cameras')).toBeLessThan(done.sent.cameras - cut.sent.cameras + 10_000)
      expect(await accepted(second, 'cases')).toBeLessThan(done.sent.cases - cut.sent.cases + 1000)
    } finally {
      await second.close()
    }
    expect(done.start).toBe(cut.start)

    // what the database holds of the history is exactly what one uninterrupted first start sends:
    // every status event before the first start's instant, none twice
    const pack = loadSimPack(config.REGION)
    const runner = new SimRunner(pack, { seed: config.SIM_SEED, speed: 1, start: cut.start })
    const expected = { cameras: 0, cases: 0, disputes: 0 }
    // a camera's heartbeat (its status again) is an item sent, not a status event
    const status = new Map<string, string>()
    let cameraEvents = 0
    while (!runner.historyDone) {
      const b = runner.tick()
      expected.cameras += b.cameras.length
      expected.cases += b.cases.length
      expected.disputes += b.disputes.length
      for (const c of b.cameras) {
        if (status.get(c.id) !== c.status) cameraEvents++
        status.set(c.id, c.status)
      }
    }
    expect(done.sent).toMatchObject(expected)
    expect(cameraEvents).toBeLessThan(expected.cameras)
    const db = new BetterSqlite3(join(config.DATA_DIR, SQLITE_FILE), { readonly: true })
    const count = (table: string) =>
      (db.prepare(`select count(*) as n from ${table} where ts < ?`).get(cut.start) as { n: number }).n
    try {
      expect(count('camera_status_events')).toBe(cameraEvents)
      expect(count('case_events')).toBe(expected.cases)
      expect(count('dispute_events')).toBe(expected.disputes)
    } finally {
      db.close()
    }
  }, 180_000)
})
