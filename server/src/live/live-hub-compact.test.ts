/**
 * The live retention: finished cases and disputes past it leave the streams, which start a new
 * history (epoch) without them; open items, cameras and members stay whatever their age.
 */
import { describe, expect, it } from 'vitest'
import { CASE_FLAGS, LiveMirror, STATUS_CODES, type LiveDelta, type LiveSnapshot } from '@gridsight/shared'
import { LiveHub, type LiveEntity } from './live-hub.ts'
import { nextCompactionAt, retentionCutoff } from './compaction-schedule.ts'

const REGION = '330402'
const STREET_A = '330402001'
const GRID_A = `${STREET_A}001001`
const GRID_B = '330402002001001'
const DAY = 86_400_000
const NOW = Date.UTC(2026, 10, 23, 20)
const OLD = NOW - 40 * DAY
const RECENT = NOW - 5 * DAY

const item = (kind: 'cases' | 'disputes', id: string, status: string, at: number, gridCode = GRID_A): LiveEntity => ({
  kind,
  id,
  lon: 120.75,
  lat: 30.75,
  status: (STATUS_CODES[kind] as readonly string[]).indexOf(status),
  attr: kind === 'cases' ? '环境卫生' : '邻里纠纷',
  gridCode,
  at,
})

function hubWithHistory(): LiveHub {
  const hub = new LiveHub(REGION)
  hub.stream(STREET_A)
  hub.upsert(item('cases', 'c-old-closed', 'closed', OLD))
  hub.upsert(item('cases', 'c-old-resolved', 'resolved', OLD, GRID_B))
  hub.upsert(item('cases', 'c-old-open', 'handling', OLD))
  hub.upsert(item('cases', 'c-recent-closed', 'closed', RECENT))
  hub.upsert(item('disputes', 'd-old-resolved', 'resolved', OLD))
  hub.upsert(item('disputes', 'd-old-unresolved', 'unresolved', OLD))
  hub.upsert(item('disputes', 'd-old-escalated', 'escalated', OLD))
  hub.upsert(item('disputes', 'd-recent-resolved', 'resolved', RECENT))
  hub.upsert({
    kind: 'cameras',
    id: 'cam-1',
    lon: 120.7,
    lat: 30.7,
    status: 1,
    attr: 'public',
    gridCode: GRID_A,
    at: OLD,
  })
  hub.upsert({ kind: 'members', id: 'm-1', lon: 120.7, lat: 30.7, status: 1, attr: 'grid', gridCode: GRID_A })
  hub.setCaseFlags('c-old-open', CASE_FLAGS.resolveOverdue)
  for (const s of hub.streams) s.cutDelta(NOW)
  return hub
}

const follow = (snapshot: unknown) => {
  const m = new LiveMirror()
  m.applySnapshot(snapshot as LiveSnapshot)
  return m
}

describe('LiveHub.compact', () => {
  it('drops the old finished cases and disputes, keeps open and recent ones, cameras and members', () => {
    const hub = hubWithHistory()
    expect(hub.compact(retentionCutoff(NOW, 31))).toEqual({ cases: 2, disputes: 2 })
    const root = follow(hub.root.snapshot())
    expect(root.tables.cases.ids).toEqual(['c-old-open', 'c-recent-closed'])
    expect(root.tables.disputes.ids).toEqual(['d-old-escalated', 'd-recent-resolved'])
    expect(root.tables.cameras.ids).toEqual(['cam-1'])
    expect(root.tables.members.ids).toEqual(['m-1'])
    // what a kept row carries comes along: its time and the server's overdue bits
    expect(root.tables.cases.at[0]).toBe(OLD)
    expect(root.tables.cases.flags[0]).toBe(CASE_FLAGS.resolveOverdue)
    // a unit's stream holds its part only
    expect(follow(hub.stream(STREET_A).snapshot()).tables.cases.ids).toEqual(['c-old-open', 'c-recent-closed'])
  })

  it('starts every stream anew: new epoch, seq 0, empty ring; a client of the old history gets a snapshot', () => {
    const hub = hubWithHistory()
    const oldRoot = hub.root
    const oldStreet = hub.stream(STREET_A)
    const before = follow(oldRoot.snapshot())
    hub.compact(retentionCutoff(NOW, 31))

    expect(hub.root).not.toBe(oldRoot)
    expect(hub.epoch).toBe(hub.root.epoch)
    expect(hub.root.epoch).not.toBe(oldRoot.epoch)
    expect(hub.root.seq).toBe(0)
    expect(hub.root.cutDelta(NOW)).toBeNull()
    expect(hub.root.replaySince({ epoch: oldRoot.epoch, seq: oldRoot.seq })).toBeNull()
    expect(hub.root.replaySince({ epoch: oldRoot.epoch, seq: 0 })).toBeNull()
    const street = hub.stream(STREET_A)
    expect(street).not.toBe(oldStreet)
    expect(street.epoch).not.toBe(oldStreet.epoch)
    expect(street.replaySince({ epoch: oldStreet.epoch, seq: oldStreet.seq })).toBeNull()

    // the new history goes on as usual; a mirror still on the old one sees a gap (→ resync)
    hub.upsert(item('cases', 'c-new', 'reported', NOW))
    const d = hub.root.cutDelta(NOW) as unknown as LiveDelta
    expect(d.seq).toBe(1)
    expect(before.applyDelta(d)).toBe('gap')
    const after = follow(hub.root.snapshot())
    expect(after.tables.cases.ids).toEqual(['c-old-open', 'c-recent-closed', 'c-new'])
    expect(hub.root.replaySince({ epoch: hub.root.epoch, seq: 0 })).toHaveLength(1)
  })

  it('keeps out what it dropped and old finished items sent later; updates the ones it still holds', () => {
    const hub = hubWithHistory()
    hub.compact(retentionCutoff(NOW, 31))
    // a dropped case closed late, and an old finished dispute sent now (a pre-rolled history): not re-added
    hub.upsert(item('cases', 'c-old-resolved', 'closed', OLD, GRID_B))
    hub.upsert(item('disputes', 'd-late-history', 'resolved', OLD))
    // new and open ones come in whatever their age
    hub.upsert(item('cases', 'c-late-open', 'reported', OLD))
    // a held old open case resolved now is updated, and leaves at the next compaction
    hub.upsert(item('cases', 'c-old-open', 'resolved', OLD))
    const delta = hub.root.cutDelta(NOW) as unknown as LiveDelta
    expect(delta.tables.cases?.added).toEqual(['c-late-open'])
    expect(delta.tables.disputes).toBeUndefined()
    const root = follow(hub.root.snapshot())
    expect(root.tables.cases.ids).toEqual(['c-old-open', 'c-recent-closed', 'c-late-open'])
    expect(root.tables.cases.status[0]).toBe(STATUS_CODES.cases.indexOf('resolved'))
    expect(root.tables.disputes.ids).toEqual(['d-old-escalated', 'd-recent-resolved'])
    expect(hub.compact(retentionCutoff(NOW, 31))).toEqual({ cases: 1, disputes: 0 })
    expect(follow(hub.root.snapshot()).tables.cases.ids).toEqual(['c-recent-closed', 'c-late-open'])
  })

  it('leaves the streams alone when nothing is past retention', () => {
    const hub = hubWithHistory()
    hub.compact(retentionCutoff(NOW, 31))
    const root = hub.root
    expect(hub.compact(retentionCutoff(NOW, 31))).toEqual({ cases: 0, disputes: 0 })
    expect(hub.root).toBe(root)
    // a longer retention keeps them all
    const other = hubWithHistory()
    const epoch = other.epoch
    expect(other.compact(retentionCutoff(NOW, 60))).toEqual({ cases: 0, disputes: 0 })
    expect(other.epoch).toBe(epoch)
  })
})

describe('nextCompactionAt', () => {
  const at = (iso: string) => Date.parse(iso)
  it('is the next given hour in Shanghai (UTC+8), later today or tomorrow', () => {
    // 2026-11-23 03:59 Shanghai → 04:00 the same day
    expect(nextCompactionAt(at('2026-11-22T19:59:00Z'), 4)).toBe(at('2026-11-22T20:00:00Z'))
    // exactly 04:00 → tomorrow's
    expect(nextCompactionAt(at('2026-11-22T20:00:00Z'), 4)).toBe(at('2026-11-23T20:00:00Z'))
    // 2026-11-23 08:00 UTC is 16:00 Shanghai → 04:00 on the 24th there
    expect(nextCompactionAt(at('2026-11-23T08:00:00Z'), 4)).toBe(at('2026-11-23T20:00:00Z'))
    expect(nextCompactionAt(at('2026-11-23T08:00:00Z'), 0)).toBe(at('2026-11-23T16:00:00Z'))
  })
})
