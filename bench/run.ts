/**
 * `pnpm bench`: runs every benchmark, writes bench/results/latest.json and
 * rewrites the generated section of docs/benchmarks.md. Each figure is compared
 * with a baseline measured in the same run; ratios travel better than absolute
 * times on a shared, noisy machine.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { format, resolveConfig } from 'prettier'
import { cpus, loadavg, totalmem } from 'node:os'
import { benchWireEncoding } from './wire-encoding.ts'
import { benchGridIndex } from './grid-index.ts'
import { benchLiveStreamInChild, type LiveRun } from './live-stream.ts'
import { benchKpi, kpiMarkdown, type KpiBench } from './kpi.ts'
import { benchBundleSize } from './bundle-size.ts'
import { benchClientApply, clientMarkdown } from './client-apply.ts'
import { benchWallSoak, heapTrend, soakMarkdown, type SoakResult } from './wall-soak.ts'

// `pnpm bench --only wire,grid,live` runs a subset and prints it, leaving the committed results alone.
// `pnpm bench --only live --merge` replaces just those keys of bench/results/latest.json and rewrites
// docs/benchmarks.md from the merged results (the other sections keep their figures and dates).
const merge = process.argv.includes('--merge')
// `pnpm bench --kpi-only` runs the KPI bench alone and updates only its section and its key in latest.json.
const kpiOnly = process.argv.includes('--kpi-only')
const only = kpiOnly
  ? new Set(['kpi'])
  : process.argv.includes('--only')
    ? new Set(process.argv[process.argv.indexOf('--only') + 1]?.split(','))
    : null
const wanted = (name: string) => !only || only.has(name)

const root = new URL('../', import.meta.url)
const fmt = (n: number, digits = 1) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })

const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`
// other work on a shared machine slows every figure: say how busy it was
const load = `1-min load average ${loadavg()[0]!.toFixed(1)} at start`
console.log(`bench on ${machine}, ${load}`)

const wire = (wanted('wire') ? [300, 4_000, 20_000] : []).map((n) => {
  const r = benchWireEncoding(n)
  console.log(
    `wire ${n} updates: ${fmt(r.binaryBytesPerUpdate)} B vs ${fmt(r.jsonBytesPerUpdate)} B per update; encode ${fmt(r.encodeSpeedRatio)}× faster`,
  )
  return r
})

const gridIndex = wanted('grid') ? await benchGridIndex() : { results: [], postgisNotice: null }

const live: LiveRun[] = []
if (wanted('live')) {
  for (const [profile, screens] of [
    ['city', 10],
    ['city', 100],
    ['stress', 10],
    ['stress', 100],
  ] as const) {
    // main-writer: GridSight with SQLite writes on the main thread (the design before the writer thread)
    const modes =
      profile === 'city' ? (['gridsight', 'main-writer', 'naive'] as const) : (['gridsight', 'naive'] as const)
    for (const mode of modes) {
      const r = await benchLiveStreamInChild(mode, profile, screens, 20)
      console.log(
        `live ${mode} ${profile} ×${screens}: ingest ${fmt(r.ingestPerS, 0)}/s, p50 ${r.latencyP50Ms} ms, p99 ${r.latencyP99Ms} ms (one screen ${r.sentinelP99Ms ?? '–'} ms), ${fmt(r.bytesPerMemberUpdate)} B/update, CPU ${fmt(r.serverCpuPct, 0)} %, loop lag p99 ${r.serverLoopLagP99Ms} ms (load ${loadavg()[0]!.toFixed(1)})`,
      )
      live.push(r)
    }
  }
}

const kpi: KpiBench | null = wanted('kpi') ? await benchKpi() : null

const bundle = wanted('bundle') ? await benchBundleSize() : null

const client = wanted('client') ? await benchClientApply() : null
if (client) {
  console.log(
    `client: ${client.deltaMembers}-member delta p50 ${client.deltaMs.p50.toFixed(2)} ms (naive ${client.naiveDeltaMs.p50.toFixed(2)}), ${client.cameras}-camera snapshot p50 ${client.snapshotMs.p50.toFixed(2)} ms (naive ${client.naiveSnapshotMs.p50.toFixed(2)}) (load ${loadavg()[0]!.toFixed(1)})`,
  )
}

// the wall-memory soak: ~12 min (a 10-minute run, `--soak-minutes N` to change it, plus the build and start)
const soakMinutesArg = process.argv.indexOf('--soak-minutes')
const soak: SoakResult | null = wanted('soak')
  ? await benchWallSoak({
      ...(soakMinutesArg > 0 ? { minutes: Number(process.argv[soakMinutesArg + 1]) } : {}),
      ...(process.env.SOAK_HEAP_SNAPSHOTS ? { heapSnapshotDir: process.env.SOAK_HEAP_SNAPSHOTS } : {}),
      // diagnosis: 0 holds the district scene (no carousel), to tell growth on one scene from scene changes
      ...(process.env.SOAK_CAROUSEL_S ? { carouselS: Number(process.env.SOAK_CAROUSEL_S) } : {}),
    })
  : null
if (soak) {
  console.log(
    `soak: heap ${(soak.heapAfterWarmup / 2 ** 20).toFixed(2)} → ${(soak.heapEnd / 2 ** 20).toFixed(2)} MiB (${soak.growthPct.toFixed(1)} %; halves ${heapTrend(soak).halvesGrowthPct.toFixed(1)} %, fitted ${heapTrend(soak).fittedGrowthPct.toFixed(1)} ± ${heapTrend(soak).fittedCi95Pct.toFixed(1)} %), DOM nodes ${soak.nodesStart} → ${soak.nodesEnd} (load ${loadavg()[0]!.toFixed(1)})`,
  )
}

const measured = { date: new Date().toISOString(), machine, load }
const ran = {
  ...(wanted('wire') ? { wire } : {}),
  ...(wanted('grid') ? { gridIndex } : {}),
  ...(wanted('live') ? { live, liveMeasured: measured } : {}),
  ...(wanted('kpi') ? { kpi } : {}),
  ...(wanted('bundle') ? { bundle } : {}),
  ...(wanted('client') ? { client, clientMeasured: measured } : {}),
  ...(wanted('soak') ? { soak, soakMeasured: measured } : {}),
}
const latestPath = new URL('bench/results/latest.json', root)
type Results = typeof measured & {
  wire: typeof wire
  gridIndex: typeof gridIndex
  live: LiveRun[]
  liveMeasured?: typeof measured
  kpi: KpiBench | null
  bundle: typeof bundle
  client?: typeof client
  clientMeasured?: typeof measured
  soak?: SoakResult | null
  soakMeasured?: typeof measured
}
const results: Results =
  merge && only
    ? { ...(JSON.parse(readFileSync(latestPath, 'utf8')) as Results), ...ran }
    : {
        ...measured,
        wire,
        gridIndex,
        live,
        liveMeasured: measured,
        kpi,
        bundle,
        client,
        clientMeasured: measured,
        soak,
        soakMeasured: measured,
      }

const MODE_LABEL: Record<LiveRun['mode'], string> = {
  gridsight: 'GridSight',
  'main-writer': 'GridSight, main-thread writes',
  naive: 'naive',
}
const pair = (profile: string, screens: number) => ({
  ours: results.live.find((r) => r.mode === 'gridsight' && r.profile === profile && r.screens === screens)!,
  base: results.live.find((r) => r.mode === 'naive' && r.profile === profile && r.screens === screens)!,
  mainWriter: results.live.find((r) => r.mode === 'main-writer' && r.profile === profile && r.screens === screens),
})
const kb = (bytes: number) => `${fmt(bytes / 1024)} kB`
const bundleTable = results.bundle
  ? [
      '',
      '### Web bundle: what a wall downloads for its first full screen (`bench/bundle-size.ts`)',
      '',
      'Production build; the entry chunk and its static imports from Vite’s manifest, plus the MapLibre worker;',
      'gzip level 9. Goal (issue 7): ≤ 1.2 MB gzip of JS for the first full screen.',
      '',
      '| file | first screen | raw | gzip |',
      '| --- | --- | ---: | ---: |',
      ...results.bundle.files.map(
        (f) => `| \`${f.file}\` | ${f.firstScreen ? 'yes' : 'lazy'} | ${kb(f.bytes)} | ${kb(f.gzip)} |`,
      ),
      '',
      `First screen: ${kb(results.bundle.firstScreenJsGzip)} of JS (goal ≤ 1,200 kB: ${results.bundle.firstScreenJsGzip <= 1_200_000 ? 'met' : '**not met**'}), ` +
        `${kb(results.bundle.cssGzip)} of CSS; ${kb(results.bundle.lazyJsGzip)} of JS loads later.`,
    ]
  : []

const kpiTable = kpi ? kpiMarkdown(kpi, `Measured ${results.date.slice(0, 10)} on ${machine} (${load}).`) : null

/** Rewrites the text between two markers of docs/benchmarks.md. */
/** The generated doc is committed: leave it as `pnpm format:check` expects it. */
async function prettify(): Promise<void> {
  const file = fileURLToPath(new URL('docs/benchmarks.md', root))
  const options = await resolveConfig(file)
  writeFileSync(file, await format(readFileSync(file, 'utf8'), { ...options, filepath: file }))
}

function writeSection(begin: string, end: string, text: string): void {
  const docPath = new URL('docs/benchmarks.md', root)
  let doc = readFileSync(docPath, 'utf8')
  if (!doc.includes(begin)) doc = `${doc.trimEnd()}\n\n${begin}\n${end}\n`
  const at = doc.indexOf(begin)
  const until = doc.indexOf(end)
  if (until < at) throw new Error(`docs/benchmarks.md lacks the ${begin} … ${end} markers`)
  writeFileSync(docPath, `${doc.slice(0, at + begin.length)}\n${text}\n${doc.slice(until)}`)
}

if (kpiOnly && kpiTable) {
  const latest = new URL('bench/results/latest.json', root)
  const prev = JSON.parse(readFileSync(latest, 'utf8')) as Record<string, unknown>
  writeFileSync(latest, `${JSON.stringify({ ...prev, kpi }, null, 2)}\n`)
  writeSection('<!-- bench:kpi:begin -->', '<!-- bench:kpi:end -->', kpiTable)
  await prettify()
  console.log(
    `\n${kpiTable}\n\nwrote the KPI section of docs/benchmarks.md and the kpi key of bench/results/latest.json`,
  )
  process.exit(0)
}

mkdirSync(new URL('bench/results/', root), { recursive: true })
writeFileSync(
  only && !merge ? new URL('bench/results/partial.json', root) : latestPath,
  `${JSON.stringify(results, null, 2)}\n`,
)

const table = [
  `Measured ${results.date.slice(0, 10)} on ${results.machine} (${results.load}).`,
  '',
  '### Live wire encoding: one tick of member positions',
  '',
  'GridSight: one columnar delta (uint32 index + float32 lon/lat) through socket.io-msgpack-parser.',
  'Baseline: one JSON `emit` per changed member through socket.io’s default parser.',
  '',
  '| updates per tick | GridSight B/update | baseline B/update | bytes ratio | GridSight ns/update | baseline ns/update | encode speed ratio |',
  '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...results.wire.map(
    (r) =>
      `| ${r.updates.toLocaleString('en-US')} | ${fmt(r.binaryBytesPerUpdate)} | ${fmt(r.jsonBytesPerUpdate)} | ${fmt(r.bytesRatio)}× | ${fmt(r.binaryEncodeNsPerUpdate, 0)} | ${fmt(r.jsonEncodeNsPerUpdate, 0)} | ${fmt(r.encodeSpeedRatio)}× |`,
  ),
  '',
  '### Point → grid assignment: 100,000 points',
  '',
  'GridSight: `PointIndex` (flatbush bbox R-tree + exact even–odd test, `shared/src/geo/point-index.ts`), median of 7 runs;',
  'index build time separate. Points uniform over the grids’ bounding box (outside the 南湖 outline they get no grid).',
  'Baselines: turf `booleanPointInPolygon` over every grid until one matches, **on a sample of the points',
  '(column “turf sample”) extrapolated to 100,000**; PostGIS `ST_Contains` with a GiST index on a local PostgreSQL,',
  'all points in one query (`unnest` of two float8 arrays, `LEFT JOIN LATERAL … LIMIT 1`), median of 3, including the',
  'round trip. “agree” = share of points given the same grid as GridSight. The generated city is 100 × 100 grids of',
  '~200 m with 8 shared, jittered vertices each. Goal (issue 4): 100k × 10k in ≤ 100 ms and ≥ 10× PostGIS.',
  ...(results.gridIndex.postgisNotice ? ['', `**${results.gridIndex.postgisNotice}**`] : []),
  '',
  '| grids | GridSight ms | GridSight points/s | build ms | turf sample | turf points/s (extrap.) | vs turf | PostGIS ms | PostGIS points/s | vs PostGIS | agree turf / PostGIS |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...results.gridIndex.results.map(
    (r) =>
      `| ${r.grids.toLocaleString('en-US')} (${r.dataset}) | ${fmt(r.gridsight.ms)} | ${fmt(r.gridsight.pointsPerSec, 0)} | ${fmt(r.buildMs)} | ${r.turf.measuredPoints.toLocaleString('en-US')} | ${fmt(r.turf.pointsPerSec, 0)} | ${fmt(r.turfRatio, 0)}× | ${r.postgis ? fmt(r.postgis.ms, 0) : 'skipped'} | ${r.postgis ? fmt(r.postgis.pointsPerSec, 0) : '–'} | ${r.postgisRatio === null ? '–' : `${fmt(r.postgisRatio)}×`} | ${fmt(100 * r.turf.agreement)} % / ${r.postgis ? `${fmt(100 * r.postgis.agreement)} %` : '–'} |`,
  ),
  ...results.gridIndex.results
    .filter((r) => r.grids >= 10_000)
    .map(
      (r) =>
        `\nGoal check, ${r.grids.toLocaleString('en-US')} grids: ${fmt(r.gridsight.ms)} ms for 100,000 points ` +
        `(goal ≤ 100 ms: ${r.gridsight.ms <= 100 ? 'met' : '**not met** on this run'}); ` +
        (r.postgisRatio === null
          ? 'PostGIS not measured.'
          : `${fmt(r.postgisRatio)}× PostGIS (goal ≥ 10×: ${r.postgisRatio >= 10 ? 'met' : '**not met**'}).`),
    ),
  ...(results.live.length === 0
    ? []
    : [
        '',
        '### Ingest → screen, end to end (`bench/live-stream.ts`)',
        '',
        ...(results.liveMeasured
          ? [
              `Measured ${results.liveMeasured.date.slice(0, 10)} (${results.liveMeasured.load}; the load average at the start of each run is printed by \`pnpm bench\`).`,
              '',
            ]
          : []),
        'Real processes: the server (`node server/src/main.ts`, SQLite, TICK_MS 500), a load generator',
        '(`bench/load-generator.ts`, HTTP ingest) and N socket.io-client screens, all on this machine. Latency: from',
        'the generator sending a probe member (its latitude encodes the send time; ten probes a second at random',
        'gaps of 50–150 ms, so they meet every phase of the tick alike, over twelve members, so none is coalesced)',
        'to a screen applying it; it includes validation, the group commit, the wait for the next tick (up to',
        '500 ms) and decoding. “after tick p99”: the part after the server cut the tick (the delta’s `ts`): encoding,',
        'sending, transport and the screen’s decoding. Bytes: everything a',
        'screen received, divided by the member updates sent. Baseline: the same server with `LIVE_BASELINE=naive`',
        '(one emit per changed entity to every screen, no tick). City: 100k cameras registered, 20k members every',
        '5 s (4,000 updates/s) + 200 camera changes/s. Stress: 100k member updates/s offered. 20 s per run, each',
        'scenario in a fresh process; measured in steady state: only probes sent after every screen holds the',
        'registered cameras and all 20k members (each sent once before the load) count (“catch-up s”: how long the',
        'registration took to reach every screen).',
        '“main-thread writes”: GridSight with `SQLITE_WRITER=main`, SQLite writes on the event loop as before the',
        'writer thread. “loop lag p99”: the server’s event-loop delay over the window (its `/metrics`).',
        '“load”: the machine’s 1-min load average as the run ended (2 cores; other work inflates every figure).',
        'The N screens run in the bench process, spread over worker threads of up to 25 screens each (own heap and',
        'event loop, as separate wall PCs would be); “screens CPU” is that whole process: near 100 % means the',
        'screens, not the server, set the latency (the baseline’s per-entity events saturate it first).',
        '“one screen p99”: the same probes seen by one more screen alone in a worker thread (own event loop and',
        'heap): what the server delivers, without the N screens’ shared process in the way.',
        '',
        '| profile | screens | mode | ingest items/s | p50 ms | p99 ms | after tick p99 ms | one screen p99 ms | loop lag p99 ms | bytes/update | bytes/s per screen | server CPU % | peak RSS MB | screens CPU % | re-snapshots | catch-up s | load |',
        '| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
        ...results.live.map(
          (r) =>
            `| ${r.profile} | ${r.screens} | ${MODE_LABEL[r.mode]} | ${fmt(r.ingestPerS, 0)} | ${r.latencyP50Ms ?? '–'} | ${r.latencyP99Ms ?? '–'} | ${r.deliveryP99Ms ?? '–'} | ${r.sentinelP99Ms ?? '–'} | ${r.serverLoopLagP99Ms ?? '–'} | ${fmt(r.bytesPerMemberUpdate)} | ${fmt(r.bytesPerScreenPerS, 0)} | ${fmt(r.serverCpuPct, 0)} | ${fmt(r.serverRssMb, 0)} | ${fmt(r.screensCpuPct, 0)} | ${fmt(r.resnapshotsPerScreen)} | ${r.catchUpMs === undefined || r.profile !== 'city' ? '–' : fmt(r.catchUpMs / 1000)} | ${r.loadAvg1 === undefined ? '–' : fmt(r.loadAvg1)} |`,
        ),
        '',
        ...(['city:10', 'city:100', 'stress:10', 'stress:100'] as const).map((key) => {
          const [profile, n] = key.split(':') as [string, string]
          const { ours, base, mainWriter } = pair(profile, Number(n))
          return (
            `- ${profile}, ${n} screens: ${fmt(base.bytesPerMemberUpdate / ours.bytesPerMemberUpdate)}× fewer bytes per update, ` +
            `${fmt(ours.ingestPerS / base.ingestPerS)}× the ingest throughput, p99 ${ours.latencyP99Ms} ms vs ${base.latencyP99Ms} ms` +
            (mainWriter ? ` (${mainWriter.latencyP99Ms} ms with main-thread writes)` : '') +
            (ours.sentinelP99Ms != null ? `; one screen alone: p99 ${ours.sentinelP99Ms} ms` : '') +
            (profile === 'city' && n === '100'
              ? ` (goal: p99 ≤ tick + 50 = 550 ms: ${(ours.latencyP99Ms ?? Infinity) <= 550 ? 'met' : '**not met**'})`
              : '') +
            '.'
          )
        }),
      ]),
  ...bundleTable,
  ...(results.client
    ? clientMarkdown(
        results.client,
        `Measured ${(results.clientMeasured ?? results).date.slice(0, 10)} (${(results.clientMeasured ?? results).load}).`,
      )
    : []),
  ...(results.soak
    ? soakMarkdown(
        results.soak,
        `Measured ${(results.soakMeasured ?? results).date.slice(0, 10)} (${(results.soakMeasured ?? results).load}).`,
      )
    : []),
].join('\n')

if (only && !merge) {
  if (kpiTable) console.log(`\n${kpiTable}`)
  console.log(`\n${table}\n\n(partial run: docs/benchmarks.md and bench/results/latest.json left as they were)`)
  process.exit(0)
}
const docPath = new URL('docs/benchmarks.md', root)
const doc = readFileSync(docPath, 'utf8')
const begin = '<!-- bench:begin -->'
const end = '<!-- bench:end -->'
const at = doc.indexOf(begin)
const until = doc.indexOf(end)
if (at < 0 || until < at) throw new Error(`docs/benchmarks.md lacks the ${begin} … ${end} markers`)
writeFileSync(docPath, `${doc.slice(0, at + begin.length)}\n${table}\n${doc.slice(until)}`)
if (kpiTable) writeSection('<!-- bench:kpi:begin -->', '<!-- bench:kpi:end -->', kpiTable)
await prettify()
console.log('wrote bench/results/latest.json and docs/benchmarks.md')
