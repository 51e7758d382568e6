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
import { io, type Socket } from 'socket.io-client'
import msgpackParser from 'socket.io-msgpack-parser'
import {
  LIVE_NAMESPACE,
  LiveMirror,
  SOCKET_PATH,
  readUint32,
  type LiveDelta,
  type LiveSnapshot,
} from '@gridsight/shared'
import { PROBE_ID, probeLatency } from './probe.ts'

const root = fileURLToPath(new URL('../', import.meta.url))
const KEY = 'bench-key-0123456789abcdef'

export interface LiveRun {
  /** main-writer: GridSight with SQLITE_WRITER=main (SQLite writes on the event loop, the earlier design) */
  mode: 'gridsight' | 'main-writer' | 'naive'
  profile: 'city' | 'stress'
  screens: number
  seconds: number
  ingestPerS: number
  memberUpdatesSent: number
  latencyP50Ms: number | null
  latencyP99Ms: number | null
  latencySamples: number
  bytesPerScreenPerS: number
  bytesPerMemberUpdate: number
  serverCpuPct: number
  serverRssMb: number
  failedRequests: number
  /** snapshots a screen received after its first: re-snapshots after falling behind */
  resnapshotsPerScreen: number
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

function startServer(mode: LiveRun['mode']): Promise<{ child: ChildProcess; url: string }> {
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
      LIVE_BASELINE: mode === 'naive' ? 'naive' : 'off',
      SQLITE_WRITER: mode === 'main-writer' ? 'main' : 'thread',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! })
    lines.on('line', (line) => {
      const port = /GridSight is live: http:\/\/[^:]+:(\d+)\//.exec(line)?.[1]
      if (port) resolve({ child, url: `http://127.0.0.1:${port}` })
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

interface Screen {
  socket: Socket
  bytes: number
  snapshots: number
  /** cameras this screen holds: it has caught up with the registration when it holds them all */
  cameras: () => number
}

/**
 * Probe latencies of the steady window: only probes SENT after it opened count. A screen that is still
 * working off the 100k-camera registration when the window opens receives older probes in a burst, and
 * those measure the registration, not the steady stream.
 */
class Latencies {
  readonly samples: number[] = []
  windowStart = Infinity

  add(latencyMs: number, nowMs: number): void {
    if (nowMs - latencyMs >= this.windowStart) this.samples.push(latencyMs)
  }
}

function connectScreen(url: string, mode: LiveRun['mode'], latencies: Latencies): Screen {
  const socket = io(`${url}${LIVE_NAMESPACE}`, {
    path: SOCKET_PATH,
    parser: msgpackParser,
    transports: ['websocket'],
    forceNew: true,
  })
  let naiveCameras = 0
  const screen: Screen = { socket, bytes: 0, snapshots: 0, cameras: () => naiveCameras }
  socket.io.on('open', () => {
    socket.io.engine.on('data', (data: string | ArrayBuffer | Uint8Array) => {
      screen.bytes += typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength
    })
  })
  if (mode === 'naive') {
    socket.on('entity', (e: { kind: string; id: string; lat: number }) => {
      if (e.kind === 'cameras') naiveCameras++
      if (e.id === PROBE_ID) latencies.add(probeLatency(e.lat, Date.now()), Date.now())
    })
  } else {
    const mirror = new LiveMirror()
    screen.cameras = () => mirror.tables.cameras.count
    socket.on('snapshot', (s: LiveSnapshot) => {
      screen.snapshots++
      mirror.applySnapshot(s)
    })
    socket.on('delta', (d: LiveDelta) => {
      if (mirror.applyDelta(d) !== 'applied') return socket.emit('resync')
      const members = d.tables.members
      if (!members) return
      const row = mirror.tables.members.row(PROBE_ID)
      if (row !== undefined && readUint32(members.idx).includes(row)) {
        latencies.add(probeLatency(mirror.tables.members.pos[2 * row + 1]!, Date.now()), Date.now())
      }
    })
  }
  return screen
}

const quantile = (sorted: number[], q: number) =>
  sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!

export async function benchLiveStream(
  mode: LiveRun['mode'],
  profile: LiveRun['profile'],
  screens: number,
  seconds: number,
): Promise<LiveRun> {
  const server = await startServer(mode)
  const latencies = new Latencies()
  const clients: Screen[] = []
  try {
    for (let i = 0; i < screens; i++) clients.push(connectScreen(server.url, mode, latencies))
    await Promise.all(
      clients.map((c) => new Promise<void>((r) => (c.socket.connected ? r() : c.socket.once('connect', () => r())))),
    )

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
    // Steady state only: wait until every screen holds the registered cameras (the registration
    // reaches 100 screens as a ~2.7 MB delta each), then start the timed load and measure it.
    const cameras = profile === 'city' ? 100_000 : 0
    const readyAt = Date.now()
    const caughtUp = Date.now() + 60_000
    while (clients.some((c) => c.cameras() < cameras) && Date.now() < caughtUp) {
      await new Promise((r) => setTimeout(r, 50))
    }
    const catchUpMs = Date.now() - readyAt
    latencies.windowStart = Date.now()
    gen.stdin!.end('go\n')
    for (const c of clients) {
      c.bytes = 0
      c.snapshots = 0
    }
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
    const bytes = clients.reduce((n, c) => n + c.bytes, 0) / clients.length
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
      bytesPerScreenPerS: bytes / elapsed,
      // rates, because bytes are counted in the steady window and updates over the whole run
      bytesPerMemberUpdate: bytes / elapsed / (report.sentMembers! / report.seconds!),
      serverCpuPct: ((after.ticks - before.ticks) / 100 / elapsed) * 100,
      serverRssMb: peakRss / 1024,
      failedRequests: report.failed!,
      resnapshotsPerScreen: clients.reduce((n, c) => n + c.snapshots, 0) / clients.length,
      screensCpuPct: ((self.user + self.system) / 1e6 / elapsed) * 100,
      loadAvg1: loadavg()[0]!,
      catchUpMs,
      serverLoopLagP99Ms: lagMs('p99'),
      serverLoopLagMaxMs: lagMs('max'),
      commits,
      commitMeanMs: commits > 0 ? (commitSeconds / commits) * 1000 : null,
    }
  } finally {
    for (const c of clients) c.socket.close()
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
