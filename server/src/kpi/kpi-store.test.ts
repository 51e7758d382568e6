/**
 * The same change stream through SQLite and PostgreSQL: after a restart (state and status events
 * read back from the database) the full recompute gives exactly the figures the incremental engine
 * had, on both engines, and the two engines agree.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openStore, type Engine } from '../db/index.ts'
import { startTempPostgres, type TempPostgres } from '../db/test-postgres.ts'
import { EntityState } from '../live/entity-state.ts'
import { doneTimesFromEvents, KpiEngine } from './engine.ts'
import { figuresOf, gridsOf, randomStream, testConfig, testUnits } from './test-fixtures.ts'
import { UnitTree } from './unit-tree.ts'

const STANDARDS = { urbanPerKm2: 70, ruralPerKm2: 8 }
const dirs: string[] = []
let server: Promise<TempPostgres> | undefined

afterAll(async () => {
  await (await server?.catch(() => undefined))?.stop()
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
}, 60_000)

async function run(engineName: Engine): Promise<{ live: unknown; rebuilt: unknown }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gridsight-kpi-'))
  dirs.push(dataDir)
  const databaseUrl =
    engineName === 'postgres' ? await (await (server ??= startTempPostgres())).createDatabase('kpi') : undefined
  const units = testUnits()
  const tree = new UnitTree(units)
  const cfg = testConfig()
  const start = Date.parse('2026-02-12T08:00:00+08:00')
  const state = new EntityState()
  const events = { case: [], dispute: [] }
  const engine = new KpiEngine(tree, cfg, STANDARDS)
  engine.rebuild(
    { cameras: [], members: [], cases: [], disputes: [] },
    { cases: new Map(), disputes: new Map() },
    start,
  )
  let store = await openStore({ dataDir, ...(databaseUrl ? { databaseUrl } : {}) })
  let now = start
  for (const step of randomStream({
    seed: 42,
    count: 6_000,
    start,
    grids: gridsOf(units),
    otherCodes: ['330402001001', '999999999999999'],
    state,
    events,
    stepMs: 600_000,
  })) {
    await store.write(step.applied.map((a) => a.change))
    engine.apply(step.applied, step.now)
    now = step.now
  }
  await store.close()

  // restart: everything from the database
  store = await openStore({ dataDir, ...(databaseUrl ? { databaseUrl } : {}) })
  const all = await store.loadAll()
  const rebuilt = new KpiEngine(tree, cfg, STANDARDS)
  rebuilt.rebuild(
    all,
    {
      cases: doneTimesFromEvents('case', await store.allStatusEvents('case')),
      disputes: doneTimesFromEvents('dispute', await store.allStatusEvents('dispute')),
    },
    now,
  )
  await store.close()
  engine.advance(now)
  return { live: figuresOf(engine), rebuilt: figuresOf(rebuilt) }
}

describe('KPIs from SQLite and PostgreSQL', () => {
  it('restart → recompute gives the live figures on both engines, and both engines agree', async () => {
    const sqlite = await run('sqlite')
    const postgres = await run('postgres')
    expect(sqlite.rebuilt).toEqual(sqlite.live)
    expect(postgres.rebuilt).toEqual(postgres.live)
    expect(postgres.rebuilt).toEqual(sqlite.rebuilt)
    // not an empty comparison
    const root = (sqlite.live as Record<string, { fields: Record<string, number> }>)['330402']!.fields
    expect(root['cases.new.year']).toBeGreaterThan(100)
    expect(root['disputes.new.year']).toBeGreaterThan(50)
  }, 120_000)
})
