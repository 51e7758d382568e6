/**
 * Storage micro-benchmark on both engines: `node server/src/db/bench-store.ts`.
 * Prints commits for 200 concurrent write() calls, the time of one 10,000-change group,
 * and sustained throughput of many small concurrent writes (ingest-like).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { openStore, type Engine } from './index.ts'
import { T0, member, memberChange, mixedChanges } from './fixtures.ts'
import { startTempPostgres } from './test-postgres.ts'

const pgServer = await startTempPostgres()
const dirs: string[] = []
let n = 0
try {
  for (const engine of ['sqlite', 'postgres'] as Engine[]) {
    const loc = async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'gridsight-bench-'))
      dirs.push(dataDir)
      return engine === 'sqlite' ? { dataDir } : { dataDir, databaseUrl: await pgServer.createDatabase(`b${++n}`) }
    }

    // 200 concurrent single-change writes
    let store = await openStore(await loc())
    await Promise.all(Array.from({ length: 200 }, (_, i) => store.write([memberChange(member(`m${i}`))])))
    const concurrentCommits = store.stats.commits
    await store.close()

    // one 10k-change group (fresh database), best of 3
    const tenK: number[] = []
    for (let r = 0; r < 3; r++) {
      store = await openStore(await loc())
      const changes = mixedChanges(10_000, r + 1)
      const t = performance.now()
      await store.write(changes)
      tenK.push(performance.now() - t)
      await store.close()
    }
    const best = Math.min(...tenK)

    // sustained: 2,000 writes of 50 member updates, 20 in flight at a time (an ingest under load)
    store = await openStore(await loc())
    const writes = 2000
    const per = 50
    const t = performance.now()
    let next = 0
    const lat: number[] = []
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        while (next < writes) {
          const w = next++
          const batch = Array.from({ length: per }, (_, i) =>
            memberChange(member(`m${(w * per + i) % 20000}`, { ts: T0 + w * per + i })),
          )
          const s = performance.now()
          await store.write(batch)
          lat.push(performance.now() - s)
        }
      }),
    )
    const secs = (performance.now() - t) / 1000
    lat.sort((a, b) => a - b)
    const q = (p: number) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))]!.toFixed(1)
    console.log(
      `${engine.padEnd(8)} 200 concurrent writes -> ${concurrentCommits} commit(s); ` +
        `10k-change group: ${best.toFixed(0)} ms (${Math.round(10_000 / (best / 1000)).toLocaleString('en')} changes/s); ` +
        `sustained ${writes}x${per} member updates: ${Math.round((writes * per) / secs).toLocaleString('en')} changes/s, ` +
        `${store.stats.commits} commits, write() latency p50 ${q(0.5)} ms p99 ${q(0.99)} ms`,
    )
    await store.close()
  }
} finally {
  await pgServer.stop()
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
}
