import { describe, expect, it } from 'vitest'
import {
  clampPixelRatio,
  computeWallLayout,
  designToStage,
  insetsFor,
  isScaleMode,
  resolveScaleMode,
  snapToDevice,
  type ScaleMode,
  type WallLayout,
} from './wall-scale.ts'

const layout = (width: number, height: number, mode: ScaleMode, dpr = 1): WallLayout =>
  computeWallLayout({ viewport: { width, height }, dpr, mode })

/** The canvas, scaled, must land exactly on the stage. */
function expectCanvasCoversStage(l: WallLayout): void {
  expect(l.canvas.width * l.scaleX).toBeCloseTo(l.stage.width, 6)
  expect(l.canvas.height * l.scaleY).toBeCloseTo(l.stage.height, 6)
}

/** The stage lies inside the viewport. */
function expectStageInside(l: WallLayout): void {
  expect(l.stage.x).toBeGreaterThanOrEqual(0)
  expect(l.stage.y).toBeGreaterThanOrEqual(0)
  expect(l.stage.x + l.stage.width).toBeLessThanOrEqual(l.viewport.width + 1e-9)
  expect(l.stage.y + l.stage.height).toBeLessThanOrEqual(l.viewport.height + 1e-9)
}

const WALLS: [number, number][] = [
  [1920, 1080],
  [3840, 2160],
  [5760, 1080],
  [7680, 2160],
  [2560, 1080],
  [1280, 1024],
]

describe('computeWallLayout', () => {
  it('is the identity at the design size in every mode', () => {
    for (const mode of ['fit', 'fill', 'wide'] as const) {
      const l = layout(1920, 1080, mode)
      expect(l.stage).toEqual({ x: 0, y: 0, width: 1920, height: 1080 })
      expect(l.canvas).toEqual({ width: 1920, height: 1080 })
      expect([l.scaleX, l.scaleY]).toEqual([1, 1])
    }
  })

  it('fit: uniform scale, centred letterbox, on every wall', () => {
    for (const [w, h] of WALLS) {
      const l = layout(w, h, 'fit')
      expect(l.scaleX).toBe(l.scaleY)
      expect(l.canvas).toEqual({ width: 1920, height: 1080 })
      expectCanvasCoversStage(l)
      expectStageInside(l)
      // one axis is filled exactly, the margins on the other are equal
      const filled = l.stage.width === w || l.stage.height === h
      expect(filled).toBe(true)
      expect(l.stage.x * 2 + l.stage.width).toBeCloseTo(w, 0)
      expect(l.stage.y * 2 + l.stage.height).toBeCloseTo(h, 0)
    }
  })

  it('fit: 4K doubles the canvas; a 3×1 splice letterboxes one 1080p screen in the middle', () => {
    expect(layout(3840, 2160, 'fit')).toMatchObject({ scaleX: 2, stage: { x: 0, y: 0, width: 3840, height: 2160 } })
    expect(layout(5760, 1080, 'fit')).toMatchObject({ scaleX: 1, stage: { x: 1920, y: 0, width: 1920 } })
    expect(layout(7680, 2160, 'fit')).toMatchObject({ scaleX: 2, stage: { x: 1920, width: 3840, height: 2160 } })
    expect(layout(1280, 1024, 'fit')).toMatchObject({ scaleX: 1280 / 1920, stage: { x: 0, y: 152, height: 720 } })
  })

  it('fill: stretches each axis to the whole viewport', () => {
    for (const [w, h] of WALLS) {
      const l = layout(w, h, 'fill')
      expect(l.stage).toEqual({ x: 0, y: 0, width: w, height: h })
      expect(l.scaleX).toBeCloseTo(w / 1920, 9)
      expect(l.scaleY).toBeCloseTo(h / 1080, 9)
      expectCanvasCoversStage(l)
    }
    expect(layout(5760, 1080, 'fill')).toMatchObject({ scaleX: 3, scaleY: 1 })
  })

  it('wide: panels keep their size (uniform, height-bound scale) and the canvas widens', () => {
    const splice = layout(5760, 1080, 'wide')
    expect(splice).toMatchObject({ scaleX: 1, scaleY: 1, canvas: { width: 5760, height: 1080 } })
    const eightK = layout(7680, 2160, 'wide')
    expect(eightK).toMatchObject({ scaleX: 2, scaleY: 2, canvas: { width: 3840, height: 1080 } })
    for (const [w, h] of WALLS) {
      const l = layout(w, h, 'wide')
      expect(l.scaleX).toBe(l.scaleY)
      expect(l.stage).toEqual({ x: 0, y: 0, width: w, height: h })
      expect(l.canvas.width).toBeGreaterThanOrEqual(1920)
      expect(l.canvas.height).toBeGreaterThanOrEqual(1080)
      expectCanvasCoversStage(l)
    }
  })

  it('wide: a viewport narrower than 16:9 grows the canvas in height instead of squeezing panels', () => {
    const l = layout(1280, 1024, 'wide')
    expect(l.canvas.width).toBe(1920)
    expect(l.canvas.height).toBeCloseTo(1536, 6)
    expectCanvasCoversStage(l)
  })

  it('works in CSS pixels, so OS display scaling only changes the map pixel ratio', () => {
    // A 3840×2160 panel at 200 % scaling is a 1920×1080 CSS viewport at DPR 2.
    for (const dpr of [1.25, 1.5, 2, 2.5]) {
      const l = computeWallLayout({ viewport: { width: 3840 / dpr, height: 2160 / dpr }, dpr, mode: 'fit' })
      expect(l.scaleX).toBeCloseTo(2 / dpr, 9)
      expect(l.mapPixelRatio).toBe(dpr) // native device resolution
      expect(l.stage.width * l.mapPixelRatio).toBeCloseTo(3840, 6)
    }
  })

  it('scales map symbols with the panels: ×2 on a 2160p wall, the geometric mean when stretched', () => {
    expect(layout(1920, 1080, 'fit').symbolScale).toBe(1)
    expect(layout(3840, 2160, 'fit').symbolScale).toBe(2)
    expect(layout(7680, 2160, 'wide').symbolScale).toBe(2)
    expect(layout(5760, 1080, 'fill').symbolScale).toBeCloseTo(Math.sqrt(3), 9)
    // OS scaling does not change the symbol size in CSS pixels: the DPR already does it
    expect(computeWallLayout({ viewport: { width: 1920, height: 1080 }, dpr: 2, mode: 'fit' }).symbolScale).toBe(1)
  })

  it('snaps a letterbox offset to whole device pixels', () => {
    const l = computeWallLayout({ viewport: { width: 1537, height: 864 }, dpr: 1.25, mode: 'fit' })
    expect(Number.isInteger(Math.round(l.stage.x * 1.25 * 1e6) / 1e6)).toBe(true)
    expect(l.stage.x).toBe(snapToDevice(0.5, 1.25))
  })

  it('never yields NaN, zero or negative scales for a degenerate viewport', () => {
    for (const mode of ['fit', 'fill', 'wide'] as const) {
      for (const [w, h, dpr] of [
        [0, 0, 0],
        [-5, 100, Number.NaN],
        [Number.POSITIVE_INFINITY, 1080, 1],
      ]) {
        const l = computeWallLayout({ viewport: { width: w!, height: h! }, dpr: dpr!, mode })
        for (const v of [l.scaleX, l.scaleY, l.mapPixelRatio, l.symbolScale, l.stage.width, l.stage.height]) {
          expect(Number.isFinite(v) && v > 0).toBe(true)
        }
      }
    }
  })
})

describe('clampPixelRatio', () => {
  it('keeps the device pixel ratio within the budget', () => {
    expect(clampPixelRatio({ width: 1920, height: 1080 }, 2)).toBe(2)
    expect(clampPixelRatio({ width: 7680, height: 2160 }, 1)).toBe(1)
  })

  it('lowers it for a drawing buffer over the edge limit or the pixel budget', () => {
    expect(clampPixelRatio({ width: 5760, height: 1080 }, 2, 8192)).toBeCloseTo(8192 / 5760, 9)
    const r = clampPixelRatio({ width: 7680, height: 2160 }, 2.5)
    expect(7680 * 2160 * r * r).toBeLessThanOrEqual(7680 * 4320 + 1e-3)
    expect(r).toBeLessThan(2.5)
  })
})

describe('designToStage and insetsFor', () => {
  it('maps design rectangles through the per-axis scale', () => {
    const l = layout(3840, 1080, 'fill')
    expect(designToStage(l, { x: 24, y: 100, width: 440, height: 880 })).toEqual({
      x: 48,
      y: 100,
      width: 880,
      height: 880,
    })
  })

  it('turns the unobstructed map area into camera padding', () => {
    expect(insetsFor({ width: 1920, height: 1080 }, { x: 488, y: 100, width: 944, height: 860 })).toEqual({
      top: 100,
      left: 488,
      right: 488,
      bottom: 120,
    })
  })
})

describe('resolveScaleMode', () => {
  it('prefers the URL, then the stored setting, then fit', () => {
    expect(resolveScaleMode('?scale=wide', 'fill')).toBe('wide')
    expect(resolveScaleMode('?lang=en', 'fill')).toBe('fill')
    expect(resolveScaleMode('?scale=bogus', 'nonsense')).toBe('fit')
    expect(resolveScaleMode('', null)).toBe('fit')
    expect(isScaleMode('fit')).toBe(true)
    expect(isScaleMode('FIT')).toBe(false)
  })
})
