/**
 * Click → detail panel, end to end: real server process with the simulator, real Chromium at
 * 1080p, the wall opened with its display token. A case ingested over REST shows its lifecycle
 * when clicked (and a hover card with its priority and age first); a camera shows its status
 * history; a member's panel draws today's track as a deck.gl path; a grid clicked at grid scope
 * shows its figures. The carousel is held while a panel is open; Esc, × and a click on empty map
 * close it. The hover card gives way to the panel open on the same entity. In English a case's,
 * a camera's and the district's panels are worded in English and nothing in them is wider than
 * its box (screenshots in web/test-artifacts/).
 */
import { mkdirSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { launchChromium, openLiveWall } from './support/browser.ts'
import { alertsConfigWithoutP1 } from './support/alerts-config.ts'
import {
  clickMap,
  findEntity,
  findFreeSpot,
  freezeStream,
  hoverMap,
  setLayers,
  type EntityKind,
  type MapPoint,
} from './support/map-probe.ts'
import { startServerProcess, type ServerProcess } from '@gridsight/server/test/server-process'

const INGEST_KEY = 'e2e-detail-ingest-key-0123456789'
const ARTIFACTS = new URL('../test-artifacts/', import.meta.url).pathname
// generous: a shared CI box renders WebGL in software
const POLL = { timeout: 60_000 }
const MIN = 60_000

/** The carousel's holds, read from the page's Pinia. */
function carouselHolds(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const pinia = (document.querySelector('#app') as any).__vue_app__.config.globalProperties.$pinia
    return [...(pinia._s.get('carousel').holds as Set<string>)]
  })
}

/**
 * What in the open detail panel is wider than its box: the panel itself, or any row, label or value
 * in it whose content is wider than it is (scrollWidth over clientWidth), or that reaches past the
 * panel's sides. The subtitle ends in an ellipsis by design; the corner brackets sit on the frame.
 */
function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const panel = document.querySelector<HTMLElement>('[data-testid="detail-panel"]')!
    const frame = panel.getBoundingClientRect()
    const name = (el: Element) =>
      `${el.tagName.toLowerCase()}${[...el.classList].map((c) => `.${c}`).join('')} "${el.textContent?.trim().slice(0, 40)}"`
    const out: string[] = []
    for (const el of [panel, ...panel.querySelectorAll<HTMLElement>('*')]) {
      if (el.classList.contains('corner') || getComputedStyle(el).textOverflow === 'ellipsis') continue
      if (el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1)
        out.push(`${name(el)}: ${el.scrollWidth} px wide in ${el.clientWidth}`)
      const r = el.getBoundingClientRect()
      if (r.width > 0 && (r.left < frame.left - 1 || r.right > frame.right + 1)) out.push(`${name(el)}: past the panel`)
    }
    return out
  })
}

function deckLayer(page: Page, id: string): Promise<{ paths: number[] } | null> {
  return page.evaluate((layerId) => {
    const layers = (window as any).__gridsight.overlay._deck.layerManager.getLayers()
    const l = layers.find((x: any) => x.id === layerId)
    return l ? { paths: (l.props.data as { path: unknown[] }[]).map((d) => d.path.length) } : null
  }, id)
}

describe('detail panel in Chromium', () => {
  let server: ServerProcess
  let browser: Browser
  let page: Page
  let auth: Record<string, string>

  async function api<T>(path: string): Promise<T> {
    const res = await fetch(`${server.url}${path}`, { headers: auth })
    if (res.status !== 200) throw new Error(`GET ${path}: HTTP ${res.status}`)
    return (await res.json()) as T
  }

  /** Clicks `kind` (or one entity) in the middle of the map until its panel is the one open. */
  async function openPanel(kind: EntityKind, id?: string): Promise<string> {
    let opened = ''
    await expect
      .poll(async () => {
        await freezeStream(page, true)
        const hit = await findEntity(page, kind, id)
        if (hit) await clickMap(page, hit)
        await freezeStream(page, false)
        if (!hit) return false
        const panel = page.getByTestId('detail-panel')
        await panel.waitFor({ timeout: 10_000 }).catch(() => {})
        if ((await panel.getAttribute('data-kind').catch(() => null)) !== kind) return false
        opened = (await panel.getAttribute('data-id'))!
        return id === undefined || opened === id
      }, POLL)
      .toBe(true)
    await page.locator('[data-testid="detail-panel"][data-loaded="true"]').waitFor(POLL)
    return opened
  }

  beforeAll(async () => {
    // SIM_SPEED 60: members report every few simulated seconds, so they have a track at once.
    // No P1 alerts: a demo SOS would fly the map away from what the test clicks.
    server = await startServerProcess({
      SIMULATOR: 'on',
      TICK_MS: '250',
      SIM_SPEED: '60',
      GRIDSIGHT_INGEST_KEY: INGEST_KEY,
      ALERTS_CONFIG: alertsConfigWithoutP1(),
    })
    auth = server.displayToken ? { authorization: `Bearer ${server.displayToken}` } : {}
    browser = await launchChromium()
    page = await openLiveWall(browser, server)
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('a case ingested over REST: a hover card with its priority and age, a click shows its lifecycle', async () => {
    // Only cases on the map for this one (members walk, cameras stand everywhere), and a free spot
    // in the middle of it at street zoom, inside the region: there the new case is the top-most.
    await setLayers(page, { members: false, memberTrails: false, cameras: false })
    onTestFinished(() => setLayers(page, { members: true, memberTrails: true, cameras: true }))
    let spot: { lon: number; lat: number } | null = null
    await expect
      .poll(async () => {
        const jumped = await page.evaluate(() => {
          const { map, live } = (window as any).__gridsight
          if (map.getZoom() >= 16) return null
          const pos = live.mirror.tables.cameras.pos
          map.jumpTo({ center: [pos[0], pos[1]], zoom: 16.5 })
          return `jumped from zoom ${map.getZoom()}`
        })
        if (jumped) return jumped
        const r = await findFreeSpot(page, {
          area: [0.42, 0.42, 0.58, 0.58],
          step: [29, 23],
          units: { layers: ['hit-street'] },
          clear: 16,
        })
        if ('covered' in r) return `no free spot (covered by ${r.covered.join(', ')})`
        spot = r
        return 'found'
      }, POLL)
      .toBe('found')
    const id = `E2E-DETAIL-${Date.now()}`
    const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * MIN).toISOString()
    const { lon, lat } = spot!
    const item = { id, type: '占道经营', priority: 2, source: 'hotline', lon, lat }
    const res = await fetch(`${server.url}/api/v1/ingest/cases`, {
      method: 'POST',
      headers: { authorization: `Bearer ${INGEST_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        items: [
          { ...item, status: 'reported', ts: at(50) },
          { ...item, status: 'dispatched', ts: at(35) },
          { ...item, status: 'handling', ts: at(20) },
        ],
      }),
    })
    expect(await res.json()).toMatchObject({ accepted: 3, rejected: [] })
    const record = await api<{ status: string; history: { status: string }[] }>(`/api/v1/cases/${id}`)
    expect(record.status).toBe('handling')

    // hover: the card names the case, its state, and (asked once the pointer rests) priority and age
    const card = page.getByTestId('hover-card')
    await expect
      .poll(async () => {
        // centred on the case and it the top-most there (the map may have been moved since the spot was found)
        const hit = await findEntity(page, 'cases', id)
        if (!hit) return null
        await hoverMap(page, hit)
        return card.getAttribute('data-id', { timeout: 2000 }).catch(() => null)
      }, POLL)
      .toBe(id)
    expect(await card.textContent()).toContain('处置')
    const hoverCase = page.getByTestId('hover-case')
    await hoverCase.waitFor(POLL)
    await expect.poll(() => hoverCase.textContent(), POLL).toMatch(/二级（较急）\s*5\d 分钟前上报/)

    // click: the panel shows its lifecycle, and holds the carousel
    expect(await carouselHolds(page)).not.toContain('detail')
    await openPanel('cases', id)
    // the hover card gives way to the panel on the same case, though the pointer still rests on it
    expect(await card.count()).toBe(0)
    const steps = page.getByTestId('lifecycle-step')
    await expect.poll(() => steps.count(), POLL).toBe(5)
    const states = await steps.evaluateAll((els) => els.map((e) => [e.dataset.stage, e.dataset.state]))
    expect(states).toEqual([
      ['reported', 'done'],
      ['dispatched', 'done'],
      ['handling', 'current'],
      ['resolved', 'pending'],
      ['closed', 'pending'],
    ])
    expect(await steps.nth(0).textContent()).toContain('用时 15 分钟')
    expect(await steps.nth(1).textContent()).toContain('用时 15 分钟')
    expect(await steps.nth(2).textContent()).toMatch(/已 2\d 分钟/)
    expect(await steps.nth(3).textContent()).toContain('待办')
    const panel = page.getByTestId('detail-panel')
    expect(await panel.textContent()).toContain('12345 热线')
    expect(await page.getByTestId('detail-overdue').count()).toBe(0)
    expect(await carouselHolds(page)).toContain('detail')

    // the live state follows: the case is resolved over REST, the open panel shows it
    const resolved = await fetch(`${server.url}/api/v1/ingest/cases`, {
      method: 'POST',
      headers: { authorization: `Bearer ${INGEST_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ items: [{ ...item, status: 'resolved', ts: at(0) }] }),
    })
    expect(await resolved.json()).toMatchObject({ accepted: 1 })
    await expect
      .poll(
        () => page.locator('[data-testid="lifecycle-step"][data-stage="resolved"]').getAttribute('data-state'),
        POLL,
      )
      .toBe('current')

    mkdirSync(ARTIFACTS, { recursive: true })
    await page.screenshot({ path: `${ARTIFACTS}detail-case-1920x1080.png` })
    await page.keyboard.press('Escape')
    await panel.waitFor({ state: 'detached', ...POLL })
    expect(await carouselHolds(page)).not.toContain('detail')
    // …and comes back once the panel is closed (the pointer has not moved)
    await expect.poll(() => card.getAttribute('data-id', { timeout: 2000 }).catch(() => null), POLL).toBe(id)
  })

  it('a camera: status, last heartbeat and its status history of the last 24 hours', async () => {
    const id = await openPanel('cameras')
    type Camera = { status: string; history: { status: string; ts: string }[] }
    expect((await api<Camera>(`/api/v1/cameras/${id}`)).history.length).toBeGreaterThan(0)
    expect(await page.getByTestId('detail-heartbeat').textContent()).toMatch(/前$/)
    // the bar covers the last 24 hours in segments, the list names the changes of that time; the
    // status and the list are the server's (compared afresh: a flaky camera may change meanwhile)
    expect(await page.locator('[data-testid="detail-status-bar"] .seg').count()).toBeGreaterThan(0)
    await expect
      .poll(async () => {
        const rest = await api<Camera>(`/api/v1/cameras/${id}`)
        const recent = rest.history.filter((e) => Date.parse(e.ts) >= Date.now() - 86_400_000).length
        const shown = await page.locator('[data-testid="detail-history"] li').count()
        const status = await page.getByTestId('detail-status').getAttribute('data-status')
        return shown === Math.min(8, recent) && status === rest.status
      }, POLL)
      .toBe(true)
    await page.getByTestId('detail-close').dispatchEvent('click')
    await page.getByTestId('detail-panel').waitFor({ state: 'detached', ...POLL })
  })

  it("a member: today's track drawn as a path on the map while the panel is open", async () => {
    const id = await openPanel('members')
    await page.getByTestId('detail-track').waitFor(POLL)
    await expect.poll(async () => (await deckLayer(page, 'detail-track'))?.paths[0] ?? 0, POLL).toBeGreaterThan(0)
    const rest = await api<{ track: unknown[] }>(`/api/v1/members/${id}`)
    expect(rest.track.length).toBeGreaterThan(0)
    // the drawn path is the track the panel shows (reloaded as the member keeps reporting)
    await expect
      .poll(async () => {
        const drawn = (await deckLayer(page, 'detail-track'))?.paths[0] ?? -1
        const text = (await page.getByTestId('detail-track').textContent()) ?? ''
        return drawn > 0 && text.includes(`${drawn} 个定位点`)
      }, POLL)
      .toBe(true)
    mkdirSync(ARTIFACTS, { recursive: true })
    await page.screenshot({ path: `${ARTIFACTS}detail-member-1920x1080.png` })

    // a click on empty map (outside the region: nothing there to drill into) closes it, and the path goes
    let empty: MapPoint | null = null
    await expect
      .poll(async () => {
        // zoomed out, the district lies in the middle with its neighbours around it
        const zoomedOut = await page.evaluate(() => {
          const { map } = (window as any).__gridsight
          if (map.getZoom() <= 10) return true
          map.jumpTo({ zoom: 9.5 })
          return false
        })
        if (!zoomedOut) return false
        const r = await findFreeSpot(page, {
          area: [0.01, 0.02, 1, 1],
          step: [41, 37],
          units: { layers: ['hit-street', 'hit-community', 'hit-grid'], outside: true },
          clear: 8,
        })
        empty = 'covered' in r ? null : r
        return empty !== null
      }, POLL)
      .toBe(true)
    await clickMap(page, empty!)
    await page.getByTestId('detail-panel').waitFor({ state: 'detached', ...POLL })
    await expect.poll(() => deckLayer(page, 'detail-track'), POLL).toBeNull()
    expect(await carouselHolds(page)).not.toContain('detail')
  })

  it('in English: the panel is worded in English and nothing in it is wider than its box', async () => {
    await page.getByTestId('lang-en').dispatchEvent('click')
    onTestFinished(async () => {
      await page.getByTestId('lang-zh-CN').dispatchEvent('click')
      await expect.poll(() => page.getByTestId('title').textContent(), POLL).toBe('网格态势一张图')
    })
    await expect.poll(() => page.getByTestId('title').textContent(), POLL).toBe('GridSight situational map')
    const panel = page.getByTestId('detail-panel')
    // the district's first: the pointer still rests where the last test left it, on no entity
    const panels: { name: string; title: string; open: () => Promise<unknown>; shown: string }[] = [
      {
        name: 'district',
        title: 'District details',
        open: () => page.getByTestId('scope-details').dispatchEvent('click'),
        shown: '[data-testid="detail-unit-cases"]',
      },
      { name: 'case', title: 'Case', open: () => openPanel('cases'), shown: '[data-testid="lifecycle-step"]' },
      { name: 'camera', title: 'Camera', open: () => openPanel('cameras'), shown: '[data-testid="detail-status-bar"]' },
    ]
    mkdirSync(ARTIFACTS, { recursive: true })
    const overflows: Record<string, string[]> = {}
    for (const p of panels) {
      await p.open()
      await page.locator('[data-testid="detail-panel"][data-loaded="true"]').waitFor(POLL)
      await panel.locator(p.shown).first().waitFor(POLL)
      expect(await panel.locator('h2').textContent()).toBe(p.title)
      // the labels are English (values may be Chinese: a case's type, a unit's name)
      const labels = await panel.locator('h2, h3, dt, .stage, .badge, .axis span, button').allTextContents()
      expect(labels.length).toBeGreaterThan(4)
      expect(labels.filter((l) => /[\u3000-\u9fff\uff00-\uffef]/.test(l))).toEqual([])
      overflows[p.name] = await overflowing(page)
      await page.screenshot({ path: `${ARTIFACTS}detail-${p.name}-1920x1080-en.png` })
      await page.getByTestId('detail-close').dispatchEvent('click')
      await panel.waitFor({ state: 'detached', ...POLL })
    }
    expect(overflows).toEqual({ district: [], case: [], camera: [] })
  }, 300_000)

  it('a grid at grid scope: a click inside it opens all its figures', async () => {
    const grids = await api<{ features: { properties: { code: string } }[] }>('/api/v1/regions/330402/units?level=grid')
    const code = grids.features[0]!.properties.code
    await page.evaluate((c) => {
      const pinia = (document.querySelector('#app') as any).__vue_app__.config.globalProperties.$pinia
      pinia._s.get('scope').drillTo(c)
    }, code)
    await expect
      .poll(
        () => page.locator('[data-testid="scope-breadcrumb"] li').last().getAttribute('data-code', { timeout: 5000 }),
        POLL,
      )
      .toBe(code)
    await expect
      .poll(async () => {
        const inside = await findFreeSpot(page, {
          area: [0.3, 0.3, 0.7, 0.7],
          step: [17, 13],
          units: { layers: ['hit-grid'], code },
          clear: 8,
        })
        if ('covered' in inside) return null
        await clickMap(page, inside)
        return page
          .locator('[data-testid="detail-panel"][data-kind="unit"]')
          .getAttribute('data-id', { timeout: 5000 })
          .catch(() => null)
      }, POLL)
      .toBe(code)
    await page.locator('[data-testid="detail-panel"][data-loaded="true"]').waitFor(POLL)
    const stats = await api<{ cameras: { total: number }; cases: { open: number } }>(`/api/v1/stats?unit=${code}`)
    const cameras = page.getByTestId('detail-unit-cameras')
    expect(await cameras.locator('dd').first().textContent()).toBe(String(stats.cameras.total))
    expect(await page.getByTestId('detail-unit-density').textContent()).toContain('/')
    expect(await page.getByTestId('detail-unit-cases').textContent()).toContain('办理中')
    mkdirSync(ARTIFACTS, { recursive: true })
    await page.screenshot({ path: `${ARTIFACTS}detail-grid-1920x1080.png` })
    await page.keyboard.press('Escape')
    await page.getByTestId('detail-panel').waitFor({ state: 'detached', ...POLL })
    // the breadcrumb's details action opens the same figures for the unit on show
    await page.getByTestId('scope-details').dispatchEvent('click')
    await page.locator(`[data-testid="detail-panel"][data-kind="unit"][data-id="${code}"]`).waitFor(POLL)
    await page.getByTestId('detail-close').dispatchEvent('click')
    await page.getByTestId('detail-panel').waitFor({ state: 'detached', ...POLL })
  })
})
