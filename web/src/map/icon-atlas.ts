/**
 * The map's icon atlas, drawn in the page on a canvas: no image request (the
 * CSP allows data:/blob: images, but deck.gl would fetch a URL, and fetching is
 * 'self' only). Every icon is white on transparent and used as a mask, so the
 * layers tint it (case state, member status).
 */
export const ICON_CELL = 64

/** Case glyphs by type as the simulator and the city's taxonomy name them; anything else gets 'other'. */
export const CASE_ICON_TYPES = [
  '环境卫生',
  '占道经营',
  '道路设施',
  '治安隐患',
  '消防隐患',
  '违章搭建',
  '噪声扰民',
  '出租房管理',
  '安全生产',
  '交通安全',
  '市容秩序',
] as const

export const ICON_NAMES = [...CASE_ICON_TYPES.map((_, k) => `case-${k}`), 'case-other', 'heading'] as const
export type IconName = (typeof ICON_NAMES)[number]
export const OTHER_CASE_ICON = CASE_ICON_TYPES.length
export const HEADING_ICON = ICON_NAMES.indexOf('heading')

export interface IconFrame {
  x: number
  y: number
  width: number
  height: number
  mask: boolean
}

/** Where each icon sits in the atlas: one row of cells. */
export const ICON_MAPPING: Record<string, IconFrame> = Object.fromEntries(
  ICON_NAMES.map((name, k) => [name, { x: k * ICON_CELL, y: 0, width: ICON_CELL, height: ICON_CELL, mask: true }]),
)

/** The icon index of a case type (see CASE_ICON_TYPES). */
export function caseIconOf(type: string | undefined): number {
  const k = CASE_ICON_TYPES.indexOf(type as (typeof CASE_ICON_TYPES)[number])
  return k < 0 ? OTHER_CASE_ICON : k
}

type Draw = (c: CanvasRenderingContext2D) => void

const poly =
  (...pts: number[]): Draw =>
  (c) => {
    c.beginPath()
    for (let k = 0; k < pts.length; k += 2) c.lineTo(pts[k]!, pts[k + 1]!)
    c.closePath()
    c.fill()
  }

const regular = (sides: number, r: number, rot = 0): Draw => {
  const pts: number[] = []
  for (let k = 0; k < sides; k++) {
    const a = rot + (k / sides) * Math.PI * 2
    pts.push(32 + r * Math.sin(a), 32 - r * Math.cos(a))
  }
  return poly(...pts)
}

// Shapes that stay apart at 20 px: the type reads from the silhouette alone.
const GLYPHS: readonly Draw[] = [
  // 环境卫生: bin with lid
  (c) => {
    c.fillRect(16, 14, 32, 6)
    poly(19, 22, 45, 22, 42, 52, 22, 52)(c)
  },
  // 占道经营: stall, awning over a counter
  (c) => {
    poly(10, 28, 20, 12, 44, 12, 54, 28)(c)
    c.fillRect(16, 32, 32, 18)
  },
  poly(32, 8, 56, 32, 32, 56, 8, 32), // 道路设施: diamond (road sign)
  poly(32, 8, 52, 16, 50, 36, 32, 56, 14, 36, 12, 16), // 治安隐患: shield
  // 消防隐患: flame
  (c) => {
    c.beginPath()
    c.moveTo(32, 6)
    c.bezierCurveTo(46, 22, 52, 32, 50, 42)
    c.bezierCurveTo(48, 52, 40, 58, 32, 58)
    c.bezierCurveTo(24, 58, 14, 52, 14, 42)
    c.bezierCurveTo(14, 32, 24, 26, 32, 6)
    c.fill()
  },
  poly(32, 8, 56, 30, 50, 30, 50, 56, 14, 56, 14, 30, 8, 30), // 违章搭建: house
  poly(10, 24, 22, 24, 38, 10, 38, 54, 22, 40, 10, 40), // 噪声扰民: speaker
  // 出租房管理: key
  (c) => {
    c.beginPath()
    c.arc(22, 32, 12, 0, Math.PI * 2)
    c.fill()
    c.fillRect(30, 28, 26, 8)
    c.fillRect(46, 36, 6, 10)
  },
  regular(6, 24), // 安全生产: hexagon
  regular(8, 24, Math.PI / 8), // 交通安全: octagon
  // 市容秩序: star
  (c) => {
    const pts: number[] = []
    for (let k = 0; k < 10; k++) {
      const r = k % 2 ? 11 : 26
      const a = (k / 10) * Math.PI * 2
      pts.push(32 + r * Math.sin(a), 34 - r * Math.cos(a))
    }
    poly(...pts)(c)
  },
  // other: disc
  (c) => {
    c.beginPath()
    c.arc(32, 32, 22, 0, Math.PI * 2)
    c.fill()
  },
  // heading: a chevron ahead of the member's dot (the dot sits at the cell's centre)
  poly(32, 2, 44, 20, 32, 15, 20, 20),
]

let atlas: HTMLCanvasElement | null = null

/** The atlas canvas, drawn once per page; null outside a page (unit tests build layers without drawing them). */
export function iconAtlas(): HTMLCanvasElement | null {
  if (atlas || typeof document === 'undefined') return atlas
  const canvas = document.createElement('canvas')
  canvas.width = ICON_CELL * ICON_NAMES.length
  canvas.height = ICON_CELL
  const c = canvas.getContext('2d')!
  c.fillStyle = '#fff'
  GLYPHS.forEach((draw, k) => {
    c.save()
    c.translate(k * ICON_CELL, 0)
    draw(c)
    c.restore()
  })
  atlas = canvas
  return canvas
}
