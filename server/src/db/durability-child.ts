/**
 * Child process of durability.test.ts: writes numbered batches forever, four in flight at a time
 * (so that they share group commits), and prints `ack <n>` once write() of batch n resolved.
 * Usage: node durability-child.ts <dataDir> <firstBatch>
 */
import { openStore } from './index.ts'
import { T0, camera, cameraChange, member, memberChange } from './fixtures.ts'
import type { StoredChange } from './types.ts'

export function batchChanges(n: number): StoredChange[] {
  return [
    cameraChange(camera(`b${n}`, { ts: T0 + n, status: n % 2 ? 'offline' : 'online' })),
    ...Array.from({ length: 20 }, (_, i) =>
      memberChange(member(`m${i}`, { ts: T0 + n * 100 + i, lon: 120 + n / 1e6 })),
    ),
  ]
}

const [dataDir, first] = process.argv.slice(2)
if (!dataDir) throw new Error('usage: durability-child.ts <dataDir> <firstBatch>')
const store = await openStore({ dataDir })
process.stdout.write('ready\n')
for (let n = Number(first ?? 0); ; n += 4) {
  await Promise.all(
    [n, n + 1, n + 2, n + 3].map((b) => store.write(batchChanges(b)).then(() => process.stdout.write(`ack ${b}\n`))),
  )
}
