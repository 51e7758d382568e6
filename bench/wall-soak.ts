/**
 * Wall-memory soak (issue 7: "a wall left for days does not grow memory"). The real server
 * process with its simulator accelerated, the real production build of the screen in Debian's
 * Chromium at 1920x1080 touring its scenes every few seconds, and the page's JS heap sampled over
 * CDP after a forced garbage collection, with the DOM node and listener counts.
 *
 * "One hour, accelerated" (the defaults, 10 minutes of wall time):
 * - TICK_MS 80 instead of 500: the server cuts a delta up to 6.25× as often (only ticks with
 *   changes in the scene's scope make one: the run counts what the page received); every delta
 *   goes through the mirror, the stores and the map layers;
 * - SIM_SPEED 60: 10 hours of simulated activity (cases through their whole lifecycle, camera
 *   power cuts, shifts, disputes); members still report every few real seconds;
 * - `?carousel=15`: a scene every 15 s (40 scenes), each one a new scope (a new stream and
 *   snapshot), a camera fly and other panels: the code paths a wall repeats all day. At 5 s on
 *   this 2-core machine under load 11–13 the handshake and snapshot took longer than a scene
 *   (the wall stayed "connecting" between scenes and drew almost nothing); 15 s leaves each scene
 *   time to draw its stream. The samples say whether the page held a stream, and the run counts
 *   the snapshots and deltas the page received.
 * P1 alert rules are off: an unacknowledged P1 holds the carousel by design; P2/P3 alerts flow.
 *
 * The page is served from a temporary build (requests for the page's files are answered by
 * the bench, the API and the socket go to the server), so web/dist is left alone.
 */
import { mkdtempSync, readFileSync, rmSync, existsSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { extname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'vite'
import { launchChromium } from '../web/e2e/support/browser.ts'
import { alertsConfigWithoutP1 } from '../web/e2e/support/alerts-config.ts'
import { startServerProcess } from '../server/test/server-process.ts'
import { census, summarise, type CensusSummary, type HeapSnapshotJson } from './heap-census.ts'

export interface SoakSample {
  /** seconds since the page went live */
  t: number
  /** JS heap in use after a forced GC, bytes (Runtime.getHeapUsage usedSize) */
  heapUsed: number
  /** ArrayBuffer backing stores (typed arrays) outside the JS heap, bytes, when Chromium reports it */
  backingStore: number | null
  nodes: number
  listeners: number
  documents: number
  /** cases and cameras in the screen's mirror (data, not leaks) */
  cases: number | null
  seq: number | null
  /** whether the screen held a stream's snapshot (else it was between scenes, connecting) */
  live: boolean
  /** snapshots and deltas the page had received so far (its websocket frames) */
  snapshots: number
  deltas: number
  load1: number
}

export interface SoakResult {
  minutes: number
  tickMs: number
  simSpeed: number
  carouselS: number
  sampleEveryS: number
  /** share of the run before the baseline sample */
  warmupShare: number
  samples: SoakSample[]
  /** the first sample at or after warm-up, and the last */
  heapAfterWarmup: number
  heapEnd: number
  growthPct: number
  /** least-squares slope of heapUsed over the samples after warm-up */
  slopeBytesPerHour: number
  /** the fitted line's growth over the measured window, relative to its value at warm-up */
  fittedGrowthPct: number
  nodesStart: number
  nodesEnd: number
  listenersStart: number
  listenersEnd: number
  /** what the page received over the whole run, and in how many samples it held a stream */
  snapshots: number
  deltas: number
  liveSamples: number
  load1Start: number
  load1End: number
  browser: string
  pageErrors: string[]
  /** heap snapshots' census on the district scene after warm-up and at the end (null: not reached) */
  census?: { warm: HeapCensusSummary; end: HeapCensusSummary } | null
}

export interface HeapCensusSummary extends CensusSummary {
  /** seconds since the page went live */
  t: number
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
}

/** Least-squares slope and intercept of y over x. */
export function fitLine(xs: readonly number[], ys: readonly number[]): { slope: number; intercept: number } {
  const n = xs.length
  const mx = xs.reduce((a, b) => a + b, 0) / n
  const my = ys.reduce((a, b) => a + b, 0) / n
  let sxy = 0
  let sxx = 0
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my)
    sxx += (xs[i]! - mx) ** 2
  }
  const slope = sxx === 0 ? 0 : sxy / sxx
  return { slope, intercept: my - slope * mx }
}

/**
 * The heap's trend after warm-up, robust to where in a scene each sample fell: the mean of the
 * second half of the samples against the first half, and the least-squares growth over the window
 * with ± two standard errors of the slope.
 */
export function heapTrend(r: Pick<SoakResult, 'samples' | 'minutes' | 'warmupShare'>): {
  halvesGrowthPct: number
  fittedGrowthPct: number
  fittedCi95Pct: number
  samples: number
} {
  const after = r.samples.filter((s) => s.t >= r.minutes * 60 * r.warmupShare)
  const xs = after.map((s) => s.t / 3600)
  const ys = after.map((s) => s.heapUsed)
  const n = ys.length
  const half = Math.floor(n / 2)
  const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length
  const first = mean(ys.slice(0, half))
  const { slope, intercept } = fitLine(xs, ys)
  const mx = mean(xs)
  let sse = 0
  let sxx = 0
  for (let i = 0; i < n; i++) {
    sse += (ys[i]! - intercept - slope * xs[i]!) ** 2
    sxx += (xs[i]! - mx) ** 2
  }
  const se = n > 2 && sxx > 0 ? Math.sqrt(sse / (n - 2) / sxx) : Number.NaN
  const span = xs[n - 1]! - xs[0]!
  const start = intercept + slope * xs[0]!
  return {
    halvesGrowthPct: (100 * (mean(ys.slice(half)) - first)) / first,
    fittedGrowthPct: (100 * slope * span) / start,
    fittedCi95Pct: (100 * 2 * se * span) / start,
    samples: n,
  }
}

export interface SoakOptions {
  minutes?: number
  tickMs?: number
  simSpeed?: number
  carouselS?: number
  sampleEveryS?: number
  warmupShare?: number
  log?: (line: string) => void
  /**
   * Diagnosis: a folder to keep the two heap snapshots in (env SOAK_HEAP_SNAPSHOTS=<dir> from run.ts);
   * compare them with `node bench/heap-diff.ts a.heapsnapshot b.heapsnapshot`.
   */
  heapSnapshotDir?: string
}

export async function benchWallSoak(o: SoakOptions = {}): Promise<SoakResult> {
  const minutes = o.minutes ?? 10
  const tickMs = o.tickMs ?? 80
  const simSpeed = o.simSpeed ?? 60
  const carouselS = o.carouselS ?? 15
  const sampleEveryS = o.sampleEveryS ?? 20
  const warmupShare = o.warmupShare ?? 0.2
  const log = o.log ?? ((line: string) => console.log(line))
  const here = (p: string) => fileURLToPath(new URL(p, import.meta.url))

  const dist = mkdtempSync(join(tmpdir(), 'gridsight-soak-web-'))
  await build({ root: here('../web/'), logLevel: 'warn', build: { outDir: dist, emptyOutDir: true } })
  const server = await startServerProcess({
    SIMULATOR: 'on',
    TICK_MS: String(tickMs),
    SIM_SPEED: String(simSpeed),
    ALERTS_CONFIG: alertsConfigWithoutP1(),
  })
  // the page comes from the bench's route, so Chromium's Local Network Access check would hold
  // its socket to 127.0.0.1 as a public page's
  const browser = await launchChromium(['--disable-features=LocalNetworkAccessChecks'])

  try {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } })
    const pageErrors: string[] = []
    page.on('pageerror', (e) => pageErrors.push(e.message))
    const origin = new URL(server.url).origin
    // the page's own files from the temporary build; the API and the socket pass through
    await page.route(
      (url) => url.origin === origin && !url.pathname.startsWith('/api/') && !url.pathname.startsWith('/socket.io'),
      async (route) => {
        const path = new URL(route.request().url()).pathname
        let file = join(dist, decodeURIComponent(path))
        if (!file.startsWith(dist) || !existsSync(file) || path === '/') file = join(dist, 'index.html')
        await route.fulfill({
          status: 200,
          body: readFileSync(file),
          headers: { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' },
        })
      },
    )
    // count what the page is fed: the event name sits in the first bytes of each msgpack frame
    let snapshots = 0
    let deltas = 0
    page.on('websocket', (ws) =>
      ws.on('framereceived', ({ payload }) => {
        const head = typeof payload === 'string' ? payload.slice(0, 40) : payload.subarray(0, 40).toString('latin1')
        if (head.includes('snapshot')) snapshots++
        else if (head.includes('delta')) deltas++
      }),
    )
    const display = server.displayToken ? `display=${server.displayToken}&` : ''
    await page.goto(`${server.url}/?${display}carousel=${carouselS}`)
    const consoleErrors: string[] = []
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text())
    })
    try {
      await page.locator('[data-testid="connection"][data-state="live"]').waitFor({ timeout: 120_000 })
    } catch (err) {
      const text = (
        await page
          .locator('body')
          .innerText()
          .catch(() => '')
      ).slice(-400)
      throw new Error(
        `the screen did not go live\nconsole errors: ${consoleErrors.slice(0, 5).join(' | ')}\npage ends: ${text}`,
        { cause: err },
      )
    }

    const cdp = await page.context().newCDPSession(page)
    const t0 = Date.now()
    // Like with like: a sample is taken while the wall shows a scene with its stream (heap, nodes and
    // listeners are higher then than between scenes, waiting for a snapshot), up to 20 s of waiting.
    const holdsStream = () =>
      page.evaluate(() => {
        type Live = { mirror?: { epoch: string | null } }
        const live = (globalThis as unknown as { __gridsight?: { live?: Live } }).__gridsight?.live
        return live?.mirror?.epoch != null
      })
    const sample = async (): Promise<SoakSample> => {
      for (let waited = 0; waited < 20_000 && !(await holdsStream()); waited += 250) {
        await new Promise((r) => setTimeout(r, 250))
      }
      await cdp.send('HeapProfiler.collectGarbage')
      await cdp.send('HeapProfiler.collectGarbage')
      const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; backingStorageSize?: number }
      const dom = await cdp.send('Memory.getDOMCounters')
      const mirror = (await page.evaluate(() => {
        type Mirror = { seq: number; epoch: string | null; tables: { cases: { count: number } } }
        const m = (globalThis as unknown as { __gridsight?: { live?: { mirror?: Mirror } } }).__gridsight?.live?.mirror
        return m ? { cases: m.tables.cases.count, seq: m.seq, live: m.epoch !== null } : null
      })) as { cases: number; seq: number; live: boolean } | null
      return {
        t: (Date.now() - t0) / 1000,
        heapUsed: heap.usedSize,
        backingStore: heap.backingStorageSize ?? null,
        nodes: dom.nodes,
        listeners: dom.jsEventListeners,
        documents: dom.documents,
        cases: mirror?.cases ?? null,
        seq: mirror?.seq ?? null,
        live: mirror?.live ?? false,
        snapshots,
        deltas,
        load1: loadavg()[0]!,
      }
    }
    const samples: SoakSample[] = []
    const end = t0 + minutes * 60_000
    // what the heap holds at the warm-up's end and at the run's end, from V8 heap snapshots taken on
    // the district scene (like with like): tells V8's compiled code (tier-up, bounded by the
    // bundle) from the app's objects
    const censusAt = async (): Promise<HeapCensusSummary | null> => {
      const rootScope = () =>
        page.evaluate(() => {
          type Live = { mirror?: { scope: string | null; epoch: string | null } }
          const m = (globalThis as unknown as { __gridsight?: { live?: Live } }).__gridsight?.live?.mirror
          return m?.epoch != null && m.scope !== null && m.scope.length === 6 ? m.scope : null
        })
      let scope = await rootScope()
      for (let waited = 0; scope === null && waited < 90_000; waited += 250) {
        await new Promise((r) => setTimeout(r, 250))
        scope = await rootScope()
      }
      if (scope === null) return null
      const t = (Date.now() - t0) / 1000
      const chunks: string[] = []
      const onChunk = (e: { chunk: string }) => chunks.push(e.chunk)
      cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk)
      await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false })
      cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk)
      const json = chunks.join('')
      if (o.heapSnapshotDir) {
        const file = join(o.heapSnapshotDir, `heap-${(t / 60).toFixed(1)}min-${scope}.heapsnapshot`)
        writeFileSync(file, json)
        log(`soak: heap snapshot ${file}`)
      }
      return { t, ...summarise(census(JSON.parse(json) as HeapSnapshotJson)) }
    }
    const warmAt = minutes * 60 * warmupShare
    let censusWarm: HeapCensusSummary | null = null
    for (;;) {
      const s = await sample()
      samples.push(s)
      if (censusWarm === null && s.t >= warmAt) censusWarm = await censusAt()
      log(
        `soak ${(s.t / 60).toFixed(1)} min: heap ${(s.heapUsed / 2 ** 20).toFixed(2)} MiB` +
          (s.backingStore === null ? '' : `, buffers ${(s.backingStore / 2 ** 20).toFixed(2)} MiB`) +
          `, ${s.nodes} nodes, ${s.listeners} listeners, ${s.live ? 'live' : 'between scenes'}, ${s.snapshots} snapshots and ${s.deltas} deltas so far, load ${s.load1.toFixed(1)}`,
      )
      if (Date.now() >= end) break
      await new Promise((r) => setTimeout(r, Math.min(sampleEveryS * 1000, Math.max(0, end - Date.now()))))
    }
    const censusEnd = await censusAt()
    const after = samples.filter((s) => s.t >= warmAt)
    const first = after[0]!
    const last = samples.at(-1)!
    const fit = fitLine(
      after.map((s) => s.t / 3600),
      after.map((s) => s.heapUsed),
    )
    const fittedStart = fit.intercept + fit.slope * (first.t / 3600)
    const fittedEnd = fit.intercept + fit.slope * (last.t / 3600)
    return {
      minutes,
      tickMs,
      simSpeed,
      carouselS,
      sampleEveryS,
      warmupShare,
      samples,
      heapAfterWarmup: first.heapUsed,
      heapEnd: last.heapUsed,
      growthPct: (100 * (last.heapUsed - first.heapUsed)) / first.heapUsed,
      slopeBytesPerHour: fit.slope,
      fittedGrowthPct: (100 * (fittedEnd - fittedStart)) / fittedStart,
      nodesStart: first.nodes,
      nodesEnd: last.nodes,
      listenersStart: first.listeners,
      listenersEnd: last.listeners,
      snapshots: last.snapshots,
      deltas: last.deltas,
      liveSamples: samples.filter((x) => x.live).length,
      load1Start: samples[0]!.load1,
      load1End: last.load1,
      browser: `Chromium ${browser.version()}`,
      pageErrors: pageErrors.slice(0, 10),
      census: censusWarm && censusEnd ? { warm: censusWarm, end: censusEnd } : null,
    }
  } finally {
    await browser.close()
    await server.stop()
    rmSync(dist, { recursive: true, force: true })
  }
}

const mib = (b: number) => (b / 2 ** 20).toFixed(2)

/** What grew between the two heap snapshots on the district scene: V8's code apart from the app's objects. */
function censusLines(r: SoakResult): string[] {
  if (!r.census) return ['Heap snapshots: the wall did not show the district scene in time for both; no census.', '']
  const { warm, end } = r.census
  const row = (name: string, k: keyof CensusSummary) =>
    `| ${name} | ${mib(warm[k])} | ${mib(end[k])} | ${end[k] - warm[k] >= 0 ? '+' : ''}${((end[k] - warm[k]) / 2 ** 20).toFixed(2)} |`
  return [
    `What the heap holds, from V8 heap snapshots on the district scene at ${(warm.t / 60).toFixed(1)} and ${(end.t / 60).toFixed(1)} min`,
    '(self sizes; the snapshot counts some memory `getHeapUsage` does not, so totals differ). “compiled code” is',
    "V8's bytecode, feedback and optimised code: it grows as more functions tier up and is bounded by the bundle;",
    '“JS objects” is what the app holds (mirrors, stores, map and chart state).',
    '',
    '| | after warm-up MiB | end MiB | change MiB |',
    '| --- | ---: | ---: | ---: |',
    row('JS objects', 'objects'),
    row('strings', 'strings'),
    row('native (DOM, C++)', 'native'),
    row('compiled code', 'code'),
    row('total', 'total'),
    '',
  ]
}

export function soakMarkdown(r: SoakResult, measured: string): string[] {
  const simHours = (r.minutes * r.simSpeed) / 60
  // DOM nodes and listeners depend on what the scene shows at the sample (a street with its stream,
  // or panels waiting for one): compare the highest of each half after warm-up
  const after = r.samples.filter((s) => s.t >= r.minutes * 60 * r.warmupShare)
  const half = Math.ceil(after.length / 2)
  const maxOf = (xs: SoakSample[], f: (s: SoakSample) => number) => Math.max(...xs.map(f))
  const halves = (f: (s: SoakSample) => number) => `${maxOf(after.slice(0, half), f)} / ${maxOf(after.slice(half), f)}`
  const trend = heapTrend(r)
  const pct = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(1)} %`
  return [
    '',
    '### Wall memory soak: one screen left running (`bench/wall-soak.ts`)',
    '',
    `${measured} The real server (\`node server/src/main.ts\`, simulator on) and the production build of the screen`,
    `in headless ${r.browser} at 1920×1080, \`?carousel=${r.carouselS}\`, for ${r.minutes} minutes of wall time,`,
    `accelerated: TICK_MS ${r.tickMs} (a delta up to ${(500 / r.tickMs).toFixed(2)}× as often as the default 500 ms tick, when the scope changed),`,
    `SIM_SPEED ${r.simSpeed} (${fmtH(simHours * 3600)} of simulated cases, outages and shifts), a new scene (scope, stream,`,
    `snapshot, camera fly) every ${r.carouselS} s; P1 rules off (an unacknowledged P1 holds the carousel by design).`,
    `Every ${r.sampleEveryS} s, once the wall holds a scene's stream (like with like: between scenes, waiting for a snapshot,`,
    'it holds less), two forced garbage collections (CDP `HeapProfiler.collectGarbage`), then',
    '`Runtime.getHeapUsage` and `Memory.getDOMCounters`. Warm-up: the first',
    `${Math.round(r.warmupShare * 100)} % of the run. After it: “end vs start” = last sample vs the first; “halves” = mean of the`,
    'second half of the samples vs the first half; “fitted” = least-squares line over them, ± two standard errors',
    'of its slope. A sample holds ±1–2 MiB depending on what the scene holds at that instant, so the end points',
    'alone say little; the halves and the fit use every sample. Typed-array backing stores live outside the JS',
    'heap (column “buffers”).',
    '',
    `The page received ${(r.snapshots ?? 0).toLocaleString('en-US')} snapshots and ${(r.deltas ?? 0).toLocaleString('en-US')} deltas; it held a stream in`,
    `${r.liveSamples} of ${r.samples.length} samples (else it was between scenes: connecting, waiting for the snapshot).`,
    '',
    '| heap start → end | end vs start | halves | fitted | slope | DOM nodes | max, 1st / 2nd half | listeners | max, 1st / 2nd half | load |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${mib(r.heapAfterWarmup)} → ${mib(r.heapEnd)} MiB | ${pct(r.growthPct)} | ${pct(trend.halvesGrowthPct)} | ${pct(trend.fittedGrowthPct)} ± ${trend.fittedCi95Pct.toFixed(1)} % | ${(r.slopeBytesPerHour / 2 ** 20).toFixed(2)} MiB/h | ${r.nodesStart} → ${r.nodesEnd} | ${halves((s) => s.nodes)} | ${r.listenersStart} → ${r.listenersEnd} | ${halves((s) => s.listeners)} | ${r.load1Start.toFixed(1)} → ${r.load1End.toFixed(1)} |`,
    '',
    `Goal (issue 7): heap growth ≤ 5 % after warm-up: ${Math.max(trend.halvesGrowthPct, trend.fittedGrowthPct) <= 5 ? 'met' : '**not met**'}` +
      ` on the halves and the fit (the larger of the two)` +
      (trend.fittedCi95Pct > 5
        ? `; the fit's ± ${trend.fittedCi95Pct.toFixed(1)} % is wider than the goal: this run cannot rule out a 5 % trend (a longer run, \`--soak-minutes 60\`, narrows it).`
        : '.') +
      (r.pageErrors.length > 0 ? ` Page errors: ${r.pageErrors.length} (${r.pageErrors[0]}).` : ''),
    '',
    ...censusLines(r),
    '<details><summary>samples</summary>',
    '',
    '| min | heap MiB | buffers MiB | DOM nodes | listeners | stream | deltas so far | load |',
    '| ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |',
    ...r.samples.map(
      (s) =>
        `| ${(s.t / 60).toFixed(1)} | ${mib(s.heapUsed)} | ${s.backingStore === null ? '–' : mib(s.backingStore)} | ${s.nodes} | ${s.listeners} | ${s.live ? `live, ${s.cases ?? 0} cases` : 'connecting'} | ${s.deltas} | ${s.load1.toFixed(1)} |`,
    ),
    '',
    '</details>',
  ]
}

function fmtH(seconds: number): string {
  const h = seconds / 3600
  return h >= 1 ? `${h.toFixed(h < 10 ? 1 : 0)} h` : `${Math.round(seconds / 60)} min`
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`)
    return i > 0 ? Number(process.argv[i + 1]) : undefined
  }
  const r = await benchWallSoak({
    minutes: arg('minutes'),
    tickMs: arg('tick'),
    sampleEveryS: arg('every'),
    carouselS: arg('carousel'),
  })
  console.log(JSON.stringify({ ...r, samples: r.samples.length }, null, 2))
}
