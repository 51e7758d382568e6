/** Row builders shared by the storage tests, the durability child and the benchmark. */
import { mulberry32 } from '@gridsight/shared'
import type { CameraRow, CaseRow, DisputeRow, MemberRow, StoredChange } from './types.ts'

export const T0 = Date.UTC(2026, 3, 2, 8, 0, 0)

export function camera(id: string, over: Partial<CameraRow> = {}): CameraRow {
  return {
    id,
    name: `摄像头 ${id}`,
    kind: 'public',
    lon: 120.755123456789,
    lat: 30.746987654321,
    gridCode: 'G01',
    status: 'online',
    ts: T0,
    ...over,
  }
}

export function member(id: string, over: Partial<MemberRow> = {}): MemberRow {
  return {
    id,
    name: `网格员 ${id}`,
    role: 'grid',
    onDuty: true,
    gridCode: 'G01',
    lon: 120.75,
    lat: 30.75,
    accuracy: 4.5,
    speed: 1.25,
    heading: 271.5,
    ts: T0,
    ...over,
  }
}

export function caseRow(id: string, over: Partial<CaseRow> = {}): CaseRow {
  return {
    id,
    type: 'environment',
    status: 'reported',
    priority: 2,
    title: `占道经营 ${id}`,
    source: 'patrol',
    assignee: null,
    lon: 120.76,
    lat: 30.74,
    gridCode: 'G01',
    reportedAt: T0,
    ts: T0,
    ...over,
  }
}

export function dispute(id: string, over: Partial<DisputeRow> = {}): DisputeRow {
  return {
    id,
    category: 'neighbour',
    status: 'accepted',
    title: `邻里纠纷 ${id}`,
    parties: 2,
    lon: 120.74,
    lat: 30.76,
    gridCode: 'G01',
    acceptedAt: T0,
    ts: T0,
    ...over,
  }
}

export const cameraChange = (row: CameraRow, statusChanged = true): StoredChange => ({
  kind: 'camera',
  row,
  statusChanged,
})
export const memberChange = (row: MemberRow): StoredChange => ({ kind: 'member', row })
export const caseChange = (row: CaseRow, statusChanged = true): StoredChange => ({ kind: 'case', row, statusChanged })
export const disputeChange = (row: DisputeRow, statusChanged = true): StoredChange => ({
  kind: 'dispute',
  row,
  statusChanged,
})

/** A mixed batch of `n` changes over a bounded id space, so that ids repeat (upserts). */
export function mixedChanges(n: number, seed = 1, ts0 = T0): StoredChange[] {
  const rnd = mulberry32(seed)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!
  const out: StoredChange[] = []
  for (let i = 0; i < n; i++) {
    const ts = ts0 + i
    const grid = `G${String(Math.floor(rnd() * 20)).padStart(2, '0')}`
    const lon = 120.6 + rnd() * 0.3
    const lat = 30.6 + rnd() * 0.3
    const r = rnd()
    if (r < 0.5) {
      out.push(
        memberChange(member(`m${Math.floor(rnd() * 2000)}`, { ts, lon, lat, gridCode: grid, onDuty: rnd() < 0.8 })),
      )
    } else if (r < 0.8) {
      const status = pick(['online', 'offline', 'fault'] as const)
      out.push(cameraChange(camera(`c${Math.floor(rnd() * 5000)}`, { ts, status, gridCode: grid, lon, lat }), true))
    } else if (r < 0.93) {
      const status = pick(['reported', 'dispatched', 'handling', 'resolved', 'closed'])
      const type = pick(['environment', 'traffic', 'safety'])
      out.push(caseChange(caseRow(`k${Math.floor(rnd() * 1000)}`, { ts, status, type, gridCode: grid, lon, lat })))
    } else {
      const status = pick(['accepted', 'assigned', 'mediating', 'resolved', 'unresolved', 'escalated'])
      const category = pick(['neighbour', 'labour', 'property'])
      out.push(disputeChange(dispute(`d${Math.floor(rnd() * 300)}`, { ts, status, category, gridCode: grid })))
    }
  }
  return out
}
