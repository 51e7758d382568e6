/**
 * kill -9 during a steady stream of writes, then reopen: every batch whose write() had resolved
 * (the child printed its ack) must be there. Three rounds on the same SQLite file.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createInterface } from 'node:readline'
import { afterAll, describe, expect, it } from 'vitest'
import BetterSqlite3 from 'better-sqlite3'
import { openStore, SQLITE_FILE } from './index.ts'
import { T0 } from './fixtures.ts'

const CHILD = fileURLToPath(new URL('./durability-child.ts', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'gridsight-durability-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Runs the child until it has acknowledged `killAfter` batches, then SIGKILLs it. */
function runAndKill(first: number, killAfter: number): Promise<{ acked: number[]; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, dir, String(first)], { stdio: ['ignore', 'pipe', 'pipe'] })
    const acked: number[] = []
    let stderr = ''
    let killed = false
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    createInterface({ input: child.stdout }).on('line', (line) => {
      const m = /^ack (\d+)$/.exec(line)
      if (!m) return
      acked.push(Number(m[1]))
      if (!killed && acked.length >= killAfter) {
        killed = true
        child.kill('SIGKILL')
      }
    })
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve({ acked, stderr })
      else reject(new Error(`child exited with ${code ?? signal} before it was killed:\n${stderr}`))
    })
  })
}

describe('SQLite durability', () => {
  it('puts the database in WAL mode', async () => {
    const store = await openStore({ dataDir: dir })
    await store.close()
    const db = new BetterSqlite3(join(dir, SQLITE_FILE), { readonly: true })
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    } finally {
      db.close()
    }
  })

  it('keeps every acknowledged batch after kill -9, round after round', async () => {
    const allAcked: number[] = []
    let next = 0
    for (const killAfter of [150, 97, 233]) {
      const { acked } = await runAndKill(next, killAfter)
      expect(acked.length).toBeGreaterThanOrEqual(killAfter)
      allAcked.push(...acked)
      next = Math.max(...allAcked) + 100 // leave a gap: the child may have had unacknowledged batches in flight

      const store = await openStore({ dataDir: dir })
      try {
        const missing: number[] = []
        for (const n of allAcked) {
          const cam = await store.getCamera(`b${n}`)
          if (!cam || cam.ts !== T0 + n) missing.push(n)
        }
        expect(missing).toEqual([])
        // The member tracks of an acknowledged batch are there too (same transaction).
        const last = Math.max(...acked)
        const track = await store.memberTrack('m7', T0 + last * 100)
        expect(track[0]?.ts).toBe(T0 + last * 100 + 7)
      } finally {
        await store.close()
      }
    }
  }, 60_000)
})
