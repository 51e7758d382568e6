/**
 * The server's daily compaction sends every screen, unasked, the snapshot of a new stream history
 * (another epoch) without the finished cases past retention, so rows move to other indexes. The
 * screen must take it as any resync: the cases it holds are not new arrivals (no flash on all of
 * them), and the ones that arrive afterwards flash as before.
 */
import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { STATUS_CODES, type TableChanges, type TableSnapshot } from '@gridsight/shared'
import { liveSnapshot } from '../test-support/live-snapshot.ts'
import { useLiveStore } from '../stores/live.ts'
import { CasesLayers, FLASH_MS } from './cases-layer.ts'

const code = (s: (typeof STATUS_CODES.cases)[number]) => STATUS_CODES.cases.indexOf(s)

const cases = (rows: [string, number][]): TableSnapshot => ({
  ids: rows.map(([id]) => id),
  dict: ['治安'],
  pos: new Float32Array(rows.flatMap((_, i) => [120.7 + i / 100, 30.7])).buffer,
  status: new Uint8Array(rows.map(([, s]) => s)).buffer,
  attr: new Uint16Array(rows.map(() => 0)).buffer,
})

const added = (id: string, row: number): TableChanges => ({
  added: [id],
  dictAdded: [],
  idx: new Uint32Array([row]).buffer,
  pos: new Float32Array([120.8, 30.8]).buffer,
  status: new Uint8Array([code('reported')]).buffer,
  attr: new Uint16Array([0]).buffer,
})

describe('cases after a compaction snapshot', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('flashes none of the cases it carries, and a case arriving afterwards as usual', () => {
    const live = useLiveStore()
    const layers = new CasesLayers()
    live.applySnapshot(
      liveSnapshot({
        cases: cases([
          ['c-old-resolved', code('resolved')],
          ['c-open', code('reported')],
        ]),
      }),
    )
    expect(
      live.applyDelta({ epoch: 'e1', scope: '330402', seq: 1, ts: 5_000, tables: { cases: added('c-new', 2) } }),
    ).toBe('applied')
    layers.update(live.mirror, 5_000)
    expect(layers.flashing).toBe(true)

    // still within c-new's flash: the compaction's snapshot, c-old-resolved gone, every row moved up
    const t = 5_000 + FLASH_MS / 2
    live.applySnapshot(
      liveSnapshot(
        {
          cases: cases([
            ['c-open', code('reported')],
            ['c-new', code('reported')],
          ]),
        },
        { epoch: 'e2', seq: 0, ts: t },
      ),
    )
    expect(layers.update(live.mirror, t)).toBe(true)
    expect(layers.flashing).toBe(false)
    expect([...layers.seen.times.subarray(0, 2)]).toEqual([Number.NaN, Number.NaN])
    expect(layers.count).toBe(2)
    expect([0, 1].map((i) => live.mirror.tables.cases.ids[layers.rowAt(i)])).toEqual(['c-open', 'c-new'])

    // the new history's deltas: only the case that arrives on one flashes
    expect(
      live.applyDelta({ epoch: 'e2', scope: '330402', seq: 1, ts: t + 100, tables: { cases: added('c-next', 2) } }),
    ).toBe('applied')
    layers.update(live.mirror, t + 100)
    expect(layers.flashing).toBe(true)
    expect([...layers.seen.times.subarray(0, 3)]).toEqual([Number.NaN, Number.NaN, t + 100])
    // an old-epoch delta after the snapshot is a gap (the screen asks for a resync), not applied
    expect(live.applyDelta({ epoch: 'e1', scope: '330402', seq: 2, ts: t, tables: {} })).toBe('gap')
  })
})
