/**
 * The side panels in English (and Chinese) at 1920×1080, in real Chromium against the real server with the
 * simulator: English labels run longer than the Chinese ones the panels were drawn for, so every
 * label, figure and tab must still fit its box, stay inside its panel and keep clear of its
 * neighbours, and the trend chart's legend must keep clear of the plot. Screenshot in
 * web/test-artifacts/ (not compared).
 */
import { mkdirSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { launchChromium, openLiveWall } from './support/browser.ts'
import { alertsConfigWithoutP1 } from './support/alerts-config.ts'
import { startServerProcess, type ServerProcess } from '@gridsight/server/test/server-process'

const ARTIFACTS = new URL('../test-artifacts/', import.meta.url).pathname
// generous: a shared CI box renders WebGL in software
const POLL = { timeout: 60_000 }

/**
 * What in the side panels does not fit: a text whose content is wider than its box (scrollWidth
 * over clientWidth), a label or figure that wraps onto a second line, anything that reaches past
 * its panel's frame, or two texts whose boxes overlap. Only what shows counts: the flop digits'
 * hidden faces (clipped by their cell) are left out, and so are the texts that end in an ellipsis
 * by design (a unit's name in the ranking, the panel's unit badge).
 */
function crowded(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = []
    const name = (el: Element) =>
      `${el.tagName.toLowerCase()}${[...el.classList].map((c) => `.${c}`).join('')} "${el.textContent?.trim().slice(0, 30)}"`
    const ownText = (el: Element) =>
      [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim() !== '')
    /** how many lines the text of `el` is laid out on */
    const lines = (el: Element) => {
      const range = document.createRange()
      range.selectNodeContents(el)
      const rects = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0)
      // a figure and its smaller unit share a line but not its top or bottom: a new line starts
      // only below all that came before
      let n = 0
      let bottom = -Infinity
      for (const r of rects.sort((a, b) => a.top - b.top)) {
        if (r.top >= bottom - 2) n++
        bottom = Math.max(bottom, r.bottom)
      }
      return n
    }
    /** the part of `el` that shows: its box clipped by every ancestor that clips, up to `panel` */
    const visible = (el: Element, panel: Element): DOMRect | null => {
      const r = el.getBoundingClientRect()
      let [l, t, rt, b] = [r.left, r.top, r.right, r.bottom]
      for (let a = el.parentElement; a && a !== panel; a = a.parentElement) {
        const st = getComputedStyle(a)
        if (st.overflowX === 'visible' && st.overflowY === 'visible') continue
        const c = a.getBoundingClientRect()
        ;[l, t, rt, b] = [Math.max(l, c.left), Math.max(t, c.top), Math.min(rt, c.right), Math.min(b, c.bottom)]
      }
      return rt - l > 0.5 && b - t > 0.5 ? new DOMRect(l, t, rt - l, b - t) : null
    }
    const overlap = (a: DOMRect, b: DOMRect) =>
      Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 &&
      Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1
    const ELLIPSED = ['name', 'unit']
    const panels = document.querySelectorAll<HTMLElement>(
      '[data-testid="panels-left"] > *, [data-testid="panels-right"] > *',
    )
    for (const panel of panels) {
      const frame = panel.getBoundingClientRect()
      const texts: [HTMLElement, DOMRect][] = []
      for (const el of panel.querySelectorAll<HTMLElement>('*')) {
        const style = getComputedStyle(el)
        if (style.display === 'none' || style.visibility === 'hidden' || el.closest('.gs-sr-only, .corner')) continue
        const r = visible(el, panel)
        if (!r) continue
        if (
          r.left < frame.left - 1 ||
          r.right > frame.right + 1 ||
          r.top < frame.top - 1 ||
          r.bottom > frame.bottom + 1
        )
          out.push(
            `${name(el)}: past its panel by ${Math.round(Math.max(frame.left - r.left, r.right - frame.right, frame.top - r.top, r.bottom - frame.bottom))} px`,
          )
        if (!ownText(el)) continue
        texts.push([el, r])
        if (ELLIPSED.some((c) => el.classList.contains(c))) continue
        if (el.scrollWidth > el.clientWidth + 1) out.push(`${name(el)}: ${el.scrollWidth} px wide in ${el.clientWidth}`)
        if (lines(el) > 1) out.push(`${name(el)}: on ${lines(el)} lines`)
      }
      for (let i = 0; i < texts.length; i++) {
        for (let j = i + 1; j < texts.length; j++) {
          const [[a, ra], [b, rb]] = [texts[i]!, texts[j]!]
          if (!a.contains(b) && !b.contains(a) && overlap(ra, rb)) out.push(`${name(a)} overlaps ${name(b)}`)
        }
      }
    }
    return out
  })
}

/**
 * Where the trend chart's legend ends and its plot begins, in chart pixels, from ECharts' own
 * layout (the chart is a canvas): the EChart component exposes its instance, found here through
 * the app's vnode tree.
 */
function trendLegend(page: Page): Promise<{ legendBottom: number; plotTop: number; fsAxis: number } | null> {
  return page.evaluate(() => {
    type VNode = { component?: Instance; children?: unknown; el?: Element | null }
    type Instance = { subTree: VNode; exposed?: { chart?: () => any } | null }
    const el = document.querySelector('[data-testid="trend-chart"]')
    const find = (v: VNode | null | undefined): Instance | null => {
      if (!v || typeof v !== 'object') return null
      if (v.component) {
        if (v.component.exposed?.chart && v.component.subTree.el === el) return v.component
        return find(v.component.subTree)
      }
      if (Array.isArray(v.children))
        for (const c of v.children as VNode[]) {
          const hit = find(c)
          if (hit) return hit
        }
      return null
    }
    const chart = find((document.querySelector('#app') as any)._vnode)?.exposed?.chart?.()
    if (!chart) return null
    const model = chart.getModel()
    const group = chart.getViewOfComponentModel(model.getComponent('legend')).group
    const rect = group.getBoundingRect().clone()
    rect.applyTransform(group.getLocalTransform())
    const yAxis = model.getComponent('yAxis', 0)
    return {
      legendBottom: rect.y + rect.height,
      plotTop: model.getComponent('grid').coordinateSystem.getRect().y,
      fsAxis: yAxis.get(['axisLabel', 'fontSize']) as number,
    }
  })
}

describe('side panels in English at 1920×1080', () => {
  let server: ServerProcess
  let browser: Browser
  let page: Page

  beforeAll(async () => {
    // P1 rules off: a demo P1's banner and flight have nothing to do with the panels
    server = await startServerProcess({ SIMULATOR: 'on', TICK_MS: '1000', ALERTS_CONFIG: alertsConfigWithoutP1() })
    browser = await launchChromium()
    page = await openLiveWall(browser, server, { reducedMotion: 'reduce' })
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('every label fits its box and keeps clear of its neighbours; the legend clears the plot', async () => {
    // English first, then Chinese: the layout that makes room for the one must still suit the other
    const LANGS = [
      { lang: 'en', title: 'GridSight situational map', online: 'online' },
      { lang: 'zh-CN', title: '网格态势一张图', online: '在线率' },
    ]
    mkdirSync(ARTIFACTS, { recursive: true })
    for (const { lang, title, online } of LANGS) {
      await page.getByTestId(`lang-${lang}`).dispatchEvent('click')
      await expect.poll(() => page.getByTestId('title').textContent(), POLL).toBe(title)
      // every panel shows its figures: the KPIs live, the ranking's rows, the trend chart loaded
      for (const id of ['member-count', 'cameras-total', 'cases-today', 'disputes-resolution'])
        await expect.poll(() => page.getByTestId(id).textContent(), POLL).toMatch(/\d/)
      await page.locator('[data-testid="street-ranking"] li[data-code]').first().waitFor(POLL)
      await page.locator('[data-testid="trends"][data-loaded="true"]').waitFor(POLL)
      expect(await page.getByTestId('panel-cameras').locator('dt').allTextContents()).toContain(online)

      await page.screenshot({ path: `${ARTIFACTS}panels-1920x1080-${lang}.png` })
      expect.soft({ [lang]: await crowded(page) }).toEqual({ [lang]: [] })
      // the axis' top label is centred on the plot's top edge: the legend must end above it
      await expect.poll(() => trendLegend(page), POLL).not.toBeNull()
      const legend = (await trendLegend(page))!
      expect.soft(legend.legendBottom, `${lang}: legend`).toBeLessThanOrEqual(legend.plotTop - legend.fsAxis / 2)
    }
  }, 300_000)
})
