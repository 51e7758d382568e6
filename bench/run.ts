/**
 * `pnpm bench`: runs every benchmark, writes bench/results/latest.json and
 * rewrites the generated section of docs/benchmarks.md. Each figure is compared
 * with a baseline measured in the same run; ratios travel better than absolute
 * times on a shared, noisy machine.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { benchWireEncoding } from './wire-encoding.ts'

const root = new URL('../', import.meta.url)
const fmt = (n: number, digits = 1) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })

const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`
console.log(`bench on ${machine}`)

const wire = [300, 4_000, 20_000].map((n) => {
  const r = benchWireEncoding(n)
  console.log(
    `wire ${n} updates: ${fmt(r.binaryBytesPerUpdate)} B vs ${fmt(r.jsonBytesPerUpdate)} B per update; encode ${fmt(r.encodeSpeedRatio)}× faster`,
  )
  return r
})

const results = { date: new Date().toISOString(), machine, wire }
mkdirSync(new URL('bench/results/', root), { recursive: true })
writeFileSync(new URL('bench/results/latest.json', root), `${JSON.stringify(results, null, 2)}\n`)

const table = [
  `Measured ${results.date.slice(0, 10)} on ${machine}.`,
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
