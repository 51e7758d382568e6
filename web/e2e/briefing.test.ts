/**
 * Briefing at the wall, end to end: real server process, real Chromium at 1080p.
 * Drill-down re-subscribes /live and every panel follows the unit (figures checked
 * against the REST twin /api/v1/stats), the language switch, a case ingested over
 * REST reaching the screen within two ticks of the stream, the scene carousel
 * advancing and pausing with the space bar, and each scene of a playlist showing its own layers
 * and panel metric (on a wall that starts with the legend folded).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { launchChromium } from './support/browser.ts'
import { wallFetch, wallUrl } from './support/auth.ts'
import { startServerProcess, type ServerProcess } from '@gridsight/server/test/server-process'

const KEY = 'e2e-briefing-ingest-key-0123456789'
/** Headless Chromium draws WebGL in software: on a busy machine one evaluate alone can take seconds. */
const POLL = { timeout: 30_000 }
const CLICK = { timeout: 60_000 }

/**
 * The alert rules without the P1 ones: an unacknowledged P1 (an SOS, a P1 case) holds
 * the carousel and flies the map by design; this suite needs both free.
 */
function alertsWithoutP1(): string {
  const rules = JSON.parse(readFileSync(new URL('../../server/config/alerts.json', import.meta.url), 'utf8')) as {
    rules: Record<string, { enabled: boolean; severity: string }>
  }
  for (const rule of Object.values(rules.rules)) if (rule.severity === 'P1') rule.enabled = false
  const file = join(mkdtempSync(join(tmpdir(), 'gridsight-briefing-')), 'alerts.json')
  writeFileSync(file, JSON.stringify(rules))
  return file
}

interface Unit {
  code: string
  name: string
}

/** What the screen's live mirror holds, through the debug handle. */
function mirror(page: Page): Promise<{ scope: string | null; seq: number; cases: string[] }> {
  return page.evaluate(() => {
    const m = (window as any).__gridsight?.live?.mirror
    return { scope: m?.scope ?? null, seq: m?.seq ?? -1, cases: m ? [...m.tables.cases.ids] : [] }
  })
}

const digits = async (page: Page, testid: string) => {
  const text = (await page.getByTestId(testid).textContent()) ?? ''
  return /\d/.test(text) ? Number(text.replace(/\D/g, '')) : null
}

describe('briefing in Chromium', () => {
  let server: ServerProcess
  let browser: Browser
  let page: Page
  let streets: Unit[] = []

  async function stats(unit: string): Promise<{ cameras: { total: number }; cases: { new: number } }> {
    const res = await wallFetch(server, `/api/v1/stats?unit=${unit}`)
    expect(res.status).toBe(200)
    return (await res.json()) as { cameras: { total: number }; cases: { new: number } }
  }

  /** The screen follows `unit`: the stream is re-subscribed and the panels show its figures. */
  async function expectScope(unit: Unit): Promise<void> {
    await expect.poll(async () => (await mirror(page)).scope, POLL).toBe(unit.code)
    const s = await stats(unit.code)
    await expect.poll(() => digits(page, 'cameras-total'), POLL).toBe(s.cameras.total)
    await expect.poll(() => page.getByTestId('scope-current').textContent(), POLL).toContain(unit.name)
    const chips = await page.getByTestId('panel-unit').allTextContents()
    expect(chips.length).toBeGreaterThanOrEqual(5)
    expect(new Set(chips)).toEqual(new Set([unit.name]))
  }

  beforeAll(async () => {
    server = await startServerProcess({
      SIMULATOR: 'on',
      TICK_MS: '250',
      GRIDSIGHT_INGEST_KEY: KEY,
      ALERTS_CONFIG: alertsWithoutP1(),
    })
    const res = await wallFetch(server, `/api/v1/regions/330402/units?level=street`)
    const fc = (await res.json()) as { features: { properties: Unit }[] }
    streets = fc.features.map((f) => ({ code: f.properties.code, name: f.properties.name }))
    browser = await launchChromium()
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  let streetCameras: number | null = null

  it('starts at the unit named by ?scope=, its stream and its figures in every panel', async () => {
    const street = streets[0]!
    page = await browser.newPage({ viewport: { width: 1920, height: 1080 } })
    await page.goto(wallUrl(server, `scope=${street.code}`))
    await expectScope(street)
    streetCameras = await digits(page, 'cameras-total')
    expect(streetCameras).toBeGreaterThan(0)
  })

  it('goes back up by the breadcrumb to the district stream and figures', async () => {
    // back up to the district through the breadcrumb: a new stream, the region's figures
    await page.locator('[data-testid="scope-breadcrumb"] button.up').first().click(CLICK)
    await expectScope({ code: '330402', name: '南湖区' })
    expect(await digits(page, 'cameras-total')).toBeGreaterThan(streetCameras ?? Infinity)
    expect(new URL(page.url()).searchParams.get('scope')).toBe('330402')
  })

  it('drills down from the ranking into a street, whose ranking then ranks its communities', async () => {
    // the ranking lists the district's streets; choosing one drills into it
    const row = page.locator('[data-testid="street-ranking"] li[data-code]').nth(1)
    await row.waitFor()
    const code = (await row.getAttribute('data-code'))!
    await row.click(CLICK)
    await expectScope(streets.find((s) => s.code === code)!)
    // its ranking now ranks its communities, from the street's own stream
    await expect
      .poll(() => page.locator('[data-testid="street-ranking"] li[data-code]').first().getAttribute('data-code'), POLL)
      .toMatch(new RegExp(`^${code}\\d{3}$`))
    await expect.poll(() => page.getByTestId('panel-ranking').locator('h2').textContent(), POLL).toBe('社区排名')
  })

  it('switches the visible text to English and back', async () => {
    await page.getByTestId('lang-en').click(CLICK)
    await expect.poll(() => page.getByTestId('title').textContent(), POLL).toBe('GridSight situational map')
    await expect
      .poll(() => page.getByTestId('panel-ranking').locator('h2').textContent(), POLL)
      .toBe('Community ranking')
    expect(await page.getByTestId('panel-cases').locator('h2').textContent()).toBe('Cases')
    await page.getByTestId('lang-zh-CN').click(CLICK)
    await expect.poll(() => page.getByTestId('title').textContent(), POLL).toBe('网格态势一张图')
  })

  it('shows a case ingested through the REST API within two ticks, in the mirror and the cases panel', async () => {
    await page.locator('[data-testid="scope-breadcrumb"] button.up').first().click(CLICK)
    await expectScope({ code: '330402', name: '南湖区' })
    // a place inside the region: where a camera of the stream stands
    const [lon, lat] = await page.evaluate(() => {
      const pos = (window as any).__gridsight.live.mirror.tables.cameras.pos as Float32Array
      return [pos[0]!, pos[1]!]
    })
    const before = (await stats('330402')).cases.new
    const id = `E2E-${Date.now()}`
    // Records every delta the screen applies: its seq, its server tick time, and whether the case is in by then.
    await page.evaluate((caseId) => {
      const w = window as any
      w.__deltas = []
      w.__gridsight.live.$onAction(({ name, args, after }: any) => {
        if (name !== 'applyDelta') return
        after(() => {
          const m = w.__gridsight.live.mirror
          w.__deltas.push({ seq: args[0].seq, ts: args[0].ts, has: m.tables.cases.ids.includes(caseId) })
        })
      })
    }, id)
    const res = await fetch(`${server.url}/api/v1/ingest/cases`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        items: [{ id, type: '占道经营', status: 'reported', lon, lat, ts: new Date().toISOString() }],
      }),
    })
    expect(await res.json()).toMatchObject({ accepted: 1, rejected: [] })
    // server and test share the machine's clock: ticks cut after this moment are "after the answer"
    const answeredAt = Date.now()

    await expect.poll(async () => (await mirror(page)).cases.includes(id), POLL).toBe(true)
    const deltas = (await page.evaluate(() => (window as any).__deltas)) as { seq: number; ts: number; has: boolean }[]
    const arrived = deltas.find((d) => d.has)!
    // The case was published before the answer, so the first tick after it carries it; allow the second.
    const ticksWithout = deltas.filter((d) => d.ts >= answeredAt && d.seq < arrived.seq)
    expect(ticksWithout.length).toBeLessThanOrEqual(1)
    // the panel counts it: today's new cases as the server counts them, at least one more than before
    await expect
      .poll(async () => {
        const shown = await digits(page, 'cases-today')
        return shown !== null && shown >= before + 1 && shown === (await stats('330402')).cases.new
      }, POLL)
      .toBe(true)
  })

  it('advances the scene carousel by itself and holds it on space', async () => {
    await page.close() // one software-rendered wall at a time
    const wall = await browser.newPage({ viewport: { width: 1920, height: 1080 } })
    await wall.goto(wallUrl(server, 'carousel=2'))
    const carousel = wall.getByTestId('carousel')
    await carousel.waitFor({ timeout: 60_000 })
    await expect.poll(() => carousel.getAttribute('data-index'), POLL).toBe('0')
    await expect.poll(() => carousel.getAttribute('data-index'), POLL).toBe('1')
    // the second scene is a street: the screen follows it
    await expect.poll(() => wall.getByTestId('scope-current').textContent(), POLL).not.toContain('南湖区')

    await wall.keyboard.press(' ')
    await expect.poll(() => carousel.getAttribute('data-state'), POLL).toBe('paused')
    const held = await carousel.getAttribute('data-index')
    // three intervals later it is still on the same scene
    await new Promise((r) => setTimeout(r, 6_000))
    expect(await carousel.getAttribute('data-index')).toBe(held)

    await wall.keyboard.press(' ')
    await expect.poll(() => carousel.getAttribute('data-state'), POLL).toBe('running')
    await expect.poll(() => carousel.getAttribute('data-index'), POLL).not.toBe(held)
    await wall.close()
  })

  it('shows each scene with its own layers and panel metric as the presenter steps through a playlist', async () => {
    const street = streets[0]!
    // a hand-written playlist (the settings' JSON); the interval is long, the presenter steps
    const playlist = [
      {
        scope: '330402',
        layers: { choropleth: 'disputes', visible: { disputeHeat: true, members: false }, heatWindow: '30d' },
        panelMetric: 'resolution',
      },
      { scope: street.code, layers: { choropleth: 'onlineRate' }, panelMetric: 'onlineRate' },
    ]
    const wall = await browser.newPage({ viewport: { width: 1920, height: 1080 } })
    await wall.addInitScript((json) => localStorage.setItem('gridsight.scenes', json), JSON.stringify(playlist))
    await wall.goto(wallUrl(server, 'carousel=600'))
    const carousel = wall.getByTestId('carousel')
    await carousel.waitFor({ timeout: 60_000 })
    await expect.poll(() => carousel.getAttribute('data-index'), POLL).toBe('0')
    // an unattended wall starts with the legend folded
    expect(await wall.getByTestId('map-legend').getAttribute('data-open')).toBe('false')
    expect(await wall.getByTestId('legend-toggle').getAttribute('aria-expanded')).toBe('false')

    /** The layers store, the deck.gl layers drawn and the ranking's figure, as the page has them. */
    const shown = () =>
      wall.evaluate(() => {
        const g = (window as any).__gridsight
        const ids = ((g?.overlay?._deck?.layerManager?.getLayers() ?? []) as any[]).map((l) => l.id as string)
        const tab = document.querySelector('[data-testid="ranking-metrics"] [aria-selected="true"]')
        return {
          choropleth: g?.layers?.choropleth as string | undefined,
          heatOn: g?.layers?.visible.disputeHeat as boolean | undefined,
          membersOn: g?.layers?.visible.members as boolean | undefined,
          heatDrawn: ids.includes('dispute-heat'),
          membersDrawn: ids.includes('members'),
          metric: tab?.getAttribute('data-metric') ?? null,
        }
      })
    const first = { choropleth: 'disputes', heatOn: true, membersOn: false, membersDrawn: false, metric: 'resolution' }
    await expect.poll(shown, POLL).toMatchObject({ ...first, heatDrawn: true })
    expect(await wall.getByTestId('choro-metric-disputes').getAttribute('aria-checked')).toBe('true')

    // the second scene names neither the heatmap nor the members: they are as on a fresh screen again
    await wall.keyboard.press('ArrowRight')
    await expect.poll(() => carousel.getAttribute('data-index'), POLL).toBe('1')
    await expect.poll(() => wall.getByTestId('scope-current').textContent(), POLL).toContain(street.name)
    await expect.poll(shown, POLL).toMatchObject({
      choropleth: 'onlineRate',
      heatOn: false,
      membersOn: true,
      heatDrawn: false,
      membersDrawn: true,
      metric: 'onlineRate',
    })

    // and back: the first scene exactly as before
    await wall.keyboard.press('ArrowLeft')
    await expect.poll(() => carousel.getAttribute('data-index'), POLL).toBe('0')
    await expect.poll(shown, POLL).toMatchObject({ ...first, heatDrawn: true })
    await wall.close()
  })
})
