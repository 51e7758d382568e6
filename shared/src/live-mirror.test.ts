import { describe, expect, it } from 'vitest'
import { LiveMirror } from './live-mirror.ts'
import { CASE_FLAGS, type LiveDelta, type LiveSnapshot, type TableChanges, type TableSnapshot } from './protocol.ts'

const emptyTable = (): TableSnapshot => ({
  ids: [],
  dict: [],
  pos: new ArrayBuffer(0),
  status: new ArrayBuffer(0),
  attr: new ArrayBuffer(0),
})

const snapshot = (seq: number, epoch = 'e1'): LiveSnapshot => ({
  epoch,
  scope: '330402',
  seq,
  ts: 1000,
  tables: {
    members: {
      ids: ['a', 'b'],
      dict: ['grid'],
      pos: new Float32Array([120.1, 30.1, 120.2, 30.2]).buffer,
      status: new Uint8Array([1, 0]).buffer,
      attr: new Uint16Array([0, 0]).buffer,
    },
    cameras: emptyTable(),
    cases: emptyTable(),
    disputes: emptyTable(),
  },
})

const changes = (rows: [number, number, number, number?][], added: string[] = [], dictAdded: string[] = []) =>
  ({
    added,
    dictAdded,
    idx: new Uint32Array(rows.map((c) => c[0])).buffer,
    pos: new Float32Array(rows.flatMap((c) => [c[1], c[2]])).buffer,
    status: new Uint8Array(rows.map((c) => c[3] ?? 1)).buffer,
    attr: new Uint16Array(rows.map(() => 0)).buffer,
  }) satisfies TableChanges

const delta = (seq: number, members: TableChanges, epoch = 'e1', scope = '330402'): LiveDelta => ({
  epoch,
  scope,
  seq,
  ts: 2000 + seq,
  tables: { members },
})

describe('LiveMirror', () => {
  it('records when a delta last carried each row (a report, e.g. a heartbeat); unknown after a snapshot', () => {
    const m = new LiveMirror()
    m.applySnapshot(snapshot(7))
    const t = m.tables.members
    expect(Number.isNaN(t.seen[0]!)).toBe(true)
    expect(m.applyDelta(delta(8, changes([[1, 121, 31]], ['c'])))).toBe('applied')
    expect(t.seen[1]).toBe(2008)
    expect(Number.isNaN(t.seen[0]!)).toBe(true)
    expect(Number.isNaN(t.seen[2]!)).toBe(true)
    m.applySnapshot(snapshot(9))
    expect(Number.isNaN(t.seen[1]!)).toBe(true)
  })

  it('keeps each timed row’s own time from the `at` column (Unix s → epoch ms; 0 and absent: unknown)', () => {
    const m = new LiveMirror()
    const s = snapshot(1)
    s.tables.cases = {
      ids: ['k1', 'k2', 'k3'],
      dict: ['road'],
      pos: new Float32Array(6).buffer,
      status: new Uint8Array([0, 1, 0]).buffer,
      attr: new Uint16Array(3).buffer,
      at: new Uint32Array([1_790_000_000, 0, 1_790_000_600]).buffer,
    }
    m.applySnapshot(s)
    const cases = m.tables.cases
    expect(cases.at[0]).toBe(1_790_000_000_000)
    expect(Number.isNaN(cases.at[1]!)).toBe(true)
    expect(cases.at[2]).toBe(1_790_000_600_000)
    // members carry no time
    expect(Number.isNaN(m.tables.members.at[0]!)).toBe(true)
    const d: LiveDelta = {
      epoch: 'e1',
      scope: '330402',
      seq: 2,
      ts: 5000,
      tables: {
        cases: {
          ...changes(
            [
              [1, 0, 0],
              [3, 0, 0],
            ],
            ['k4'],
          ),
          at: new Uint32Array([1_790_000_900, 1_790_001_000]).buffer,
        },
      },
    }
    expect(m.applyDelta(d)).toBe('applied')
    expect(cases.at[1]).toBe(1_790_000_900_000)
    expect(cases.at[3]).toBe(1_790_001_000_000)
    expect(cases.at[0]).toBe(1_790_000_000_000)
    // a new snapshot without the column forgets every time
    m.applySnapshot(snapshot(3))
    expect(Number.isNaN(cases.at[0]!)).toBe(true)
  })

  it('keeps the server’s per-row flags (cases: overdue bits) from snapshots and deltas; none from a server without the column', () => {
    const m = new LiveMirror()
    const s = snapshot(1)
    s.tables.cases = {
      ids: ['k1', 'k2'],
      dict: ['road'],
      pos: new Float32Array(4).buffer,
      status: new Uint8Array([0, 2]).buffer,
      attr: new Uint16Array(2).buffer,
      // as msgpack may hand it over: a view at an odd offset of a larger buffer
      flags: new Uint8Array([9, CASE_FLAGS.dispatchOverdue, 0]).subarray(1),
    }
    m.applySnapshot(s)
    const cases = m.tables.cases
    expect(cases.flagged).toBe(true)
    expect(m.tables.members.flagged).toBe(false)
    expect([...cases.flags.subarray(0, 2)]).toEqual([1, 0])
    // k2 passes its resolve deadline with no other change; a new case k3 comes with none
    const d: LiveDelta = {
      epoch: 'e1',
      scope: '330402',
      seq: 2,
      ts: 5000,
      tables: {
        cases: {
          ...changes(
            [
              [1, 0, 0, 2],
              [2, 0, 0, 0],
            ],
            ['k3'],
          ),
          flags: new Uint8Array([CASE_FLAGS.resolveOverdue, 0]).buffer,
        },
      },
    }
    expect(m.applyDelta(d)).toBe('applied')
    expect([...cases.flags.subarray(0, 3)]).toEqual([1, 2, 0])
    // a snapshot of a server that sends no flags: nothing flagged, and the table says so
    m.applySnapshot(snapshot(3))
    expect(cases.flagged).toBe(false)
    expect(cases.flags[0]).toBe(0)
  })

  it('finds rows by id after a snapshot, rows added by deltas before and after the first lookup, and a new snapshot', () => {
    const m = new LiveMirror()
    m.applySnapshot(snapshot(7))
    expect(m.applyDelta(delta(8, changes([[0, 121, 31]], ['c'])))).toBe('applied')
    expect(m.tables.members.row('b')).toBe(1)
    expect(m.tables.members.row('c')).toBe(2)
    expect(m.applyDelta(delta(9, changes([[3, 122, 32]], ['d'])))).toBe('applied')
    expect(m.memberPosition('d')).toEqual([122, 32])
    m.applySnapshot(snapshot(10))
    expect(m.tables.members.row('c')).toBeUndefined()
    expect(m.tables.members.row('a')).toBe(0)
  })

  it('bumps the revision of the tables a snapshot or delta touched, and only those', () => {
    const m = new LiveMirror()
    m.applySnapshot(snapshot(7))
    const members = m.tables.members.revision
    const cameras = m.tables.cameras.revision
    expect(m.applyDelta(delta(8, changes([[0, 121, 31]])))).toBe('applied')
    expect(m.tables.members.revision).toBe(members + 1)
    expect(m.tables.cameras.revision).toBe(cameras)
  })

  it('ignores deltas until the first snapshot', () => {
    const m = new LiveMirror()
    expect(m.applyDelta(delta(1, changes([[0, 1, 1]])))).toBe('waiting')
    expect(m.memberCount).toBe(0)
  })

  it('applies consecutive deltas over a snapshot, latest values win', () => {
    const m = new LiveMirror()
    m.applySnapshot(snapshot(7))
    expect(m.applyDelta(delta(8, changes([[1, 121, 31]])))).toBe('applied')
    expect(m.applyDelta(delta(9, changes([[1, 122, 32, 2]])))).toBe('applied')
    expect(m.seq).toBe(9)
    expect(m.memberPosition('a')).toEqual([Math.fround(120.1), Math.fround(30.1)])
    expect(m.memberPosition('b')).toEqual([122, 32])
    expect(m.statusOf('members', 'b')).toBe('sos')
    expect(m.statusOf('members', 'a')).toBe('on-duty')
    expect(m.tables.members.countStatus([1, 2])).toBe(2)
    expect(m.tables.members.countStatus([0])).toBe(0)
  })

  it('registers added ids at the next rows and grows past its capacity', () => {
    const m = new LiveMirror()
    m.applySnapshot(snapshot(0))
    const ids = Array.from({ length: 1000 }, (_, i) => `n${i}`)
    const rows = ids.map((_, i): [number, number, number] => [i + 2, 120 + i / 1000, 30])
    expect(m.applyDelta(delta(1, changes(rows, ids, ['police'])))).toBe('applied')
    expect(m.memberCount).toBe(1002)
    expect(m.memberPosition('n999')).toEqual([Math.fround(120.999), 30])
    expect(m.tables.members.dict).toEqual(['grid', 'police'])
  })

  it('reports a skipped seq, another epoch or scope, and an unknown row as gaps', () => {
    const m = new LiveMirror()
    m.applySnapshot(snapshot(3))
    expect(m.applyDelta(delta(5, changes([[0, 1, 1]])))).toBe('gap')
    expect(m.applyDelta(delta(4, changes([[0, 1, 1]]), 'e2'))).toBe('gap')
    expect(m.applyDelta(delta(4, changes([[0, 1, 1]]), 'e1', '330402001'))).toBe('gap')
    expect(m.applyDelta(delta(4, changes([[9, 1, 1]])))).toBe('gap')
    expect(m.seq).toBe(3)
  })

  it('drops deltas already covered by the snapshot', () => {
    const m = new LiveMirror()
    m.applySnapshot(snapshot(3))
    expect(m.applyDelta(delta(3, changes([[0, 1, 1]])))).toBe('stale')
    expect(m.memberPosition('a')).toEqual([Math.fround(120.1), Math.fround(30.1)])
  })

  it('accepts Node Buffers at odd offsets as binary fields', () => {
    const m = new LiveMirror()
    const raw = new Uint8Array(17)
    raw.set(new Uint8Array(new Float32Array([120, 30, 121, 31]).buffer), 1)
    const s = snapshot(0)
    s.tables.members.pos = raw.subarray(1)
    m.applySnapshot(s)
    expect(m.memberPosition('b')).toEqual([121, 31])
  })
})
