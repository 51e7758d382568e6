/**
 * The heatmap's feed from the live mirror: a real LiveMirror fed a snapshot and deltas as the
 * stream sends them; timers faked so the throttle and the ageing can be stepped through.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { effectScope, nextTick, ref } from 'vue'
import { LiveMirror, type LiveSnapshot } from '@gridsight/shared'
import { liveSnapshot } from '../test-support/live-snapshot.ts'
import { HEAT_AGE_MS, HEAT_REPACK_MS, useDisputeHeat } from './useDisputeHeat.ts'
import type { HeatWindow } from '../stores/layers.ts'

const T0 = Date.parse('2026-11-22T12:00:00+08:00')
const HOUR = 3_600_000
/** d0 邻里纠纷 accepted 1 h ago, d1 物业纠纷 30 h ago, d2 邻里纠纷 20 days ago */
function snapshot(): LiveSnapshot {
  return liveSnapshot(
    {
      disputes: {
        ids: ['d0', 'd1', 'd2'],
        dict: ['邻里纠纷', '物业纠纷'],
        pos: new Float32Array([120.1, 30.1, 120.2, 30.2, 120.3, 30.3]).buffer,
        status: new Uint8Array([0, 2, 3]).buffer,
        attr: new Uint16Array([0, 1, 0]).buffer,
        at: new Uint32Array([(T0 - HOUR) / 1000, (T0 - 30 * HOUR) / 1000, (T0 - 480 * HOUR) / 1000]).buffer,
      },
    },
    { epoch: 'e', ts: T0 },
  )
}

describe('useDisputeHeat', () => {
  let mirror: LiveMirror
  let seq: number
  const version = ref(0)
  const enabled = ref(false)
  const win = ref<HeatWindow>('7d')
  const category = ref<string | null>(null)
  let scope: ReturnType<typeof effectScope>
  let heat: ReturnType<typeof useDisputeHeat>

  /** one delta on the disputes table: `added` new rows, or rows changed in place */
  function delta(
    rows: { idx: number; id?: string; lon: number; lat?: number; status: number; attr: number; hoursAgo: number }[],
  ) {
    const added = rows.flatMap((r) => (r.id ? [r.id] : []))
    const res = mirror.applyDelta({
      epoch: 'e',
      scope: '330402',
      seq: ++seq,
      ts: Date.now(),
      tables: {
        disputes: {
          added,
          dictAdded: [],
          idx: new Uint32Array(rows.map((r) => r.idx)).buffer,
          pos: new Float32Array(rows.flatMap((r) => [r.lon, r.lat ?? 30])).buffer,
          status: new Uint8Array(rows.map((r) => r.status)).buffer,
          attr: new Uint16Array(rows.map((r) => r.attr)).buffer,
          at: new Uint32Array(rows.map((r) => Math.round((Date.now() - r.hoursAgo * HOUR) / 1000))).buffer,
        },
      },
    })
    expect(res).toBe('applied')
    version.value++
  }
  const lons = () => {
    const { positions, count } = heat.points.value
    return Array.from(positions.subarray(0, 2 * count).filter((_, i) => i % 2 === 0)).map((x) => +x.toFixed(2))
  }

  beforeEach(() => {
    vi.useFakeTimers()
    vi.setSystemTime(T0)
    mirror = new LiveMirror()
    mirror.applySnapshot(snapshot())
    seq = 0
    enabled.value = false
    win.value = '7d'
    category.value = null
    scope = effectScope()
    heat = scope.run(() =>
      useDisputeHeat({
        enabled,
        window: win,
        category,
        table: () => mirror.tables.disputes,
        version,
        now: () => Date.now(),
      }),
    )!
  })
  afterEach(() => {
    scope.stop()
    vi.useRealTimers()
  })

  it('packs nothing while off; on, the window and the category from the mirror at once', async () => {
    expect(heat.points.value.count).toBe(0)
    enabled.value = true
    await nextTick()
    expect(lons()).toEqual([120.1, 120.2])
    win.value = '30d'
    await nextTick()
    expect(lons()).toEqual([120.1, 120.2, 120.3])
    category.value = '邻里纠纷'
    await nextTick()
    expect(lons()).toEqual([120.1, 120.3])
    win.value = '24h'
    await nextTick()
    expect(lons()).toEqual([120.1])
  })

  it('takes a new dispute from a delta, at most every HEAT_REPACK_MS', async () => {
    enabled.value = true
    await nextTick()
    const before = heat.points.value
    delta([{ idx: 3, id: 'd3', lon: 120.4, status: 0, attr: 1, hoursAgo: 0 }])
    await nextTick()
    expect(heat.points.value).toBe(before)
    vi.advanceTimersByTime(HEAT_REPACK_MS)
    expect(lons()).toEqual([120.1, 120.2, 120.4])
  })

  it('keeps the same points when a delta moves no point (a status change)', async () => {
    enabled.value = true
    await nextTick()
    const before = heat.points.value
    // d0 escalated (督办), where it was
    delta([{ idx: 0, lon: 120.1, lat: 30.1, status: 5, attr: 0, hoursAgo: 1 }])
    await nextTick()
    vi.advanceTimersByTime(HEAT_REPACK_MS)
    expect(heat.points.value).toBe(before)
  })

  it('lets disputes age out of the window with time alone, and stops when turned off', async () => {
    win.value = '24h'
    enabled.value = true
    await nextTick()
    expect(lons()).toEqual([120.1])
    vi.advanceTimersByTime(23 * HOUR + HEAT_AGE_MS)
    expect(lons()).toEqual([])
    enabled.value = false
    await nextTick()
    delta([{ idx: 3, id: 'd3', lon: 120.4, status: 0, attr: 1, hoursAgo: 0 }])
    await nextTick()
    vi.advanceTimersByTime(HEAT_AGE_MS)
    expect(lons()).toEqual([])
  })
})
