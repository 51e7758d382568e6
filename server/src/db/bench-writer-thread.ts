/**
 * What the writer thread buys the event loop: `node server/src/db/bench-writer-thread.ts [seconds]`.
 * Writes the city member stream (400 member updates every 100 ms = 4,000/s, plus 20 camera changes,
 * as separate write() calls like concurrent ingest requests) into a fresh SQLite store, once with
 * the writer thread and once with writes on the main thread, alternating, and reports the main
 * thread's event-loop delay, how late a 500 ms tick timer fires (gap beyond 500 ms), and write() latency.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { monitorEventLoopDelay, performance } from 'node:perf_hooks'
import { openStore } from './index.ts'
import { T0, camera, cameraChange, member, memberChange } from './fixtures.ts'

const seconds = Number(process.argv[2] ?? 10)

async function run(mode: 'thread' | 'main') {
  const dataDir = mkdtempSync(join(tmpdir(), 'gridsight-writer-'))
  const store = await openStore({ dataDir, sqliteWriter: mode })
  const delay = monitorEventLoopDelay({ resolution: 1 })
  const late: number[] = []
  const writeMs: number[] = []
  // Node re-arms an interval from when its callback ran: lateness is each gap beyond 500 ms.
  let last = performance.now()
  const tick = setInterval(() => {
    const now = performance.now()
    late.push(now - last - 500)
    last = now
  }, 500)
  delay.enable()
  const pending: Promise<void>[] = []
  const start = performance.now()
  for (let slice = 0; performance.now() - start < seconds * 1000; slice++) {
    const due = start + slice * 100
    const wait = due - performance.now()
    if (wait > 0) await new Promise((r) => setTimeout(r, wait))
    const ts = T0 + slice * 100
    const members = Array.from({ length: 400 }, (_, i) =>
      memberChange(member(`m${(slice * 400 + i) % 20_000}`, { ts, lon: 120 + Math.random() })),
    )
    const cams = Array.from({ length: 20 }, (_, i) =>
      cameraChange(camera(`c${(slice * 20 + i) % 100_000}`, { ts, status: i % 2 ? 'online' : 'offline' })),
    )
    for (const batch of [members, cams]) {
      const s = performance.now()
      pending.push(store.write(batch).then(() => void writeMs.push(performance.now() - s)))
    }
  }
  await Promise.all(pending)
  delay.disable()
  clearInterval(tick)
  const commits = store.stats.commits
  await store.close()
  rmSync(dataDir, { recursive: true, force: true })
  const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.floor(p * (xs.length - 1))]!
  return {
    mode,
    loopDelayP50Ms: delay.percentile(50) / 1e6,
    loopDelayP99Ms: delay.percentile(99) / 1e6,
    loopDelayMaxMs: delay.max / 1e6,
    tickLateP99Ms: q(late, 0.99),
    tickLateMaxMs: Math.max(...late),
    writeP50Ms: q(writeMs, 0.5),
    writeP99Ms: q(writeMs, 0.99),
    commits,
  }
}

const f = (n: number) => n.toFixed(1).padStart(6)
console.log(`load average ${loadavg()[0]!.toFixed(1)}; ${seconds} s per run`)
for (const mode of ['thread', 'main', 'thread', 'main'] as const) {
  const r = await run(mode)
  console.log(
    `${r.mode.padEnd(6)} loop delay p50 ${f(r.loopDelayP50Ms)} p99 ${f(r.loopDelayP99Ms)} max ${f(r.loopDelayMaxMs)} ms | ` +
      `500 ms tick late p99 ${f(r.tickLateP99Ms)} max ${f(r.tickLateMaxMs)} ms | ` +
      `write() p50 ${f(r.writeP50Ms)} p99 ${f(r.writeP99Ms)} ms | ${r.commits} commits`,
  )
}
