import { describe, expect, it } from 'vitest'
import { categoriesOf, packHeat, type DisputeItem } from './dispute-heat.ts'

const NOW = Date.parse('2026-11-22T12:00:00+08:00')
const item = (hoursAgo: number, category: string, lon = 120.7): DisputeItem => ({
  lon,
  lat: 30.7,
  category,
  acceptedAt: new Date(NOW - hoursAgo * 3600_000).toISOString(),
})
const ITEMS = [
  item(1, '邻里纠纷', 120.1),
  item(30, '物业纠纷', 120.2),
  item(24 * 10, '邻里纠纷', 120.3),
  item(-1, '其他'),
]

describe('packHeat', () => {
  it('keeps the disputes of the window, never future ones', () => {
    const h = packHeat(ITEMS, NOW, '24h', null)
    expect(h.count).toBe(1)
    expect(h.positions[0]).toBeCloseTo(120.1)
    expect(packHeat(ITEMS, NOW, '7d', null).count).toBe(2)
    expect(packHeat(ITEMS, NOW, '30d', null).count).toBe(3)
  })
  it('filters by category', () => {
    const h = packHeat(ITEMS, NOW, '30d', '邻里纠纷')
    expect(h.count).toBe(2)
    expect(Array.from(h.positions.subarray(0, 4).filter((_, i) => i % 2 === 0)).map((x) => +x.toFixed(1))).toEqual([
      120.1, 120.3,
    ])
  })
})

describe('categoriesOf', () => {
  it('lists categories by frequency', () => {
    expect(categoriesOf(ITEMS)).toEqual(['邻里纠纷', '其他', '物业纠纷'])
  })
})
