import { LiveMirror, type LiveSnapshot, type TableSnapshot } from '@gridsight/shared'

/** A table with no rows, as a snapshot carries it. */
export const emptyTable = (): TableSnapshot => ({
  ids: [],
  dict: [],
  pos: new ArrayBuffer(0),
  status: new ArrayBuffer(0),
  attr: new ArrayBuffer(0),
})

/** A snapshot of the district (epoch e1, seq 0) holding the given tables and empty others. */
export function liveSnapshot(
  tables: Partial<LiveSnapshot['tables']>,
  head: Partial<Omit<LiveSnapshot, 'tables'>> = {},
): LiveSnapshot {
  return {
    epoch: 'e1',
    scope: '330402',
    seq: 0,
    ts: 1_000,
    ...head,
    tables: { members: emptyTable(), cameras: emptyTable(), cases: emptyTable(), disputes: emptyTable(), ...tables },
  }
}

/** A mirror that has applied `snapshot`. */
export function mirrorOf(snapshot: LiveSnapshot): LiveMirror {
  const m = new LiveMirror()
  m.applySnapshot(snapshot)
  return m
}
