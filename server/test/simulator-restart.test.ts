/**
 * The simulator's pre-rolled history (~30 days of cases and disputes) belongs to a
 * first start: restarting on the same database continues, it does not pile a
 * second backlog on top of the first.
 */
import { describe, expect, it } from 'vitest'
import { buildApp } from '../src/app.ts'
import { testConfig } from './helpers.ts'

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
})
