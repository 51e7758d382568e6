/**
 * Wall scaling: pure math, no DOM. The screen is designed on a 1920×1080 canvas;
 * this maps that canvas onto any viewport (CSS pixels) and device pixel ratio.
 *
 * - `fit`:  uniform scale, the whole canvas visible, letterboxed (centred).
 * - `fill`: stretched per axis to cover the viewport exactly.
 * - `wide`: uniform scale by the limiting axis (height on a 3×1 splice); the canvas
 *           grows in design units along the other axis, so panels keep their size
 *           and the map takes the extra room. Never smaller than the design canvas.
 *
 * Only the HUD (header, panels, ticker) is CSS-scaled. The map is laid out in real
 * CSS pixels over the stage and renders at `mapPixelRatio`, so its WebGL canvas is
 * never transformed (sharp, and picking coordinates stay exact).
 */

export const SCALE_MODES = ['fit', 'fill', 'wide'] as const
export type ScaleMode = (typeof SCALE_MODES)[number]

export interface Size {
  width: number
  height: number
}

export interface Rect extends Size {
  x: number
  y: number
}

export const DESIGN_CANVAS: Readonly<Size> = Object.freeze({ width: 1920, height: 1080 })

/** Largest canvas edge we ask WebGL for; MapLibre clamps further to the GPU's real limit. */
export const MAX_CANVAS_EDGE = 16384
/** Pixel budget for the map's drawing buffer: an 8K frame (7680×4320 ≈ 33 MP). */
export const MAX_CANVAS_PIXELS = 7680 * 4320

export interface WallInput {
  /** viewport in CSS pixels (window.innerWidth / innerHeight) */
  viewport: Size
  /** window.devicePixelRatio: OS display scaling × browser zoom */
  dpr: number
  mode: ScaleMode
  design?: Size
  maxCanvasEdge?: number
  maxCanvasPixels?: number
}

export interface WallLayout {
  mode: ScaleMode
  viewport: Size
  dpr: number
  /** where the canvas lands, in CSS pixels, snapped to device pixels */
  stage: Rect
  /** the HUD's size in design units (≥ the design canvas in `wide`) */
  canvas: Size
  /** CSS pixels per design unit */
  scaleX: number
  scaleY: number
  /** pixel ratio for the map's drawing buffer: the DPR unless the GPU budget says less */
  mapPixelRatio: number
  /**
   * How much larger map symbols (points, line widths) should draw than at 1080p, so
   * they keep their size relative to the panels: the geometric mean of the two scales.
   */
  symbolScale: number
}

export function isScaleMode(value: unknown): value is ScaleMode {
  return typeof value === 'string' && (SCALE_MODES as readonly string[]).includes(value)
}

/** Positive and finite, else the fallback. */
function positive(value: number, fallback: number): number {
  return Number.isFinite(value) && value > 0 ? value : fallback
}

/** Rounds a CSS length to the nearest whole device pixel. */
export function snapToDevice(css: number, dpr: number): number {
  return Math.round(css * dpr) / dpr
}

/**
 * The largest pixel ratio ≤ `dpr` whose drawing buffer for `size` stays within
 * `maxEdge` on each side and `maxPixels` in area.
 */
export function clampPixelRatio(
  size: Size,
  dpr: number,
  maxEdge = MAX_CANVAS_EDGE,
  maxPixels = MAX_CANVAS_PIXELS,
): number {
  const w = positive(size.width, 1)
  const h = positive(size.height, 1)
  let ratio = positive(dpr, 1)
  ratio = Math.min(ratio, maxEdge / w, maxEdge / h)
  const pixels = w * h * ratio * ratio
  if (pixels > maxPixels) ratio = Math.sqrt(maxPixels / (w * h))
  return ratio
}

export function computeWallLayout(input: WallInput): WallLayout {
  const design = input.design ?? DESIGN_CANVAS
  const dpr = positive(input.dpr, 1)
  const vw = positive(input.viewport.width, design.width)
  const vh = positive(input.viewport.height, design.height)
  const dw = positive(design.width, DESIGN_CANVAS.width)
  const dh = positive(design.height, DESIGN_CANVAS.height)
  const fitScale = Math.min(vw / dw, vh / dh)

  let stage: Rect
  let canvas: Size
  let scaleX: number
  let scaleY: number
  switch (input.mode) {
    case 'fill':
      stage = { x: 0, y: 0, width: vw, height: vh }
      canvas = { width: dw, height: dh }
      scaleX = vw / dw
      scaleY = vh / dh
      break
    case 'wide':
      stage = { x: 0, y: 0, width: vw, height: vh }
      canvas = { width: Math.max(dw, vw / fitScale), height: Math.max(dh, vh / fitScale) }
      scaleX = scaleY = fitScale
      break
    case 'fit':
    default: {
      const width = dw * fitScale
      const height = dh * fitScale
      stage = {
        x: snapToDevice((vw - width) / 2, dpr),
        y: snapToDevice((vh - height) / 2, dpr),
        width,
        height,
      }
      canvas = { width: dw, height: dh }
      scaleX = scaleY = fitScale
    }
  }

  return {
    mode: input.mode,
    viewport: { width: vw, height: vh },
    dpr,
    stage,
    canvas,
    scaleX,
    scaleY,
    mapPixelRatio: clampPixelRatio(stage, dpr, input.maxCanvasEdge, input.maxCanvasPixels),
    symbolScale: Math.sqrt(scaleX * scaleY),
  }
}

/** A rectangle in design units (HUD coordinates) → CSS pixels relative to the stage. */
export function designToStage(layout: WallLayout, rect: Rect): Rect {
  return {
    x: rect.x * layout.scaleX,
    y: rect.y * layout.scaleY,
    width: rect.width * layout.scaleX,
    height: rect.height * layout.scaleY,
  }
}

export interface Insets {
  top: number
  right: number
  bottom: number
  left: number
}

/**
 * Map padding (CSS pixels) that centres the map's camera on `focus`, a rectangle in
 * stage CSS pixels: the part of the map not covered by header, panels and ticker.
 */
export function insetsFor(stage: Size, focus: Rect): Insets {
  const clamp = (v: number) => Math.max(0, Math.round(v))
  return {
    top: clamp(focus.y),
    left: clamp(focus.x),
    right: clamp(stage.width - focus.x - focus.width),
    bottom: clamp(stage.height - focus.y - focus.height),
  }
}

/**
 * Scale mode from the URL (`?scale=`) first, then the stored setting, then `fit`.
 */
export function resolveScaleMode(search: string, stored: string | null): ScaleMode {
  const fromUrl = new URLSearchParams(search).get('scale')
  if (isScaleMode(fromUrl)) return fromUrl
  if (isScaleMode(stored)) return stored
  return 'fit'
}
