/**
 * Load generator, run as its own process by bench/live-stream.ts:
 *   node bench/load-generator.ts <url> <key> <city|stress> <seconds> [--wait]
 * It first registers the cameras (city) and sends every member once; with --wait it then prints
 * {ready} and starts the timed load only when a line arrives on stdin (the bench sends it once
 * every screen has caught up with the registration).
 * city:   100,000 cameras registered, 20,000 members each reporting every 5 s
 *         (4,000 updates/s) and 200 camera status changes/s.
 * stress: 20,000 members at 100,000 updates/s.
 * Prints one JSON line of what the server acknowledged.
 */
import { createInterface } from 'node:readline'
import { mulberry32 } from '@gridsight/shared'
import { PROBE_GAP_MS, PROBE_IDS, probeLat } from './probe.ts'

const [url, key, profile = 'city', secondsArg = '15'] = process.argv.slice(2)
if (!url || !key) throw new Error('usage: load-generator.ts <url> <key> <city|stress> <seconds>')
const seconds = Number(secondsArg)
const random = mulberry32(42)
const W = 120.66
const S = 30.62
const SPAN = 0.3

const MEMBERS = 20_000
const CAMERAS = 100_000
const memberRate = profile === 'stress' ? 100_000 : MEMBERS / 5
const cameraRate = profile === 'stress' ? 0 : 200
// Stress slices stay under the server's 10,000-item batch limit.
const SLICE_MS = profile === 'stress' ? 50 : 100

const stats = { accepted: 0, rejected: 0, requests: 0, failed: 0, sentMembers: 0 }

async function post(kind: string, items: object[]): Promise<void> {
  stats.requests++
  try {
    const res = await fetch(`${url}/api/v1/ingest/${kind}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ items }),
    })
    if (!res.ok) {
      stats.failed++
      return
    }
    const body = (await res.json()) as { accepted: number; rejected: unknown[] }
    stats.accepted += body.accepted
    stats.rejected += body.rejected.length
  } catch {
    stats.failed++
  }
}

const memberLon = Float64Array.from({ length: MEMBERS }, () => W + SPAN * random())
const memberLat = Float64Array.from({ length: MEMBERS }, () => S + SPAN * 0.7 * random())

const registeredAt = new Date().toISOString()
if (profile === 'city') {
  for (let start = 0; start < CAMERAS; start += 10_000) {
    const items = []
    for (let i = start; i < start + 10_000; i++) {
      items.push({
        id: `cam${i}`,
        status: 'online',
        ts: registeredAt,
        lon: W + SPAN * random(),
        lat: S + SPAN * 0.7 * random(),
      })
    }
    await post('cameras', items)
  }
}
// Every member once before the load: the timed window is the steady stream of known members.
for (let start = 0; start < MEMBERS; start += 10_000) {
  const items = []
  for (let i = start; i < start + 10_000; i++)
    items.push({ id: `m${i}`, lon: memberLon[i], lat: memberLat[i], ts: registeredAt })
  await post('members', items)
}
process.stdout.write(`${JSON.stringify({ ready: true })}\n`)
if (process.argv.includes('--wait')) {
  const input = createInterface({ input: process.stdin })
  await new Promise((r) => input.once('line', r))
  input.close()
}
Object.assign(stats, { accepted: 0, rejected: 0, requests: 0, failed: 0 })

let next = 0
const inFlight = new Set<Promise<void>>()
const started = performance.now()
let slice = 0

// Probes go on their own, at random gaps (bench/probe.ts says why), beside the timed load and without
// waiting for each other's answer: under the stress load an answer takes a second.
const gapRandom = mulberry32(7)
const probes = new Set<Promise<void>>()
const probing = (async () => {
  for (let n = 0; performance.now() - started < seconds * 1000; n++) {
    const [lo, hi] = PROBE_GAP_MS
    await new Promise((r) => setTimeout(r, lo + (hi - lo) * gapRandom()))
    const id = PROBE_IDS[n % PROBE_IDS.length]!
    const p = post('members', [{ id, lon: 120.78, lat: probeLat(Date.now()), ts: new Date().toISOString() }])
    probes.add(p)
    void p.finally(() => probes.delete(p))
  }
  await Promise.all(probes)
})()
while (performance.now() - started < seconds * 1000) {
  const due = started + slice * SLICE_MS
  const wait = due - performance.now()
  if (wait > 0) await new Promise((r) => setTimeout(r, wait))
  slice++
  const ts = new Date().toISOString()
  const members = []
  for (let k = 0; k < (memberRate * SLICE_MS) / 1000; k++) {
    const i = next++ % MEMBERS
    memberLon[i]! += (random() - 0.5) * 1e-4
    memberLat[i]! += (random() - 0.5) * 1e-4
    members.push({ id: `m${i}`, lon: memberLon[i], lat: memberLat[i], ts })
  }
  stats.sentMembers += members.length
  // At most 8 requests in flight: a server that cannot keep up shows as a lower acknowledged rate.
  if (inFlight.size >= 8) await Promise.race(inFlight)
  const p = post('members', members).finally(() => inFlight.delete(p))
  inFlight.add(p)
  if (cameraRate > 0) {
    const cams = []
    for (let k = 0; k < (cameraRate * SLICE_MS) / 1000; k++) {
      cams.push({ id: `cam${Math.floor(random() * CAMERAS)}`, status: random() < 0.5 ? 'offline' : 'online', ts })
    }
    const c = post('cameras', cams).finally(() => inFlight.delete(c))
    inFlight.add(c)
  }
}
await Promise.all([...inFlight, probing])
const elapsed = (performance.now() - started) / 1000
process.stdout.write(`${JSON.stringify({ ...stats, seconds: elapsed })}\n`)
