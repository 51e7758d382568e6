/**
 * Ingest → screen, end to end, with real processes: the server (node
 * server/src/main.ts), a load generator (bench/load-generator.ts) and N real
 * socket.io-client screens in this process. Run once with GridSight's delta
 * stream and once with the naive baseline (LIVE_BASELINE=naive: one emit per
 * changed entity to every client), same server otherwise.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import {
  Latencies,
  localScreens,
  workerScreens,
  type OnLatency,
  type ScreenGroup,
  type ScreenMode,
} from './live-screen.ts'

const root = fileURLToPath(new URL('../', import.meta.url))
const KEY = 'bench-key-0123456789abcdef'

export interface LiveRun {
  /** main-writer: GridSight with SQLITE_WRITER=main (SQLite writes on the event loop, the earlier design) */
  mode: ScreenMode
  profile: 'city' | 'stress'
  screens: number
  seconds: number
  ingestPerS: number
  memberUpdatesSent: number
  latencyP50Ms: number | null
  latencyP99Ms: number | null
  latencySamples: number
  /**
   * The same probes seen by one more screen alone in a worker thread (its own event loop and heap):
   * what the server delivers, without the N screens' shared process in the way.
   */
  sentinelP50Ms?: number | null
  sentinelP99Ms?: number | null
  sentinelSamples?: number
  /**
   * The part of each probe's latency after the server's tick (the delta's `ts`): cut, encode, send,
   * transport and the screen's decoding. The rest is ingest, commit and the wait for the tick.
   */
  deliveryP50Ms?: number | null
  deliveryP99Ms?: number | null
  sentinelDeliveryP99Ms?: number | null
  bytesPerScreenPerS: number
  bytesPerMemberUpdate: number
  serverCpuPct: number
  serverRssMb: number
  failedRequests: number
  /** snapshots a screen received after its first: re-snapshots after falling behind */
  resnapshotsPerScreen: number
  /** worker threads the N screens were spread over (0: all on the main thread) */
  screenThreads?: number
  /** CPU of this process, which decodes for all N screens: near 100 % means the screens, not the server, lag */
  screensCpuPct: number
  /** the machine's 1-min load average when the window closed: other work on a shared machine inflates every figure */
  loadAvg1: number
  /** from the end of the camera registration until every screen held all cameras (city), ms */
  catchUpMs: number
  /** the server's event-loop delay over the steady window (its /metrics), ms */
  serverLoopLagP99Ms: number | null
  serverLoopLagMaxMs: number | null
  /** group commits in the steady window: count and mean duration (BEGIN … COMMIT) */
  commits: number | null
  commitMeanMs: number | null
}

/** A few figures from the server's /metrics (prom-client text format). */
async function scrape(url: string): Promise<Map<string, number>> {
  const text = await (await fetch(`${url}/metrics`)).text()
  const values = new Map<string, number>()
  for (const line of text.split('\n')) {
    const m = /^(gridsight_[a-z0-9_]+)(?:\{[^}]*\})? ([-+\d.eE]+|NaN)$/.exec(line)
    if (m && !line.includes('le=')) values.set(m[1]!, (values.get(m[1]!) ?? 0) + Number(m[2]))
  }
  return values
}

function startServer(mode: LiveRun['mode']): Promise<{ child: ChildProcess; url: string; token: string }> {
  // e.g. BENCH_SERVER_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' to profile the server alone
  const nodeArgs = process.env.BENCH_SERVER_ARGS?.split(' ').filter(Boolean) ?? []
  const child = spawn(process.execPath, [...nodeArgs, join(root, 'server/src/main.ts')], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      SIMULATOR: 'off',
      LOG_LEVEL: 'warn',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'gridsight-bench-')),
      GRIDSIGHT_INGEST_KEY: KEY,
      // the load generator's request rate is the experiment, not abuse
      INGEST_RATE_LIMIT: '1000000',
      LIVE_BASELINE: mode === 'naive' ? 'naive' : 'off',
      SQLITE_WRITER: mode === 'main-writer' ? 'main' : 'thread',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! })
    let port: string | undefined
    lines.on('line', (line) => {
      port ??= /GridSight is live: http:\/\/[^:]+:(\d+)\//.exec(line)?.[1]
      // a fresh DATA_DIR: the first start prints a region-wide wall display token after the address
      const token = /\?display=(gsd_[A-Za-z0-9_-]+)/.exec(line)?.[1]
      if (port && token) resolve({ child, url: `http://127.0.0.1:${port}`, token })
    })
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)))
  })
}

/** utime+stime (clock ticks) and RSS (kB) of a process, from /proc. */
function procStat(pid: number): { ticks: number; rssKb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const ticks = Number(fields[11]) + Number(fields[12])
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0)
  return { ticks, rssKb }
}

const quantile = (sorted: number[], q: number) =>
  sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!

/**
 * Screens per thread: up to 25 share one worker thread (their own heap and event loop), as screens on
 * separate wall PCs would not wait for each other's decoding or GC. BENCH_SCREEN_THREADS overrides it
 * (0: all on the bench's main thread, as before).
 */
function screenThreads(screens: number): number {
  const env = process.env.BENCH_SCREEN_THREADS
  if (env !== undefined) return Math.max(0, Math.min(screens, Number(env)))
  return Math.min(4, Math.ceil(screens / 25))
}

export async function benchLiveStream(
  mode: LiveRun['mode'],
  profile: LiveRun['profile'],
  screens: number,
  seconds: number,
): Promise<LiveRun> {
  const server = await startServer(mode)
  const latencies = new Latencies()
  const sentinel = new Latencies()
  const threads = screenThreads(screens)
  const groups: ScreenGroup[] = []
  try {
    const add: OnLatency = (ms, now, delivery) => latencies.add(ms, now, delivery)
    if (threads === 0) groups.push(localScreens(server, mode, screens, add))
    for (let t = 0; t < threads; t++) {
      const n = Math.floor(screens / threads) + (t < screens % threads ? 1 : 0)
      groups.push(workerScreens(server, mode, n, add))
    }
    const probes = groups.slice()
    groups.push(workerScreens(server, mode, 1, (ms, now, delivery) => sentinel.add(ms, now, delivery)))
    await Promise.all(groups.map((g) => g.ready()))
    const totals = async (of = probes) => {
      const all = await Promise.all(of.map((g) => g.stats()))
      return {
        minCameras: Math.min(...all.map((x) => x.minCameras)),
        minMembers: Math.min(...all.map((x) => x.minMembers)),
        bytes: all.reduce((n, x) => n + x.bytes, 0),
        snapshots: all.reduce((n, x) => n + x.snapshots, 0),
      }
    }

    const gen = spawn(
      process.execPath,
      [join(root, 'bench/load-generator.ts'), server.url, KEY, profile, String(seconds), '--wait'],
      {
        stdio: ['pipe', 'pipe', 'inherit'],
      },
    )
    const lines = createInterface({ input: gen.stdout! })
    const reports: Record<string, number>[] = []
    let onReady: () => void = () => {}
    const ready = new Promise<void>((r) => (onReady = r))
    lines.on('line', (line) => {
      const msg = JSON.parse(line) as Record<string, number>
      if (msg.ready) onReady()
      else reports.push(msg)
    })
    const exited = new Promise((r) => gen.once('exit', r))
    await ready
    // Steady state only: wait until every screen, the sentinel too, holds the registered cameras
    // (city: the registration reaches 100 screens as a ~2.7 MB delta each) and the 20,000 members the
    // generator sends once before the load, then start the timed load and measure it. Without the
    // members, the first 5 s of the window register 4,000 new ids a second on every screen: a wall
    // that has been up knows its members, so that is start-up, not the steady stream.
    const cameras = profile === 'city' ? 100_000 : 0
    const members = 20_000
    const readyAt = Date.now()
    const caughtUp = Date.now() + 60_000
    const held = async () => ((t) => t.minCameras >= cameras && t.minMembers >= members)(await totals(groups))
    while (!(await held()) && Date.now() < caughtUp) {
      await new Promise((r) => setTimeout(r, 50))
    }
    const catchUpMs = Date.now() - readyAt
    latencies.windowStart = Date.now()
    sentinel.windowStart = latencies.windowStart
    gen.stdin!.end('go\n')
    await Promise.all(groups.map((g) => g.reset()))
    // prom-client resets its event-loop delay histogram on every scrape: this one starts the window.
    const metricsBefore = await scrape(server.url)
    const before = procStat(server.child.pid!)
    const selfBefore = process.cpuUsage()
    const t0 = performance.now()
    let peakRss = before.rssKb
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, procStat(server.child.pid!).rssKb)), 500)
    await exited
    // Let the last tick reach the screens.
    await new Promise((r) => setTimeout(r, 1000))
    clearInterval(sampler)
    const metricsAfter = await scrape(server.url)
    const lagMs = (name: string) => {
      const v = metricsAfter.get(`gridsight_nodejs_eventloop_lag_${name}_seconds`)
      return v === undefined ? null : Math.round(v * 1000)
    }
    const commitsIn = (m: Map<string, number>) => m.get('gridsight_db_commit_seconds_count') ?? 0
    const commits = commitsIn(metricsAfter) - commitsIn(metricsBefore)
    const commitSeconds =
      (metricsAfter.get('gridsight_db_commit_seconds_sum') ?? 0) -
      (metricsBefore.get('gridsight_db_commit_seconds_sum') ?? 0)
    const elapsed = (performance.now() - t0) / 1000
    const after = procStat(server.child.pid!)
    const self = process.cpuUsage(selfBefore)
    const report = reports.at(-1)!
    const sorted = [...latencies.samples].sort((a, b) => a - b)
    const sentinelSorted = [...sentinel.samples].sort((a, b) => a - b)
    const delivery = [...latencies.delivery].sort((a, b) => a - b)
    const sentinelDelivery = [...sentinel.delivery].sort((a, b) => a - b)
    const end = await totals()
    const bytes = end.bytes / screens
    return {
      mode,
      profile,
      screens,
      seconds: report.seconds!,
      ingestPerS: report.accepted! / report.seconds!,
      memberUpdatesSent: report.sentMembers!,
      latencyP50Ms: quantile(sorted, 0.5),
      latencyP99Ms: quantile(sorted, 0.99),
      latencySamples: sorted.length,
      deliveryP50Ms: quantile(delivery, 0.5),
      deliveryP99Ms: quantile(delivery, 0.99),
      sentinelDeliveryP99Ms: quantile(sentinelDelivery, 0.99),
      sentinelP50Ms: quantile(sentinelSorted, 0.5),
      sentinelP99Ms: quantile(sentinelSorted, 0.99),
      sentinelSamples: sentinelSorted.length,
      bytesPerScreenPerS: bytes / elapsed,
      // rates, because bytes are counted in the steady window and updates over the whole run
      bytesPerMemberUpdate: bytes / elapsed / (report.sentMembers! / report.seconds!),
      serverCpuPct: ((after.ticks - before.ticks) / 100 / elapsed) * 100,
      serverRssMb: peakRss / 1024,
      failedRequests: report.failed!,
      resnapshotsPerScreen: end.snapshots / screens,
      screenThreads: threads,
      screensCpuPct: ((self.user + self.system) / 1e6 / elapsed) * 100,
      loadAvg1: loadavg()[0]!,
      catchUpMs,
      serverLoopLagP99Ms: lagMs('p99'),
      serverLoopLagMaxMs: lagMs('max'),
      commits,
      commitMeanMs: commits > 0 ? (commitSeconds / commits) * 1000 : null,
    }
  } finally {
    await Promise.all(groups.map((g) => g.close()))
    server.child.kill('SIGTERM')
    await new Promise((r) => server.child.once('exit', r))
  }
}

/**
 * Runs one scenario in a fresh process (`node bench/live-stream.ts <mode> <profile> <screens> <seconds>`
 * prints it as JSON): N screens' heaps and GC from an earlier scenario must not delay this one's.
 */
export function benchLiveStreamInChild(
  mode: LiveRun['mode'],
  profile: LiveRun['profile'],
  screens: number,
  seconds: number,
): Promise<LiveRun> {
  const child = spawn(
    process.execPath,
    [fileURLToPath(import.meta.url), mode, profile, String(screens), String(seconds)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  )
  let out = ''
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  return new Promise((resolve, reject) =>
    child.once('exit', (code) => {
      const last = out.trim().split('\n').at(-1)
      if (code === 0 && last) resolve(JSON.parse(last) as LiveRun)
      else reject(new Error(`live-stream ${mode} ${profile} ×${screens} exited with ${code}`))
    }),
  )
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [mode = 'gridsight', profile = 'city', screens = '10', seconds = '20'] = process.argv.slice(2)
  const run = await benchLiveStream(
    mode as LiveRun['mode'],
    profile as LiveRun['profile'],
    Number(screens),
    Number(seconds),
  )
  process.stdout.write(`${JSON.stringify(run)}\n`)
}
