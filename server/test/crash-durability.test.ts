/**
 * Acknowledged writes survive a crash: a steady ingest into the real server
 * process, kill -9 in the middle of it, restart on the same data: every item the
 * server acknowledged is there (and the live state is rebuilt with it).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { startServerProcess, type ServerProcess } from './server-process.ts'

const KEY = 'test-key-0123456789abcdef'
let running: ServerProcess[] = []
afterEach(async () => {
  for (const s of running) await s.kill()
  running = []
})

async function ingestBatch(url: string, batch: number): Promise<string[] | null> {
  const ts = new Date().toISOString()
  const items = Array.from({ length: 20 }, (_, i) => ({ id: `b${batch}-${i}`, lon: 120.78, lat: 30.75, ts }))
  try {
    const res = await fetch(`${url}/api/v1/ingest/members`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ items }),
    })
    if (!res.ok) return null
    const body = (await res.json()) as { accepted: number }
    return body.accepted === items.length ? items.map((i) => i.id) : null
  } catch {
    return null // the connection died with the server: not acknowledged
  }
}

async function allMemberIds(url: string, token: string): Promise<Set<string>> {
  const ids = new Set<string>()
  let cursor: string | null = null
  do {
    const page = (await (
      await fetch(`${url}/api/v1/members?limit=1000${cursor ? `&cursor=${cursor}` : ''}`, {
        headers: { authorization: `Bearer ${token}` },
      })
    ).json()) as { items: { id: string }[]; nextCursor: string | null }
    for (const m of page.items) ids.add(m.id)
    cursor = page.nextCursor
  } while (cursor)
  return ids
}

describe('crash durability of the ingest path', () => {
  it('keeps every acknowledged item after kill -9 during a steady ingest', async () => {
    // the senders go as fast as they can: that is the test, not a flood to limit
    const env = { SIMULATOR: 'off', GRIDSIGHT_INGEST_KEY: KEY, INGEST_RATE_LIMIT: '1000000' }
    const first = await startServerProcess(env)
    running.push(first)

    const acknowledged: string[] = []
    let batch = 0
    let stop = false
    // Four concurrent senders, so that commits are grouped while the kill lands.
    const senders = Array.from({ length: 4 }, async () => {
      while (!stop) {
        const ids = await ingestBatch(first.url, batch++)
        if (ids) acknowledged.push(...ids)
      }
    })
    await new Promise((r) => setTimeout(r, 1500))
    await first.kill()
    stop = true
    await Promise.all(senders)
    expect(acknowledged.length).toBeGreaterThan(200)

    const second = await startServerProcess({ ...env, DATA_DIR: first.dataDir })
    running.push(second)
    // the first start's wall token is stored like every credential: it still works
    const stored = await allMemberIds(second.url, first.displayToken!)
    const missing = acknowledged.filter((id) => !stored.has(id))
    expect(missing).toEqual([])
  }, 60_000)
})
