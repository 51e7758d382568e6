import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { KPI_FIELDS, type LiveSnapshot, type TableSnapshot } from '@gridsight/shared'
import { useLiveStore } from './live.ts'

const table = (ids: string[]): TableSnapshot => ({
  ids,
  dict: ['x'],
  pos: new Uint8Array(new Float32Array(ids.flatMap(() => [120.7, 30.7])).buffer),
  status: new Uint8Array(ids.map(() => 1)),
  attr: new Uint8Array(new Uint16Array(ids.map(() => 0)).buffer),
})

const snapshot = (scope: string): LiveSnapshot => ({
  epoch: 'e1',
  scope,
  seq: 7,
  ts: 1,
  tables: { members: table(['m1', 'm2']), cameras: table(['c1']), cases: table([]), disputes: table([]) },
  kpis: { fields: [...KPI_FIELDS], units: { [scope]: KPI_FIELDS.map(() => 3) } },
})

describe('live store', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('forgets the whole stream on reset, so a new scope starts from its own snapshot', () => {
    const live = useLiveStore()
    live.applySnapshot(snapshot('330402001'))
    expect(live.mirror.kpi('330402001', 'cameras.total')).toBe(3)
    expect(live.membersOnDuty).toBe(2)
    const before = live.version

    live.reset()
    expect(live.version).toBeGreaterThan(before)
    expect(live.mirror.epoch).toBeNull()
    expect(live.mirror.scope).toBeNull()
    expect(live.mirror.memberCount).toBe(0)
    expect(live.mirror.kpi('330402001', 'cameras.total')).toBeUndefined()
    expect(live.receivedAt).toBeNull()
    expect(live.membersOnDuty).toBe(0)
    // A delta of the old stream is not applied to the reset mirror.
    expect(live.applyDelta({ epoch: 'e1', scope: '330402001', seq: 8, ts: 2, tables: {} })).toBe('waiting')

    live.applySnapshot(snapshot('330402002'))
    expect(live.mirror.kpi('330402002', 'cameras.total')).toBe(3)
    expect(live.mirror.memberCount).toBe(2)
  })
})
