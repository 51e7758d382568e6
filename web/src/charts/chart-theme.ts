/**
 * The charts' share of the design system (web/src/styles/theme.css): ECharts draws
 * on a canvas and cannot read CSS variables, so the few colours and sizes it needs
 * are repeated here, under the same names. Sizes are design-canvas pixels, chosen
 * to read from 5 m on a 1080p wall.
 */
export const CHART = {
  text: '#e6f1ff',
  text2: '#a9c3e0',
  text3: '#7890ad',
  line: 'rgba(63, 169, 255, 0.28)',
  grid: 'rgba(63, 169, 255, 0.12)',
  accent: '#3fa9ff',
  accent2: '#38e1ff',
  ok: '#2ee6a6',
  warn: '#ffb020',
  danger: '#ff4d4f',
  tooltipBg: 'rgba(6, 20, 40, 0.95)',
  font: "'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', 'PingFang SC', sans-serif",
  fontNum: "'DIN Alternate', 'Bahnschrift', 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif",
  fsAxis: 16,
  fsLegend: 16,
  /** changes ease in over this long: noticeable, never jumpy */
  animationMs: 900,
} as const

/** Category palette for the dispute categories, in order. */
export const CATEGORY_COLORS = ['#3fa9ff', '#38e1ff', '#2ee6a6', '#ffb020', '#ff7a45', '#b37feb', '#ff4d4f', '#7890ad']
