/**
 * `pnpm bench`: runs every benchmark, writes bench/results/latest.json and
 * rewrites the generated section of docs/benchmarks.md. Each figure is compared
 * with a baseline measured in the same run; ratios travel better than absolute
 * times on a shared, noisy machine.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import { cpus, loadavg, totalmem } from 'node:os'
import { benchWireEncoding } from './wire-encoding.ts'
import { benchGridIndex } from './grid-index.ts'

const root = new URL('../', import.meta.url)
const fmt = (n: number, digits = 1) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })

const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`
// other work on a shared machine slows every figure: say how busy it was
const load = `1-min load average ${loadavg()[0]!.toFixed(1)} at start`
console.log(`bench on ${machine}, ${load}`)

const wire = [300, 4_000, 20_000].map((n) => {
  const r = benchWireEncoding(n)
  console.log(
    `wire ${n} updates: ${fmt(r.binaryBytesPerUpdate)} B vs ${fmt(r.jsonBytesPerUpdate)} B per update; encode ${fmt(r.encodeSpeedRatio)}× faster`,
  )
  return r
})

const gridIndex = await benchGridIndex()

const results = { date: new Date().toISOString(), machine, load, wire, gridIndex }
mkdirSync(new URL('bench/results/', root), { recursive: true })
writeFileSync(new URL('bench/results/latest.json', root), `${JSON.stringify(results, null, 2)}\n`)

const table = [
  `Measured ${results.date.slice(0, 10)} on ${machine} (${load}).`,
  '',
  '### Live wire encoding: one tick of member positions',
  '',
  'GridSight: one columnar delta (uint32 index + float32 lon/lat) through socket.io-msgpack-parser.',
  'Baseline: one JSON `emit` per changed member through socket.io’s default parser.',
  '',
  '| updates per tick | GridSight B/update | baseline B/update | bytes ratio | GridSight ns/update | baseline ns/update | encode speed ratio |',
  '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...wire.map(
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
  ...(gridIndex.postgisNotice ? ['', `**${gridIndex.postgisNotice}**`] : []),
  '',
  '| grids | GridSight ms | GridSight points/s | build ms | turf sample | turf points/s (extrap.) | vs turf | PostGIS ms | PostGIS points/s | vs PostGIS | agree turf / PostGIS |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...gridIndex.results.map(
    (r) =>
      `| ${r.grids.toLocaleString('en-US')} (${r.dataset}) | ${fmt(r.gridsight.ms)} | ${fmt(r.gridsight.pointsPerSec, 0)} | ${fmt(r.buildMs)} | ${r.turf.measuredPoints.toLocaleString('en-US')} | ${fmt(r.turf.pointsPerSec, 0)} | ${fmt(r.turfRatio, 0)}× | ${r.postgis ? fmt(r.postgis.ms, 0) : 'skipped'} | ${r.postgis ? fmt(r.postgis.pointsPerSec, 0) : '–'} | ${r.postgisRatio === null ? '–' : `${fmt(r.postgisRatio)}×`} | ${fmt(100 * r.turf.agreement)} % / ${r.postgis ? `${fmt(100 * r.postgis.agreement)} %` : '–'} |`,
  ),
  ...gridIndex.results
    .filter((r) => r.grids >= 10_000)
    .map(
      (r) =>
        `\nGoal check, ${r.grids.toLocaleString('en-US')} grids: ${fmt(r.gridsight.ms)} ms for 100,000 points ` +
        `(goal ≤ 100 ms: ${r.gridsight.ms <= 100 ? 'met' : '**not met** on this run'}); ` +
        (r.postgisRatio === null
          ? 'PostGIS not measured.'
          : `${fmt(r.postgisRatio)}× PostGIS (goal ≥ 10×: ${r.postgisRatio >= 10 ? 'met' : '**not met**'}).`),
    ),
].join('\n')

const docPath = new URL('docs/benchmarks.md', root)
const doc = readFileSync(docPath, 'utf8')
const begin = '<!-- bench:begin -->'
const end = '<!-- bench:end -->'
const at = doc.indexOf(begin)
const until = doc.indexOf(end)
if (at < 0 || until < at) throw new Error(`docs/benchmarks.md lacks the ${begin} … ${end} markers`)
writeFileSync(docPath, `${doc.slice(0, at + begin.length)}\n${table}\n${doc.slice(until)}`)
console.log('wrote bench/results/latest.json and docs/benchmarks.md')
