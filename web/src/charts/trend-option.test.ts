import { describe, expect, it } from 'vitest'
import type { Trends } from '@gridsight/shared'
import { bucketLabel, trendOption } from './trend-option.ts'
import { categoryOption, topCategories } from './category-option.ts'

const LABELS = { newCases: '新增事件', newDisputes: '新增纠纷', resolutions: '办结化解', onlineRate: '在线率' }

function hourly(): Trends {
  const start = Date.parse('2026-11-22T00:00:00+08:00')
  return {
    unit: '330402',
    span: '24h',
    timeZone: 'Asia/Shanghai',
    ts: start + 24 * 3_600_000,
    buckets: Array.from({ length: 24 }, (_, h) => ({
      start: new Date(start + h * 3_600_000).toISOString(),
      newCases: h,
      newDisputes: h % 3,
      resolutions: 2 * h,
      casesResolved: h,
      disputesResolved: h,
      onlineRate: h === 5 ? null : 0.97 - h / 1000,
    })),
  }
}

type Series = { name: string; type: string; data: unknown[]; yAxisIndex?: number }

describe('trend chart option', () => {
  it('labels buckets in the region time zone, hours for 24 h and dates for 30 d', () => {
    expect(bucketLabel('2026-11-21T16:00:00.000Z', '24h', 'Asia/Shanghai')).toBe('00:00')
    expect(bucketLabel('2026-11-22T06:00:00.000Z', '24h', 'Asia/Shanghai')).toBe('14:00')
    expect(bucketLabel('2026-11-21T16:00:00.000Z', '30d', 'Asia/Shanghai')).toBe('11-22')
  })

  it('draws new cases and disputes as bars, resolutions and the online rate (percent, own axis) as lines', () => {
    const o = trendOption(hourly(), LABELS) as {
      xAxis: { data: string[] }
      yAxis: { min?: number }[]
      series: Series[]
    }
    expect(o.xAxis.data).toHaveLength(24)
    expect(o.xAxis.data[0]).toBe('00:00')
    expect(o.xAxis.data[23]).toBe('23:00')
    expect(o.series.map((s) => [s.name, s.type])).toEqual([
      ['新增事件', 'bar'],
      ['新增纠纷', 'bar'],
      ['办结化解', 'line'],
      ['在线率', 'line'],
    ])
    expect(o.series[0]!.data[10]).toBe(10)
    expect(o.series[2]!.data[10]).toBe(20)
    const rate = o.series[3]!
    expect(rate.yAxisIndex).toBe(1)
    expect(rate.data[0]).toBe(97)
    expect(rate.data[5]).toBeNull() // no data is a gap, not a zero
    // the percent axis zooms in on the rates shown instead of flattening them at 0–100
    expect(o.yAxis[1]!.min).toBe(90)
  })

  it('keeps a rate axis from 0 when there are no rates at all', () => {
    const t = hourly()
    t.buckets = t.buckets.map((b) => ({ ...b, onlineRate: null }))
    const o = trendOption(t, LABELS) as { yAxis: { min?: number }[] }
    expect(o.yAxis[1]!.min).toBe(0)
  })
})

describe('dispute category option', () => {
  it('keeps the largest categories and sums the rest into "other"', () => {
    const counts = { 邻里纠纷: 12, 婚姻家庭: 7, 劳动争议: 7, 物业纠纷: 3, 土地纠纷: 1, 其他: 0 }
    expect(topCategories(counts, 4, '其余')).toEqual([
      { name: '邻里纠纷', value: 12 },
      { name: '劳动争议', value: 7 },
      { name: '婚姻家庭', value: 7 },
      { name: '其余', value: 4 },
    ])
    expect(topCategories({ a: 2, b: 1 }, 4, 'x')).toEqual([
      { name: 'a', value: 2 },
      { name: 'b', value: 1 },
    ])
    const o = categoryOption(counts, { top: 4, otherLabel: '其余' }) as { yAxis: { data: string[] }; series: Series[] }
    expect(o.yAxis.data).toEqual(['邻里纠纷', '劳动争议', '婚姻家庭', '其余'])
    expect(o.series[0]!.data.map((d) => (d as { value: number }).value)).toEqual([12, 7, 7, 4])
  })
})
