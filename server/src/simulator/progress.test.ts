import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openStore, type Engine } from '../db/index.ts'
import { startTempPostgres, type TempPostgres } from '../db/test-postgres.ts'
import { newRecord, PrerollProgress, SimulatorStateStore } from './progress.ts'

const item = (id: string, ts = '2026-11-01T00:00:00.000+08:00') => ({ id, ts })

describe('PrerollProgress', () => {
  it('counts what is sent, and skips it in a later run, whatever the steps', () => {
    const first = new PrerollProgress(newRecord({ seed: 1, region: '330402', scale: 'district', start: 0 }))
    first.sent('cases', [item('A'), item('A', 'x'), item('B')])
    first.sent('cameras', [item('V1')])
    expect(first.record.sent).toMatchObject({ cases: 3, cameras: 1, members: 0 })
    expect(first.record.last.cases).toBe('B@2026-11-01T00:00:00.000+08:00')

    // the same history again, in other steps
    const again = new PrerollProgress(JSON.parse(JSON.stringify(first.record)))
    expect(again.skipping).toBe(true)
    expect(again.pending('cases', [item('A'), item('A', 'x')])).toEqual([])
    expect(again.pending('cameras', [item('V1'), item('V2')])).toEqual([item('V2')])
    expect(again.pending('cases', [item('B'), item('C')])).toEqual([item('C')])
    expect(again.skipping).toBe(false)
    expect(again.pending('cases', [item('D')])).toEqual([item('D')])
  })

  it('refuses another history: the last item sent is not where it was', () => {
    const first = new PrerollProgress(newRecord({ seed: 1, region: '330402', scale: 'district', start: 0 }))
    first.sent('disputes', [item('M1'), item('M2')])
    const other = new PrerollProgress(first.record)
    expect(() => other.pending('disputes', [item('M1'), item('M3'), item('M4')])).toThrow(/differs/)
  })
})

let server: Promise<TempPostgres> | undefined
afterAll(async () => {
  await (await server?.catch(() => undefined))?.stop()
}, 60_000)

describe.each(['sqlite', 'postgres'] as Engine[])('SimulatorStateStore on %s', (engine) => {
  it('keeps the pre-roll record in the database (migration 005), the latest write winning', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gridsight-simstate-'))
    const databaseUrl =
      engine === 'postgres' ? await (await (server ??= startTempPostgres())).createDatabase('simstate') : undefined
    const store = await openStore({ dataDir, ...(databaseUrl ? { databaseUrl } : {}) })
    try {
      expect(await SimulatorStateStore.load({ dataDir, databaseUrl })).toBeNull()
      const state = new SimulatorStateStore(store.engine, store)
      const record = newRecord({ seed: 7, region: '990100', scale: 'city', start: 1_790_000_000_000 })
      const writes = [1, 2, 3].map((n) => {
        record.sent.cases = n * 1000
        return state.save(record)
      })
      record.done = true
      await Promise.all([...writes, state.save(record)])
      expect(await SimulatorStateStore.load({ dataDir, databaseUrl })).toEqual(record)
    } finally {
      await store.close()
    }
  }, 60_000)
})
