import { describe, expect, it } from 'vitest'
import { MirrorTable } from '@gridsight/shared'
import { packHeat, sameHeat } from './dispute-heat.ts'

const NOW = Date.parse('2026-11-22T12:00:00+08:00')
const HOUR = 3_600_000

/** a disputes table as the stream fills it: position, category (attr → dict), acceptance time (`at`, whole seconds) */
function table(rows: { hoursAgo: number | null; category: number; lon: number }[]): MirrorTable {
  const t = new MirrorTable()
  t.reset({
    ids: rows.map((_, i) => `d${i}`),
    dict: ['邻里纠纷', '物业纠纷', '其他'],
    pos: new Float32Array(rows.flatMap((r) => [r.lon, 30.7])).buffer,
    status: new Uint8Array(rows.length).buffer,
    attr: new Uint16Array(rows.map((r) => r.category)).buffer,
    at: new Uint32Array(rows.map((r) => (r.hoursAgo === null ? 0 : (NOW - r.hoursAgo * HOUR) / 1000))).buffer,
  })
  return t
}

const TABLE = table([
  { hoursAgo: 1, category: 0, lon: 120.1 },
  { hoursAgo: 30, category: 1, lon: 120.2 },
  { hoursAgo: 24 * 10, category: 0, lon: 120.3 },
  { hoursAgo: -1, category: 2, lon: 120.4 },
  { hoursAgo: null, category: 0, lon: 120.5 },
  { hoursAgo: 24 * 45, category: 0, lon: 120.6 },
])
const lons = (h: { positions: Float32Array; count: number }) =>
  Array.from(h.positions.subarray(0, h.count * 2).filter((_, i) => i % 2 === 0)).map((x) => +x.toFixed(1))

describe('packHeat', () => {
  it("keeps the mirror's disputes accepted in the window, never future ones nor ones of unknown time", () => {
    expect(lons(packHeat(TABLE, NOW, '24h', null))).toEqual([120.1])
    expect(lons(packHeat(TABLE, NOW, '7d', null))).toEqual([120.1, 120.2])
    expect(lons(packHeat(TABLE, NOW, '30d', null))).toEqual([120.1, 120.2, 120.3])
    expect(packHeat(TABLE, NOW, '30d', null).positions).toHaveLength(6)
  })

  it('filters by category', () => {
    expect(lons(packHeat(TABLE, NOW, '30d', '邻里纠纷'))).toEqual([120.1, 120.3])
    expect(packHeat(TABLE, NOW, '30d', '不存在').count).toBe(0)
  })

  it('lets disputes leave the window with time alone', () => {
    // a day on: the one accepted an hour before is out of 24 h, the one of the future is in
    expect(lons(packHeat(TABLE, NOW + 24 * HOUR, '24h', null))).toEqual([120.4])
    expect(lons(packHeat(TABLE, NOW + 24 * HOUR, '7d', null))).toEqual([120.1, 120.2, 120.4])
  })
})

describe('sameHeat', () => {
  it('compares the points drawn, not the buffers', () => {
    const a = packHeat(TABLE, NOW, '7d', null)
    expect(sameHeat(a, packHeat(TABLE, NOW, '7d', null))).toBe(true)
    expect(sameHeat(a, packHeat(TABLE, NOW, '24h', null))).toBe(false)
    const moved = table([
      { hoursAgo: 1, category: 0, lon: 120.15 },
      { hoursAgo: 30, category: 1, lon: 120.2 },
    ])
    expect(sameHeat(a, packHeat(moved, NOW, '7d', null))).toBe(false)
  })
})
