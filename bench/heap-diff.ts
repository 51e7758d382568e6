/**
 * Diagnosis for the wall soak: what grew between two V8 heap snapshots (`.heapsnapshot`, as the soak
 * writes with SOAK_HEAP_SNAPSHOTS=<dir>), by constructor (objects) or node type (strings, arrays,
 * code…), sorted by the growth of self size. Usage: node bench/heap-diff.ts before.heapsnapshot after.heapsnapshot [rows]
 */
import { readFileSync } from 'node:fs'
import { census, type Census, type HeapSnapshotJson as Snapshot } from './heap-census.ts'

if (import.meta.main) {
  const [a, b, rows = '40'] = process.argv.slice(2)
  if (!a || !b) throw new Error('usage: node bench/heap-diff.ts before.heapsnapshot after.heapsnapshot [rows]')
  const before = census(JSON.parse(readFileSync(a, 'utf8')) as Snapshot)
  const after = census(JSON.parse(readFileSync(b, 'utf8')) as Snapshot)
  const names = new Set([...before.keys(), ...after.keys()])
  const diff = [...names].map((n) => {
    const x = before.get(n) ?? { count: 0, size: 0 }
    const y = after.get(n) ?? { count: 0, size: 0 }
    return { n, dCount: y.count - x.count, dSize: y.size - x.size, size: y.size }
  })
  diff.sort((p, q) => q.dSize - p.dSize)
  const total = (c: Census) => [...c.values()].reduce((s, v) => s + v.size, 0)
  console.log(`total self size: ${(total(before) / 2 ** 20).toFixed(2)} → ${(total(after) / 2 ** 20).toFixed(2)} MiB`)
  for (const d of diff.slice(0, Number(rows))) {
    console.log(
      `${(d.dSize / 1024).toFixed(1).padStart(9)} KiB ${String(d.dCount).padStart(8)} objs  now ${(d.size / 1024).toFixed(0).padStart(7)} KiB  ${d.n.slice(0, 90)}`,
    )
  }
}
