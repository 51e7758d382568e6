/**
 * The ECharts option of the disputes-by-category chart: the largest categories as
 * horizontal bars, biggest on top, count at the bar's end; the rest summed into
 * one "other" bar so the chart keeps its size. Pure, unit-tested.
 */
import { CATEGORY_COLORS, CHART } from './chart-theme.ts'

export function topCategories(
  counts: Record<string, number>,
  top: number,
  otherLabel: string,
): { name: string; value: number }[] {
  const list = Object.entries(counts)
    .filter(([, v]) => v > 0)
    .map(([name, value]) => ({ name, value }))
    .sort((a, b) => b.value - a.value || a.name.localeCompare(b.name))
  if (list.length <= top) return list
  const rest = list.slice(top - 1).reduce((s, x) => s + x.value, 0)
  return [...list.slice(0, top - 1), { name: otherLabel, value: rest }]
}

export function categoryOption(
  counts: Record<string, number>,
  opts: { top?: number; otherLabel: string },
): Record<string, unknown> {
  const rows = topCategories(counts, opts.top ?? 3, opts.otherLabel)
  return {
    backgroundColor: 'transparent',
    animationDuration: CHART.animationMs,
    animationDurationUpdate: CHART.animationMs,
    animationEasingUpdate: 'cubicOut',
    textStyle: { fontFamily: CHART.font },
    grid: { left: 4, right: 40, top: 2, bottom: 2, outerBoundsMode: 'same' },
    xAxis: { type: 'value', show: false, max: (v: { max: number }) => Math.max(1, v.max) },
    yAxis: {
      type: 'category',
      inverse: true,
      data: rows.map((r) => r.name),
      axisLine: { show: false },
      axisTick: { show: false },
      axisLabel: { color: CHART.text2, fontSize: CHART.fsAxis, width: 110, overflow: 'truncate', interval: 0 },
    },
    series: [
      {
        type: 'bar',
        data: rows.map((r, i) => ({
          value: r.value,
          itemStyle: { color: CATEGORY_COLORS[i % CATEGORY_COLORS.length] },
        })),
        barMaxWidth: 14,
        showBackground: true,
        backgroundStyle: { color: 'rgba(63, 169, 255, 0.08)' },
        label: {
          show: true,
          position: 'right',
          color: CHART.text,
          fontSize: CHART.fsAxis,
          fontFamily: CHART.fontNum,
        },
      },
    ],
  }
}
