/**
 * After a restart the simulator moves on the cases and disputes the earlier run left open (the
 * pre-rolled history's 100–220 open cases), instead of leaving them open until they all turn
 * overdue; another source's open case stays as it was.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { buildApp } from '../src/app.ts'
import type { CaseRow, DisputeRow } from '../src/db/index.ts'
import type { DisputeStatus } from '@gridsight/shared'
import { startTempPostgres, type TempPostgres } from '../src/db/test-postgres.ts'
import { SimulatorStateStore } from '../src/simulator/progress.ts'
import { CASE_FLOW, DISPUTE_NEXT, SIM_CASE_ID, SIM_DISPUTE_ID } from '../src/simulator/simulator.ts'
import { DAY, HOUR } from '../src/simulator/clock.ts'
import { testConfig } from './helpers.ts'

/** simulated seconds per second: a simulated hour is 0.36 s */
const SPEED = 10_000
/** the simulator's numbers (SIM_DISPUTE_ID), before any run's: first in the adoption's id order */
const RECENT = 'MD2000010100001'
const LONG_AGO = 'MD2000010100002'
let postgres: Promise<TempPostgres> | undefined
afterAll(async () => {
  await (await postgres?.catch(() => undefined))?.stop()
})

async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 60_000): Promise<void> {
  const end = Date.now() + ms
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

describe('simulator restart', () => {
  it.each(['sqlite', 'postgres'] as const)(
    'moves on the cases and disputes the earlier run left open (%s)',
    async (engine) => {
      const databaseUrl =
        engine === 'postgres' ? await (await (postgres ??= startTempPostgres())).createDatabase('adopt') : undefined
      const config = testConfig({
        SIMULATOR: 'on',
        SIM_SPEED: String(SPEED),
        DATA_DIR: mkdtempSync(join(tmpdir(), 'gridsight-adopt-')),
        ...(databaseUrl === undefined ? {} : { DATABASE_URL: databaseUrl }),
      })

      const first = await buildApp(config)
      try {
        // another source's open case: not the simulator's to move on
        const res = await first.ingest.ingest('cases', [
          {
            id: 'EXT-CASE-1',
            type: '占道经营',
            status: 'reported',
            lon: 120.75,
            lat: 30.75,
            ts: new Date().toISOString(),
          },
        ])
        expect(res.accepted).toBe(1)
        // the simulator's disputes escalated once and back in mediation: the row says "mediating"
        // only. RECENT's mediation is not due for hours after the restart (the demo escalation
        // incident, minutes in, takes the first in id order it may escalate); LONG_AGO's is overdue
        // and ends within the catch-up.
        const at = Date.now()
        const history = (id: string, since: number, back: number) =>
          (['accepted', 'assigned', 'mediating', 'escalated', 'mediating'] as const).map((status, k) => ({
            id,
            category: '邻里纠纷',
            status,
            lon: 120.75,
            lat: 30.75,
            ts: new Date(since - (4 - k) * HOUR - (k === 4 ? 0 : back)).toISOString(),
          }))
        const escalatedBefore = await first.ingest.ingest('disputes', [
          ...history(RECENT, at - DAY + 2 * HOUR, DAY),
          ...history(LONG_AGO, at - 20 * DAY, 5 * DAY),
        ])
        expect(escalatedBefore.accepted).toBe(10)
      } finally {
        await first.close()
      }
      const external = { ...first.entities.cases.get('EXT-CASE-1')! }
      const openCases = new Map<string, CaseRow>()
      for (const c of first.entities.cases.values()) {
        if (c.status !== 'closed' && SIM_CASE_ID.test(c.id)) openCases.set(c.id, { ...c })
      }
      const openDisputes = new Map<string, DisputeRow>()
      for (const d of first.entities.disputes.values()) {
        const next = DISPUTE_NEXT[d.status as keyof typeof DISPUTE_NEXT]
        if (next.length > 0 && SIM_DISPUTE_ID.test(d.id)) openDisputes.set(d.id, { ...d })
      }
      expect(openCases.size).toBeGreaterThan(50)
      expect(openDisputes.size).toBeGreaterThan(5)

      // a real restart comes later: the run tag (case and dispute numbers) changes each second
      await new Promise((r) => setTimeout(r, 1100))
      const restartedBy = Date.now()
      const second = await buildApp(config)
      const bootedBy = Date.now()
      try {
        const moved = () => [...openCases.values()].filter((c) => second.entities.cases.get(c.id)!.ts !== c.ts)
        const movedDisputes = () =>
          [...openDisputes.values()].filter((d) => second.entities.disputes.get(d.id)!.ts !== d.ts)
        await until('half of the open cases and a dispute move on', () => {
          return moved().length >= openCases.size / 2 && movedDisputes().length > 0
        })

        const firstMoves: number[] = []
        for (const before of moved()) {
          const now = second.entities.cases.get(before.id)!
          expect(CASE_FLOW.indexOf(now.status as never)).toBeGreaterThan(CASE_FLOW.indexOf(before.status as never))
          expect(now.ts).toBeGreaterThan(before.ts)
          if (CASE_FLOW.indexOf(now.status as never) === CASE_FLOW.indexOf(before.status as never) + 1) {
            firstMoves.push(now.ts)
          }
        }
        for (const before of movedDisputes()) {
          const now = second.entities.disputes.get(before.id)!
          expect(DISPUTE_NEXT[before.status as keyof typeof DISPUTE_NEXT]).toContain(now.status)
          expect(now.ts).toBeGreaterThan(before.ts)
        }
        // within a short simulated span of the restart, each at its own instant. Items are stamped
        // start + simulated / SPEED and the run starts during the boot, which on a loaded machine
        // takes seconds (tens of simulated hours): so the span is counted from the first move
        firstMoves.sort((a, b) => a - b)
        const median = firstMoves[Math.floor(firstMoves.length / 2)]!
        expect(firstMoves[0]!).toBeGreaterThanOrEqual(restartedBy)
        expect((median - firstMoves[0]!) * SPEED).toBeLessThan(12 * HOUR)
        // (a stamp's millisecond is 10 simulated seconds here: a few share one, not dozens)
        const atOnce = new Map<number, number>()
        for (const t of firstMoves) atOnce.set(t, (atOnce.get(t) ?? 0) + 1)
        expect(Math.max(...atOnce.values())).toBeLessThan(firstMoves.length / 10)
        expect(second.entities.cases.get('EXT-CASE-1')).toEqual(external)

        // a simulated day on: an item stamped this late means the run is past start + DAY (its
        // stamps are start + simulated / SPEED, and it started before buildApp returned)
        await until('a simulated day passes and LONG_AGO ends', () => {
          const late = [...second.entities.cases.values()].some((c) => c.ts >= bootedBy + DAY / SPEED)
          return late && DISPUTE_NEXT[second.entities.disputes.get(LONG_AGO)!.status as DisputeStatus].length === 0
        })
        for (const id of [RECENT, LONG_AGO]) {
          const statuses = (await second.store.disputeEvents(id)).map((e) => e.status)
          expect(
            statuses.filter((s) => s === 'escalated'),
            `${id}: ${statuses.join(' → ')}`,
          ).toHaveLength(1)
        }
      } finally {
        await second.close()
      }
    },
    180_000,
  )

  it('moves them on after a resumed history too, once its rest is sent', async () => {
    const config = testConfig({ SIMULATOR: 'on', SIM_SPEED: String(SPEED) })
    // the district's history in steps of 4,000 items, one every 50 ms: a run stopped in the middle
    const simulator = { historyItemsPerTick: 4000, tickMs: 50 }
    const first = await buildApp(config, { simulator })
    try {
      await until('cases arrive', () => first.entities.cases.size > 1000)
    } finally {
      await first.close()
    }

    const second = await buildApp(config, { simulator })
    try {
      const load = () => SimulatorStateStore.load({ dataDir: config.DATA_DIR })
      await until('the history is sent', async () => (await load())?.done === true)
      const historyEnd = (await load())!.start
      // the history's cases still open as it left them (the live run's own start later)
      const open = [...second.entities.cases.values()].filter(
        (c) => c.status !== 'closed' && c.ts < historyEnd && SIM_CASE_ID.test(c.id),
      )
      expect(open.length).toBeGreaterThan(20)
      const ts = new Map(open.map((c) => [c.id, c.ts]))
      await until('half of them move on', () => {
        return open.filter((c) => second.entities.cases.get(c.id)!.ts > ts.get(c.id)!).length >= open.length / 2
      })
    } finally {
      await second.close()
    }
  }, 180_000)
})
