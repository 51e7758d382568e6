/**
 * Valid ingest items → stored rows: positions to WGS-84, timestamps to epoch ms,
 * the grid looked up, and event-time ordering against the current row.
 */
import { convertPosition, type CameraItem, type CaseItem, type DisputeItem, type MemberItem } from '@gridsight/shared'
import type { CameraRow, CaseRow, DisputeRow, MemberRow, StoredChange } from '../db/index.ts'

/** Finds the finest grid containing a WGS-84 point, or null outside the region. */
export type Locate = (lon: number, lat: number) => string | null

export interface TimeWindow {
  now: number
  /** accepted clock skew into the future, ms */
  maxFutureMs: number
  /** oldest accepted event age, ms */
  maxAgeMs: number
}

export type Decision = { change: StoredChange } | { unchanged: true } | { error: string }

const MINUTE = 60_000

const PARTS = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?.*?(?:Z|([+-])(\d{2}):(\d{2}))$/

/** Date.parse rolls 2026-02-31 over into March; a sender meaning that date has a bug we should report. */
function isRealDateTime(ts: string): boolean {
  const p = PARTS.exec(ts)
  if (!p) return false
  const [y, mo, d, h, mi, sec = '0', , oh = '0', om = '0'] = p.slice(1).map((v) => v ?? '0') as string[]
  const daysInMonth = new Date(Date.UTC(Number(y), Number(mo), 0)).getUTCDate()
  return (
    Number(mo) >= 1 &&
    Number(mo) <= 12 &&
    Number(d) >= 1 &&
    Number(d) <= daysInMonth &&
    Number(h) < 24 &&
    Number(mi) < 60 &&
    Number(sec) < 60 &&
    Number(oh) <= 14 &&
    Number(om) < 60
  )
}

/** A batch's items usually share one `ts` string: parse it once (the window is still checked per item). */
let lastTs = ''
let lastParsed = Number.NaN

function parseTs(ts: string): number {
  if (ts === lastTs) return lastParsed
  const t = Date.parse(ts)
  lastTs = ts
  lastParsed = Number.isNaN(t) || !isRealDateTime(ts) ? Number.NaN : t
  return lastParsed
}

export function checkTime(ts: string, w: TimeWindow): number | string {
  const t = parseTs(ts)
  if (Number.isNaN(t)) return `ts is not a real date-time (got "${ts}")`
  if (t > w.now + w.maxFutureMs) {
    return `ts is ${Math.round((t - w.now) / MINUTE)} minutes in the future (more than ${w.maxFutureMs / MINUTE} allowed; check the sender's clock)`
  }
  if (t < w.now - w.maxAgeMs) return `ts is older than ${Math.round(w.maxAgeMs / 86_400_000)} days (got "${ts}")`
  return t
}

const toWgs = (lon: number, lat: number, crs: MemberItem['crs']): [number, number] =>
  crs && crs !== 'wgs84' ? convertPosition(lon, lat, crs, 'wgs84') : [lon, lat]

/** Same or older than what we hold: ignore (idempotent re-send or out-of-order update). */
const isStale = (prev: { ts: number } | undefined, ts: number) => prev !== undefined && ts <= prev.ts

export function decideCamera(item: CameraItem, prev: CameraRow | undefined, ts: number, locate: Locate): Decision {
  if (isStale(prev, ts)) return { unchanged: true }
  const hasPos = item.lon !== undefined && item.lat !== undefined
  if (!prev && !hasPos)
    return { error: `camera ${item.id} is not registered yet: send lon and lat with its first item` }
  if ((item.lon === undefined) !== (item.lat === undefined)) return { error: 'lon and lat must be sent together' }
  const [lon, lat] = hasPos ? toWgs(item.lon!, item.lat!, item.crs) : [prev!.lon, prev!.lat]
  const row: CameraRow = {
    id: item.id,
    name: item.name ?? prev?.name ?? null,
    kind: item.kind ?? prev?.kind ?? 'public',
    lon,
    lat,
    gridCode: hasPos || !prev ? locate(lon, lat) : prev.gridCode,
    status: item.status,
    ts,
  }
  return { change: { kind: 'camera', row, statusChanged: prev?.status !== item.status } }
}

export function decideMember(item: MemberItem, prev: MemberRow | undefined, ts: number, locate: Locate): Decision {
  if (isStale(prev, ts)) return { unchanged: true }
  const [lon, lat] = toWgs(item.lon, item.lat, item.crs)
  const row: MemberRow = {
    id: item.id,
    name: item.name ?? prev?.name ?? null,
    role: item.role ?? prev?.role ?? null,
    onDuty: item.onDuty ?? prev?.onDuty ?? true,
    // A member's own grid is an assignment, not where they happen to stand.
    gridCode: item.gridCode ?? prev?.gridCode ?? locate(lon, lat),
    lon,
    lat,
    accuracy: item.accuracy ?? null,
    speed: item.speed ?? null,
    heading: item.heading ?? null,
    ts,
    // sticky: a device keeps its SOS until it sends sos: false
    sos: item.sos ?? prev?.sos ?? false,
  }
  return { change: { kind: 'member', row } }
}

export function decideCase(item: CaseItem, prev: CaseRow | undefined, ts: number, locate: Locate): Decision {
  if (isStale(prev, ts)) return { unchanged: true }
  const [lon, lat] = toWgs(item.lon, item.lat, item.crs)
  const row: CaseRow = {
    id: item.id,
    type: item.type,
    status: item.status,
    priority: item.priority ?? prev?.priority ?? null,
    title: item.title ?? prev?.title ?? null,
    source: item.source ?? prev?.source ?? null,
    assignee: item.assignee ?? prev?.assignee ?? null,
    lon,
    lat,
    gridCode: locate(lon, lat),
    reportedAt: prev?.reportedAt ?? ts,
    ts,
  }
  return { change: { kind: 'case', row, statusChanged: prev?.status !== item.status } }
}

export function decideDispute(item: DisputeItem, prev: DisputeRow | undefined, ts: number, locate: Locate): Decision {
  if (isStale(prev, ts)) return { unchanged: true }
  const [lon, lat] = toWgs(item.lon, item.lat, item.crs)
  const row: DisputeRow = {
    id: item.id,
    category: item.category,
    status: item.status,
    title: item.title ?? prev?.title ?? null,
    parties: item.parties ?? prev?.parties ?? null,
    lon,
    lat,
    gridCode: locate(lon, lat),
    acceptedAt: prev?.acceptedAt ?? ts,
    ts,
  }
  return { change: { kind: 'dispute', row, statusChanged: prev?.status !== item.status } }
}
