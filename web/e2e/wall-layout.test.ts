/**
 * The wall layout in real Chromium at the wall sizes we support, including OS
 * display scaling (deviceScaleFactor): header, both panel columns and the map's
 * unobstructed area lie inside the viewport without overlapping, the map renders
 * at native resolution (never CSS-scaled), KPI digits stay ≥ 48 px relative to
 * 1080p, and the language and scale-mode switches work. Screenshots go to
 * web/test-artifacts/ (not compared).
 */
import { mkdirSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { launchChromium } from './support/browser.ts'
import { wallUrl } from './support/auth.ts'
import { startServerProcess, type ServerProcess } from '@gridsight/server/test/server-process'
import { alertsConfigWithoutP1 } from './support/alerts-config.ts'

const ARTIFACTS = new URL('../test-artifacts/', import.meta.url).pathname

interface Box {
  x: number
  y: number
  width: number
  height: number
}

interface Wall {
  width: number
  height: number
  dpr: number
  /** `?scale=`; omitted means the default (fit) */
  mode?: 'fit' | 'fill' | 'wide'
}

const WALLS: Wall[] = [
  { width: 1920, height: 1080, dpr: 1 },
  { width: 3840, height: 2160, dpr: 1, mode: 'fit' },
  { width: 5760, height: 1080, dpr: 1, mode: 'wide' },
  { width: 7680, height: 2160, dpr: 1, mode: 'wide' },
  // a 3840×2160 panel at 200 % OS scaling
  { width: 1920, height: 1080, dpr: 2, mode: 'fit' },
  // a 5760×1080 splice driven at 125 % scaling, stretched
  { width: 4608, height: 864, dpr: 1.25, mode: 'fill' },
]

const PARTS = ['header', 'panels-left', 'panels-right', 'map-focus', 'ticker'] as const
const EPS = 1
const POLL = { timeout: 15_000 }

function inside(b: Box, w: number, h: number): boolean {
  return b.x >= -EPS && b.y >= -EPS && b.x + b.width <= w + EPS && b.y + b.height <= h + EPS
}

function overlaps(a: Box, b: Box): boolean {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)
  return w > EPS && h > EPS
}

function covers(outer: Box, inner: Box): boolean {
  return (
    inner.x >= outer.x - EPS &&
    inner.y >= outer.y - EPS &&
    inner.x + inner.width <= outer.x + outer.width + EPS &&
    inner.y + inner.height <= outer.y + outer.height + EPS
  )
}

async function box(page: Page, testid: string): Promise<Box> {
  const b = await page.getByTestId(testid).first().boundingBox()
  if (!b) throw new Error(`${testid} is not on screen`)
  return b
}

/** Waits until the map has its style and the KPI shows a live figure. */
async function ready(page: Page, server: ServerProcess): Promise<void> {
  try {
    await page.locator('.maplibregl-canvas').waitFor({ state: 'visible', timeout: 60_000 })
    await page.waitForFunction(() => (window as any).__gridsight?.map?.loaded?.() === true, null, {
      timeout: 60_000,
      polling: 250,
    })
    await expect.poll(() => page.getByTestId('member-count').textContent(), POLL).toMatch(/\d/)
  } catch (err) {
    const alert = await page
      .getByRole('alert')
      .allTextContents()
      .catch(() => [])
    throw new Error(
      `screen not ready: ${(err as Error).message}\nalerts: ${alert.join(' | ')}\nserver exit: ${server.child.exitCode}\n${server.output().slice(-1500)}`,
      { cause: err },
    )
  }
}

describe('wall layout in Chromium', () => {
  let server: ServerProcess
  let browser: Browser
  const contexts: BrowserContext[] = []

  async function open(wall: Wall, query = ''): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width: wall.width, height: wall.height },
      deviceScaleFactor: wall.dpr,
      timezoneId: 'UTC',
      // Still rings, no flash: software GL at 7680x2160 cannot keep an animated map and a screenshot
      // both going; the animation itself is tested in map-layers.test.ts.
      reducedMotion: 'reduce',
    })
    contexts.push(context)
    const page = await context.newPage()
    const params = new URLSearchParams(query)
    if (wall.mode) params.set('scale', wall.mode)
    const search = params.toString()
    await page.goto(wallUrl(server, search))
    await ready(page, server)
    return page
  }

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true })
    // a slow tick: fewer full-wall redraws in software WebGL; the layout is the same
    // P1 rules off: a demo P1 would fly the map to one subject mid-screenshot.
    server = await startServerProcess({ SIMULATOR: 'on', TICK_MS: '5000', ALERTS_CONFIG: alertsConfigWithoutP1() })
    browser = await launchChromium()
  })

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {})
    await browser?.close()
    await server?.stop()
  })

  for (const wall of WALLS) {
    const name = `${wall.width}x${wall.height}@${wall.dpr}x-${wall.mode ?? 'default'}`

    it(`lays out the screen at ${name}`, async () => {
      const page = await open(wall)
      const { width: vw, height: vh } = wall
      const mode = wall.mode ?? 'fit'
      expect(await page.getByTestId('wall').getAttribute('data-scale-mode')).toBe(mode)

      const boxes = Object.fromEntries(await Promise.all(PARTS.map(async (p) => [p, await box(page, p)] as const)))
      for (const p of PARTS) expect(inside(boxes[p]!, vw, vh), `${p} inside the viewport`).toBe(true)
      for (let i = 0; i < PARTS.length; i++) {
        for (let j = i + 1; j < PARTS.length; j++) {
          expect(overlaps(boxes[PARTS[i]!]!, boxes[PARTS[j]!]!), `${PARTS[i]} vs ${PARTS[j]}`).toBe(false)
        }
      }

      // The map fills the stage and its unobstructed area is a real part of the screen.
      const stage = await box(page, 'stage')
      const canvas = await page.locator('.maplibregl-canvas').boundingBox()
      expect(canvas).not.toBeNull()
      expect(canvas!.width).toBeCloseTo(stage.width, 0)
      expect(canvas!.height).toBeCloseTo(stage.height, 0)
      expect(covers(canvas!, boxes['map-focus']!)).toBe(true)
      expect(boxes['map-focus']!.width * boxes['map-focus']!.height).toBeGreaterThan(0.15 * stage.width * stage.height)

      // Letterboxed 16:9 in fit; the whole viewport otherwise.
      const fitScale = Math.min(vw / 1920, vh / 1080)
      const expected =
        mode === 'fit'
          ? {
              x: (vw - 1920 * fitScale) / 2,
              y: (vh - 1080 * fitScale) / 2,
              width: 1920 * fitScale,
              height: 1080 * fitScale,
            }
          : { x: 0, y: 0, width: vw, height: vh }
      for (const k of ['x', 'y', 'width', 'height'] as const) {
        expect(Math.abs(stage[k] - expected[k]), `stage ${k}`).toBeLessThanOrEqual(1)
      }
      // Panel columns keep their design width (452) in canvas units: scaled by height
      // in fit and wide (so on a splice the map takes the extra width), per axis in fill.
      const scaleY = stage.height / 1080
      const scaleX = mode === 'fill' ? stage.width / 1920 : scaleY
      expect(boxes['panels-left']!.width / scaleX).toBeCloseTo(452, 0)
      expect(boxes['panels-right']!.width / scaleX).toBeCloseTo(452, 0)

      // Native resolution: the drawing buffer matches CSS size × DPR, and nothing
      // above the canvas is CSS-transformed.
      const gl = await page.evaluate(() => {
        const c = document.querySelector<HTMLCanvasElement>('.maplibregl-canvas')!
        const transformed: string[] = []
        for (let el: Element | null = c; el; el = el.parentElement) {
          const t = getComputedStyle(el).transform
          if (t && t !== 'none') transformed.push(el.className)
        }
        return { w: c.width, h: c.height, cw: c.clientWidth, ch: c.clientHeight, transformed }
      })
      expect(gl.transformed).toEqual([])
      expect(Math.abs(gl.w - gl.cw * wall.dpr)).toBeLessThanOrEqual(1)
      expect(Math.abs(gl.h - gl.ch * wall.dpr)).toBeLessThanOrEqual(1)

      // KPI digits: ≥ 48 px tall relative to a 1080p canvas.
      const digit = page.locator('[data-testid="panel-members"] [data-kpi-digit]').first()
      const digitBox = await digit.boundingBox()
      const fontPx = await digit.evaluate((el) => parseFloat(getComputedStyle(el).fontSize))
      expect(digitBox!.height / scaleY).toBeGreaterThanOrEqual(48)
      expect(fontPx).toBeGreaterThanOrEqual(48)
      // …and the flop's rolled strips spell the live figure (read together: no race)
      const flop = await page.evaluate(() => ({
        shown: [...document.querySelectorAll<HTMLElement>('[data-testid="panel-members"] .strip')]
          .map((s) => String(Math.round(-parseFloat(s.style.transform.replace('translateY(', '')) / 10)))
          .join(''),
        figure: document.querySelector('[data-testid="member-count"]')!.textContent!.replace(/\D/g, ''),
      }))
      expect(flop.shown).toBe(flop.figure)

      // Picking works on the unscaled map: simulated members are under the cursor area.
      const picked = await page.evaluate(
        ({ w, h }) => {
          const deck = (window as any).__gridsight.overlay._deck
          return deck.pickObjects({ x: 0, y: 0, width: w, height: h, layerIds: ['members'] }).length
        },
        { w: Math.round(stage.width), h: Math.round(stage.height) },
      )
      expect(picked).toBeGreaterThan(0)

      // Map symbols grow with the panels (a 4 px dot at 1080p is 8 px on a 2160p wall).
      const radiusScale = await page.evaluate(() => {
        const deck = (window as any).__gridsight.overlay._deck
        return deck.layerManager.getLayers().find((l: any) => l.id === 'members')?.props.radiusScale as number
      })
      expect(radiusScale).toBeCloseTo(Math.sqrt(scaleX * scaleY), 3)

      await page.screenshot({ path: `${ARTIFACTS}wall-${name}.png` })
      await page.context().close()
    })
  }

  it('switches language on screen, and ?lang=en still works', async () => {
    const page = await open({ width: 1920, height: 1080, dpr: 1 })
    await expect.poll(() => page.getByTestId('title').textContent(), POLL).toBe('网格态势一张图')
    await page.getByTestId('lang-en').click()
    await expect.poll(() => page.getByTestId('title').textContent(), POLL).toBe('GridSight situational map')
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en')
    expect(await page.getByTestId('ticker').textContent()).toContain('Live alerts')
    await page.screenshot({ path: `${ARTIFACTS}wall-1920x1080-en.png` })
    await page.getByTestId('lang-zh-CN').click()
    await expect.poll(() => page.getByTestId('title').textContent(), POLL).toBe('网格态势一张图')
    await page.context().close()

    const en = await open({ width: 1920, height: 1080, dpr: 1 }, 'lang=en')
    expect(await en.getByTestId('title').textContent()).toBe('GridSight situational map')
    await en.context().close()
  })

  it('changes the scale mode from the settings and keeps it after a reload', async () => {
    const page = await open({ width: 3840, height: 1080, dpr: 1 })
    expect(await page.getByTestId('wall').getAttribute('data-scale-mode')).toBe('fit')
    const before = await box(page, 'stage')
    expect(before.width).toBeCloseTo(1920, 0)

    await page.getByTestId('settings-toggle').click()
    await page.getByTestId('scale-wide').click()
    await expect.poll(() => page.getByTestId('wall').getAttribute('data-scale-mode'), POLL).toBe('wide')
    await expect.poll(async () => (await box(page, 'stage')).width, POLL).toBeCloseTo(3840, 0)
    // the map followed: its drawing buffer spans the whole wall
    await expect.poll(() => page.evaluate(() => document.querySelector('canvas')!.width), POLL).toBe(3840)

    await page.reload()
    await ready(page, server)
    expect(await page.getByTestId('wall').getAttribute('data-scale-mode')).toBe('wide')

    // a viewport change (window resized, splice reconfigured) resizes the map with it
    await page.setViewportSize({ width: 1920, height: 1080 })
    await expect.poll(() => page.evaluate(() => document.querySelector('canvas')!.width), POLL).toBe(1920)
    expect(await page.evaluate(() => document.querySelector('canvas')!.height)).toBe(1080)
    await page.context().close()
  })
})
