import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { effectScope, nextTick, shallowRef } from 'vue'
import type { EntityKind, LiveSnapshot, TableChanges, TableSnapshot } from '@gridsight/shared'
import { useLiveStore } from '../stores/live.ts'
import type { DetailTarget } from '../stores/detail.ts'

const calls: string[] = []
/** answers by URL; a pending promise stays pending until resolved by the test */
let answer: (url: string) => Promise<Response>

vi.mock('../api/http.ts', () => ({
  apiFetch: (url: string) => {
    calls.push(url)
    return answer(url)
  },
}))

const { detailUrl, useEntityDetail } = await import('./useEntityDetail.ts')

const json = (body: unknown, status = 200) =>
  Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }))

const bytes = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength)
const table = (ids: string[]): TableSnapshot => ({
  ids,
  dict: ['public'],
  pos: bytes(new Float32Array(ids.flatMap(() => [120.7, 30.7]))),
  status: new Uint8Array(ids.map(() => 0)),
  attr: bytes(new Uint16Array(ids.map(() => 0))),
})
const empty = table([])
function snapshot(): LiveSnapshot {
  return {
    epoch: 'e1',
    scope: '330402',
    seq: 1,
    ts: 1,
    tables: { members: empty, cameras: table(['C1', 'C2']), cases: empty, disputes: empty },
  }
}
let seq = 1
function delta(kind: EntityKind, row: number, status: number): void {
  const changes: TableChanges = {
    added: [],
    dictAdded: [],
    idx: bytes(new Uint32Array([row])),
    pos: bytes(new Float32Array([120.7, 30.7])),
    status: new Uint8Array([status]),
    attr: bytes(new Uint16Array([0])),
  }
  useLiveStore().applyDelta({ epoch: 'e1', scope: '330402', seq: ++seq, ts: seq * 1000, tables: { [kind]: changes } })
}

describe('useEntityDetail', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    calls.length = 0
    seq = 1
    useLiveStore().applySnapshot(snapshot())
  })

  it('asks the REST resource of each kind', () => {
    expect(detailUrl({ kind: 'cameras', id: 'C 1' })).toBe('/api/v1/cameras/C%201')
    expect(detailUrl({ kind: 'cases', id: 'A1' })).toBe('/api/v1/cases/A1')
    expect(detailUrl({ kind: 'members', id: 'M1' })).toBe('/api/v1/members/M1')
    expect(detailUrl({ kind: 'disputes', id: 'MD20261122001' })).toBe('/api/v1/disputes/MD20261122001')
    expect(detailUrl({ kind: 'unit', id: '330402001001001' })).toBe('/api/v1/stats?unit=330402001001001')
  })

  it('loads through apiFetch, clears at once on a new target and drops a superseded answer', async () => {
    let releaseFirst: (r: Response) => void = () => {}
    answer = (url) =>
      url.endsWith('/C1')
        ? new Promise<Response>((r) => (releaseFirst = r))
        : json({ id: url.split('/').at(-1), history: [] })
    const target = shallowRef<DetailTarget | null>({ kind: 'cameras', id: 'C1' })
    const scope = effectScope()
    const { data, error } = scope.run(() => useEntityDetail(target))!
    expect(calls).toEqual(['/api/v1/cameras/C1'])
    target.value = { kind: 'cameras', id: 'C2' }
    await nextTick()
    await vi.waitFor(() => expect(data.value).toMatchObject({ kind: 'cameras', record: { id: 'C2' } }))
    // the slow answer for C1 arrives late: it must not replace C2
    releaseFirst(new Response(JSON.stringify({ id: 'C1', history: [] }), { status: 200 }))
    await new Promise((r) => setTimeout(r, 10))
    expect(data.value).toMatchObject({ record: { id: 'C2' } })
    expect(error.value).toBeNull()
    target.value = null
    await nextTick()
    expect(data.value).toBeNull()
    scope.stop()
  })

  it("reports the server's message for a refused or missing entity", async () => {
    answer = () => json({ message: 'no camera with id "C9"' }, 404)
    const scope = effectScope()
    const { data, error } = scope.run(() => useEntityDetail({ kind: 'cameras', id: 'C9' }))!
    await vi.waitFor(() => expect(error.value).toEqual({ status: 404, message: 'no camera with id "C9"' }))
    expect(data.value).toBeNull()
    scope.stop()
  })

  it('loads again when a delta touches the entity, not for other rows, at most once per gap', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] })
    try {
      answer = () => json({ id: 'C1', history: [] })
      const scope = effectScope()
      scope.run(() => useEntityDetail({ kind: 'cameras', id: 'C1' }, { minGapMs: () => 1000 }))
      expect(calls).toHaveLength(1)
      delta('cameras', 1, 1) // C2 went offline: nothing to load
      await nextTick()
      expect(calls).toHaveLength(1)
      delta('cameras', 0, 1) // C1 went offline, within the gap of the first load
      await nextTick()
      expect(calls).toHaveLength(1)
      vi.advanceTimersByTime(1000)
      expect(calls).toHaveLength(2)
      delta('cameras', 0, 0)
      await nextTick()
      delta('cameras', 0, 1)
      await nextTick()
      vi.advanceTimersByTime(1000)
      // two changes in one gap: one load
      expect(calls).toHaveLength(3)
      scope.stop()
      delta('cameras', 0, 0)
      await nextTick()
      vi.advanceTimersByTime(5000)
      expect(calls).toHaveLength(3)
    } finally {
      vi.useRealTimers()
    }
  })

  it("reloads a unit's figures on a timer", async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] })
    try {
      answer = () => json({ unit: { code: '330402001' } })
      const scope = effectScope()
      scope.run(() => useEntityDetail({ kind: 'unit', id: '330402001' }, { unitRefreshMs: 3000 }))
      expect(calls).toEqual(['/api/v1/stats?unit=330402001'])
      vi.advanceTimersByTime(3000)
      expect(calls).toHaveLength(2)
      scope.stop()
      vi.advanceTimersByTime(9000)
      expect(calls).toHaveLength(2)
    } finally {
      vi.useRealTimers()
    }
  })
})
