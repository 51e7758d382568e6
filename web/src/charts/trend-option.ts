/**
 * The ECharts option of the trends panel, built from a `/api/v1/stats/trends`
 * answer: new cases and new disputes as bars, resolutions as a line (counts, left
 * axis) and the camera online rate as a line on its own percent axis (right).
 * Pure: no DOM, no ECharts import, so it is unit-tested on its own.
 */
import type { Trends } from '@gridsight/shared'
import { CHART } from './chart-theme.ts'

export interface TrendLabels {
  newCases: string
  newDisputes: string
  resolutions: string
  onlineRate: string
}

/** Axis label of a bucket start, in the region's time zone: "14:00" (24 h) or "11-22" (30 d). */
export function bucketLabel(startIso: string, span: Trends['span'], timeZone: string): string {
  const parts: Record<string, string> = {}
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone,
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    hourCycle: 'h23',
  })
  for (const p of fmt.formatToParts(new Date(startIso))) parts[p.type] = p.value
  return span === '24h' ? `${parts.hour}:00` : `${parts.month}-${parts.day}`
}

const axisText = { color: CHART.text2, fontSize: CHART.fsAxis, fontFamily: CHART.fontNum }

export function trendOption(data: Trends, labels: TrendLabels): Record<string, unknown> {
  const b = data.buckets
  const pct = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 10)
  const rates = b.map((x) => pct(x.onlineRate)).filter((v): v is number => v !== null)
  // The online rate lives in the high 90s: a 0–100 axis would flatten it to a line.
  const rateMin = rates.length ? Math.max(0, Math.floor((Math.min(...rates) - 2) / 5) * 5) : 0
  const bar = (name: string, values: number[], color: string) => ({
    name,
    type: 'bar',
    data: values,
    barMaxWidth: data.span === '24h' ? 10 : 9,
    itemStyle: { color, borderRadius: [2, 2, 0, 0] },
  })
  return {
    backgroundColor: 'transparent',
    animationDuration: CHART.animationMs,
    animationDurationUpdate: CHART.animationMs,
    animationEasingUpdate: 'cubicOut',
    textStyle: { fontFamily: CHART.font, color: CHART.text2 },
    legend: {
      top: 0,
      left: 0,
      itemWidth: 14,
      itemHeight: 10,
      itemGap: 10,
      textStyle: { color: CHART.text2, fontSize: CHART.fsLegend },
    },
    grid: { left: 4, right: 4, top: 36, bottom: 2, outerBoundsMode: 'same' },
    tooltip: {
      trigger: 'axis',
      backgroundColor: CHART.tooltipBg,
      borderColor: CHART.line,
      textStyle: { color: CHART.text, fontSize: CHART.fsAxis },
    },
    xAxis: {
      type: 'category',
      data: b.map((x) => bucketLabel(x.start, data.span, data.timeZone)),
      axisLine: { lineStyle: { color: CHART.line } },
      axisTick: { show: false },
      axisLabel: { ...axisText, interval: data.span === '24h' ? 5 : 6, hideOverlap: true },
    },
    yAxis: [
      {
        type: 'value',
        minInterval: 1,
        splitNumber: 3,
        axisLabel: axisText,
        splitLine: { lineStyle: { color: CHART.grid, type: 'dashed' } },
      },
      {
        type: 'value',
        min: rateMin,
        max: 100,
        splitNumber: 3,
        axisLabel: { ...axisText, formatter: '{value}%' },
        splitLine: { show: false },
      },
    ],
    series: [
      bar(
        labels.newCases,
        b.map((x) => x.newCases),
        CHART.accent,
      ),
      bar(
        labels.newDisputes,
        b.map((x) => x.newDisputes),
        CHART.warn,
      ),
      {
        name: labels.resolutions,
        type: 'line',
        data: b.map((x) => x.resolutions),
        smooth: true,
        symbol: 'none',
        lineStyle: { width: 3, color: CHART.ok },
        itemStyle: { color: CHART.ok },
      },
      {
        name: labels.onlineRate,
        type: 'line',
        yAxisIndex: 1,
        data: b.map((x) => pct(x.onlineRate)),
        smooth: true,
        symbol: 'none',
        connectNulls: false,
        lineStyle: { width: 3, color: CHART.accent2, type: 'dashed' },
        itemStyle: { color: CHART.accent2 },
      },
    ],
  }
}
