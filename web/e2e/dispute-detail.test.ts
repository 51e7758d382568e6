/**
 * Disputes on the map, end to end: real server process with the simulator, real Chromium at 1080p,
 * the wall opened with its display token. Zoomed out, disputes are a heatmap only; zoomed in to
 * street level they are drawn one by one, coloured by status, an escalated (督办) one red inside a
 * red halo. A dispute ingested over REST with an escalation in its past shows a hover card (category,
 * status, age), and a click opens its detail panel with the status timeline from
 * GET /api/v1/disputes/:id, times and durations included, which follows the live state. The
 * legend's category filter thins the dots as it does the heatmap; a dispute's 督办 alert opens
 * its panel and flies the map there.
 */
import { mkdirSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { launchChromium, openLiveWall } from './support/browser.ts'
import { alertsConfigWithoutP1 } from './support/alerts-config.ts'
import {
  clickMap,
  deckLayerIds,
  deckLayerLength,
  findEntity,
  findFreeSpot,
  freezeStream,
  hoverMap,
  setLayers,
} from './support/map-probe.ts'
import { startServerProcess, type ServerProcess } from '@gridsight/server/test/server-process'
import { clockParts } from '../src/time/shanghai.ts'

const INGEST_KEY = 'e2e-dispute-ingest-key-0123456789'
const ARTIFACTS = new URL('../test-artifacts/', import.meta.url).pathname
// generous: a shared CI box renders WebGL in software
const POLL = { timeout: 60_000 }
const TEST_MS = 240_000
const HOUR = 3_600_000
/** below DISPUTE_POINTS_ZOOM (11.5): the district view; above: a community */
const FAR_ZOOM = 10
const NEAR_ZOOM = 16.5
const ONLY_DISPUTES = { members: false, memberTrails: false, cameras: false, cases: false }

function jumpTo(page: Page, zoom: number, center?: { lon: number; lat: number }): Promise<void> {
  return page.evaluate(
    ({ zoom, center }) => {
      const { map } = (window as any).__gridsight
      map.jumpTo({ zoom, ...(center ? { center: [center.lon, center.lat] } : {}) })
    },
    { zoom, center },
  )
}

/** The carousel's holds, read from the page's Pinia. */
function carouselHolds(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const pinia = (document.querySelector('#app') as any).__vue_app__.config.globalProperties.$pinia
    return [...(pinia._s.get('carousel').holds as Set<string>)]
  })
}

/** The fill of the dot picked at `at` and whether an escalation halo is drawn around its position. */
function dotStyle(page: Page, at: { x: number; y: number }): Promise<{ fill: number[]; halo: boolean } | null> {
  return page.evaluate(({ x, y }) => {
    const { overlay } = (window as any).__gridsight
    const picked = overlay.pickObject({ x, y, radius: 4 })
    if (picked?.layer?.id !== 'disputes') return null
    const attrs = picked.layer.props.data.attributes
    const k = picked.index as number
    const pos = [attrs.getPosition.value[2 * k], attrs.getPosition.value[2 * k + 1]]
    const haloLayer = overlay._deck.layerManager.getLayers().find((l: any) => l.id === 'disputes-escalated')
    let halo = false
    if (haloLayer) {
      const hp = haloLayer.props.data.attributes.getPosition.value
      for (let h = 0; h < haloLayer.props.data.length; h++)
        if (hp[2 * h] === pos[0] && hp[2 * h + 1] === pos[1]) halo = true
    }
    return { fill: Array.from(attrs.getFillColor.value.slice(4 * k, 4 * k + 4) as number[]), halo }
  }, at)
}

/**
 * How many disputes of `category` (all, for null) the dots should draw: open ones, and finished
 * ones accepted within 30 days (disputes-layer.ts isDrawn), counted in the page's mirror.
 */
function drawnInMirror(page: Page, category: string | null): Promise<number> {
  return page.evaluate((category) => {
    const { live } = (window as any).__gridsight
    const t = live.mirror.tables.disputes
    const now = live.receivedAt === null ? live.mirror.ts : live.mirror.ts + (Date.now() - live.receivedAt)
    let n = 0
    for (let i = 0; i < t.count; i++) {
      if (category !== null && t.dict[t.attr[i]] !== category) continue
      const finished = t.status[i] === 3 || t.status[i] === 4
      if (!finished || !(now - t.at[i] > 30 * 86_400_000)) n++
    }
    return n
  }, category)
}

/** `HH:mm:ss` today, else `MM-DD HH:mm`, in China Standard Time: as the panel words a time. */
function panelTime(ms: number): string {
  const p = clockParts(ms)
  return p.date === clockParts(Date.now()).date ? p.time : `${p.date.slice(5)} ${p.time.slice(0, 5)}`
}

describe('a dispute on the map in Chromium', () => {
  let server: ServerProcess
  let browser: Browser
  let page: Page
  let auth: Record<string, string>
  const id = `E2E-MD-${Date.now()}`
  const T0 = Date.now()
  const at = (hoursAgo: number) => new Date(T0 - hoursAgo * HOUR).toISOString()
  let item: Record<string, unknown>

  type Dispute = { status: string; category: string; history: { status: string; ts: string }[] }
  async function api<T>(path: string): Promise<T> {
    const res = await fetch(`${server.url}${path}`, { headers: auth })
    if (res.status !== 200) throw new Error(`GET ${path}: HTTP ${res.status}`)
    return (await res.json()) as T
  }

  async function ingest(items: Record<string, unknown>[]): Promise<void> {
    const res = await fetch(`${server.url}/api/v1/ingest/disputes`, {
      method: 'POST',
      headers: { authorization: `Bearer ${INGEST_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ items }),
    })
    expect(await res.json()).toMatchObject({ accepted: items.length, rejected: [] })
  }

  /** the panel's timeline: stage, state and what its time and duration columns say */
  const timeline = () =>
    page.getByTestId('timeline-step').evaluateAll((els) =>
      els.map((e) => ({
        stage: e.getAttribute('data-stage'),
        state: e.getAttribute('data-state'),
        when: e.querySelector('.when')?.textContent?.trim() ?? '',
        dur: e.querySelector('.muted')?.textContent?.trim() ?? '',
      })),
    )

  beforeAll(async () => {
    // No P1 alerts: a demo SOS would fly the map away from what the test hovers.
    server = await startServerProcess({
      SIMULATOR: 'on',
      TICK_MS: '250',
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

  it(
    'zoomed out a heatmap only; zoomed in each dispute by status, an escalated one in red with a halo, and its hover card',
    async () => {
      // Only disputes on the map for these tests (members walk, cameras stand everywhere, cases
      // come and go; the last test shows them again), and a free spot in the middle of it at
      // community zoom, inside the region, for the new dispute.
      await setLayers(page, ONLY_DISPUTES)
      let spot: { lon: number; lat: number } | null = null
      await expect
        .poll(async () => {
          const centred = await page.evaluate((near) => {
            const { map, live } = (window as any).__gridsight
            if (map.getZoom() >= near - 0.5) return true
            const pos = live.mirror.tables.cameras.pos
            map.jumpTo({ center: [pos[0], pos[1]], zoom: near })
            return false
          }, NEAR_ZOOM)
          if (!centred) return 'jumped'
          const r = await findFreeSpot(page, {
            area: [0.42, 0.42, 0.58, 0.58],
            step: [29, 23],
            units: { layers: ['hit-street'] },
            clear: 24,
          })
          if ('covered' in r) return `no free spot (covered by ${r.covered.join(', ')})`
          spot = { lon: r.lon, lat: r.lat }
          return 'found'
        }, POLL)
        .toBe('found')

      // accepted three days ago, assigned, mediated, escalated (督办) 20 hours ago
      item = { id, category: '邻里纠纷', title: '楼上漏水引发邻里矛盾', parties: 3, ...spot! }
      await ingest([
        { ...item, status: 'accepted', ts: at(72) },
        { ...item, status: 'assigned', ts: at(70) },
        { ...item, status: 'mediating', ts: at(48) },
        { ...item, status: 'escalated', ts: at(20) },
      ])
      const record = await api<Dispute>(`/api/v1/disputes/${id}`)
      expect(record.status).toBe('escalated')
      expect(record.history.map((e) => e.status)).toEqual(['accepted', 'assigned', 'mediating', 'escalated'])
      await page.waitForFunction(
        (d) => (window as any).__gridsight.live.mirror.tables.disputes.row(d) !== undefined,
        id,
        POLL,
      )

      // zoomed out: the points give way; the legend says they come closer in; the heatmap draws
      await page.getByTestId('legend-toggle').dispatchEvent('click')
      await page.locator('[data-testid="map-legend"][data-open="true"]').waitFor(POLL)
      await setLayers(page, { disputeHeat: true })
      await jumpTo(page, FAR_ZOOM, spot!)
      await expect.poll(() => deckLayerIds(page), POLL).toContain('dispute-heat')
      expect(await deckLayerIds(page)).not.toContain('disputes')
      await page.getByTestId('disputes-zoom-hint').waitFor(POLL)
      expect(await page.getByTestId('layer-toggle-disputes').isChecked()).toBe(true)

      // zoomed in: each dispute, and the heatmap steps aside
      await jumpTo(page, NEAR_ZOOM, spot!)
      await expect.poll(() => deckLayerIds(page), POLL).toContain('disputes')
      expect(await deckLayerIds(page)).not.toContain('dispute-heat')
      await page.getByTestId('disputes-zoom-hint').waitFor({ state: 'detached', ...POLL })
      await setLayers(page, { disputeHeat: false })

      // the new dispute is drawn in the escalated red, inside the halo; the card names it
      const card = page.getByTestId('hover-card')
      let drawn: Awaited<ReturnType<typeof dotStyle>> = null
      await expect
        .poll(async () => {
          await freezeStream(page, true)
          const hit = await findEntity(page, 'disputes', id)
          drawn = hit && (await dotStyle(page, hit))
          if (hit) await hoverMap(page, hit)
          await freezeStream(page, false)
          if (!drawn) return null
          return card.getAttribute('data-id', { timeout: 2000 }).catch(() => null)
        }, POLL)
        .toBe(id)
      expect(drawn!.fill).toEqual([255, 77, 79, 255])
      expect(drawn!.halo).toBe(true)
      const text = (await card.textContent()) ?? ''
      expect(text).toContain('矛盾纠纷')
      expect(text).toContain('督办')
      expect(text).toContain('邻里纠纷')
      expect(await page.getByTestId('hover-dispute').textContent()).toMatch(/3 天 0 小时前受理/)
    },
    TEST_MS,
  )

  it(
    "the legend's category filter applies to the dots as to the heatmap: one state for both",
    async () => {
      onTestFinished(async () => {
        await freezeStream(page, false)
        await page.evaluate(() => (window as any).__gridsight.layers.apply({ disputeCategory: null }))
      })
      // the heatmap is off: the filter sits under the dots' own row, listing the mirror's categories
      const select = page.getByTestId('dispute-category')
      await select.waitFor(POLL)
      const options = await select
        .locator('option')
        .evaluateAll((els) => els.map((e) => (e as HTMLOptionElement).value))
      expect(options[0]).toBe('')
      expect(options).toContain('邻里纠纷')
      const other = options.find((o) => o !== '' && o !== '邻里纠纷')
      expect(other).toBeDefined()

      // the mirror stands still while the drawn count is compared with it
      await freezeStream(page, true)
      const all = await drawnInMirror(page, null)
      await expect.poll(() => deckLayerLength(page, 'disputes'), POLL).toBe(all)
      await select.selectOption(other!)
      const others = await drawnInMirror(page, other!)
      expect(others).toBeLessThan(all)
      await expect.poll(() => deckLayerLength(page, 'disputes'), POLL).toBe(others)
      expect(await page.evaluate(() => (window as any).__gridsight.layers.disputeCategory)).toBe(other)
      await select.selectOption('邻里纠纷')
      await expect.poll(() => deckLayerLength(page, 'disputes'), POLL).toBe(await drawnInMirror(page, '邻里纠纷'))
      await freezeStream(page, false)
      // the new dispute (邻里纠纷) is still there, in its red
      await expect
        .poll(async () => {
          const hit = await findEntity(page, 'disputes', id)
          return hit && ((await dotStyle(page, hit))?.fill ?? null)
        }, POLL)
        .toEqual([255, 77, 79, 255])

      // with the heatmap on, the same state shows in its row, and the dots' row has none
      await setLayers(page, { disputeHeat: true })
      await expect.poll(() => page.getByTestId('heat-category').inputValue(), POLL).toBe('邻里纠纷')
      expect(await page.getByTestId('dispute-category').count()).toBe(0)
      await page.getByTestId('heat-category').selectOption('')
      await setLayers(page, { disputeHeat: false })
      await expect.poll(() => select.inputValue(), POLL).toBe('')
      await expect.poll(() => deckLayerLength(page, 'disputes'), POLL).toBeGreaterThan(0)
    },
    TEST_MS,
  )

  it(
    'a click opens the dispute: category, title, parties and its status timeline from the API, with times and durations',
    async () => {
      expect(await carouselHolds(page)).not.toContain('detail')
      const panel = page.getByTestId('detail-panel')
      const shown = () => panel.getAttribute('data-id', { timeout: 2000 }).catch(() => null)
      await expect
        .poll(async () => {
          // the panel loads on the first click: it may come after the poll has moved on
          if ((await shown()) === id) return id
          await freezeStream(page, true)
          const hit = await findEntity(page, 'disputes', id)
          if (hit) await clickMap(page, hit)
          await freezeStream(page, false)
          if (!hit) return null
          await panel.waitFor({ timeout: 10_000 }).catch(() => {})
          return shown()
        }, POLL)
        .toBe(id)
      expect(await panel.getAttribute('data-kind')).toBe('disputes')
      await page.locator('[data-testid="detail-panel"][data-loaded="true"]').waitFor(POLL)
      expect(await carouselHolds(page)).toContain('detail')

      expect(await page.getByTestId('detail-subtitle').textContent()).toBe(`楼上漏水引发邻里矛盾 · ${id}`)
      expect(await page.getByTestId('detail-status').getAttribute('data-status')).toBe('escalated')
      expect(await page.getByTestId('detail-category').textContent()).toBe('邻里纠纷')
      expect(await page.getByTestId('detail-parties').textContent()).toBe('3 方')
      expect(await page.getByTestId('detail-escalations').textContent()).toContain('督办 1 次')
      expect(await page.getByTestId('detail-elapsed').textContent()).toMatch(/3 天 0 小时/)

      // the stages entered are the API's history, each at its time, each with how long it took
      const rest = await api<Dispute>(`/api/v1/disputes/${id}`)
      const steps = await timeline()
      const entered = steps.filter((s) => s.state !== 'pending')
      expect(entered.map((s) => s.stage)).toEqual(rest.history.map((e) => e.status))
      expect(entered.map((s) => s.when)).toEqual(rest.history.map((e) => panelTime(Date.parse(e.ts))))
      expect(steps.map((s) => [s.stage, s.state])).toEqual([
        ['accepted', 'done'],
        ['assigned', 'done'],
        ['mediating', 'done'],
        ['escalated', 'current'],
        ['mediating', 'pending'],
        ['outcome', 'pending'],
      ])
      expect(steps.map((s) => s.dur)).toEqual([
        '用时 2 小时 0 分',
        '用时 22 小时 0 分',
        '用时 1 天 4 小时',
        expect.stringMatching(/^已 20 小时 \d+ 分$/),
        '',
        '',
      ])
      expect(steps[4]!.when).toBe('待办')
    },
    TEST_MS,
  )

  it(
    'the open panel follows the live state: mediation resumes after the escalation; Esc closes it',
    async () => {
      onTestFinished(() => setLayers(page, { members: true, memberTrails: true, cameras: true, cases: true }))
      await ingest([{ ...item, status: 'mediating', ts: new Date().toISOString() }])
      await expect
        .poll(async () => (await timeline()).map((s) => `${s.stage}:${s.state}`), POLL)
        .toEqual([
          'accepted:done',
          'assigned:done',
          'mediating:done',
          'escalated:done',
          'mediating:current',
          'outcome:pending',
        ])
      expect((await timeline())[3]!.dur).toMatch(/^用时 20 小时 \d+ 分$/)
      expect(await page.getByTestId('detail-status').getAttribute('data-status')).toBe('mediating')
      // escalated once, still
      expect(await page.getByTestId('detail-escalations').textContent()).toContain('督办 1 次')

      mkdirSync(ARTIFACTS, { recursive: true })
      await page.screenshot({ path: `${ARTIFACTS}detail-dispute-1920x1080.png` })
      await page.keyboard.press('Escape')
      await page.getByTestId('detail-panel').waitFor({ state: 'detached', ...POLL })
      expect(await carouselHolds(page)).not.toContain('detail')
    },
    TEST_MS,
  )

  it(
    "a dispute's 督办 alert opens its detail panel from the alert list and flies the map to it",
    async () => {
      // a dispute of its own, escalated: the one above is mediating again, its alert resolved
      const escalated = `${id}-A`
      const other = { ...item, id: escalated, title: '噪音扰民', lon: (item.lon as number) + 0.0004 }
      await ingest([
        { ...other, status: 'accepted', ts: at(10) },
        { ...other, status: 'escalated', ts: at(2) },
      ])
      // the escalation raised a disputeEscalated alert (P2: listed, no banner)
      type Listed = { id: string; rule: string; subject: { kind: string; id: string } }
      let alertId: string | null = null
      await expect
        .poll(async () => {
          const open = await api<{ items: Listed[] }>('/api/v1/alerts?state=open')
          alertId = open.items.find((a) => a.rule === 'disputeEscalated' && a.subject.id === escalated)?.id ?? null
          return alertId
        }, POLL)
        .not.toBeNull()

      // the map elsewhere, zoomed out over the district
      const there = { lon: other.lon, lat: item.lat as number }
      await jumpTo(page, FAR_ZOOM, { lon: there.lon + 0.05, lat: there.lat + 0.03 })
      // clicked in the page: a dispatched 'click' from Playwright did not reach the ticker's button here
      const press = (l: ReturnType<Page['locator']>) => l.evaluate((el) => (el as HTMLElement).click())
      await press(page.getByTestId('ticker-open-list'))
      await page.getByTestId('alert-list').waitFor(POLL)
      const row = page.locator(`[data-testid="alert-row"][data-alert-id="${alertId}"]`)
      await row.waitFor(POLL)
      await press(row)
      const open = page.getByTestId('alert-open-subject')
      await open.waitFor(POLL)
      expect(await open.getAttribute('data-kind')).toBe('disputes')
      expect(await open.getAttribute('data-id')).toBe(escalated)
      expect(await open.textContent()).toContain('查看详情并定位')
      await press(open)

      // the dialogs give way to the dispute's panel, and the map is over the dispute, its dot drawn
      await page.getByTestId('alert-detail').waitFor({ state: 'detached', ...POLL })
      expect(await page.getByTestId('alert-list').count()).toBe(0)
      await page.locator(`[data-testid="detail-panel"][data-id="${escalated}"][data-loaded="true"]`).waitFor(POLL)
      expect(await page.getByTestId('detail-panel').getAttribute('data-kind')).toBe('disputes')
      expect(await carouselHolds(page)).toContain('detail')
      await expect
        .poll(
          () =>
            page.evaluate(({ lon, lat }) => {
              const { map } = (window as any).__gridsight
              const c = map.getCenter()
              return Math.abs(c.lng - lon) < 1e-4 && Math.abs(c.lat - lat) < 1e-4 ? Math.round(map.getZoom()) : null
            }, there),
          POLL,
        )
        .toBe(16)
      await expect.poll(() => deckLayerIds(page), POLL).toContain('disputes')

      await page.keyboard.press('Escape')
      await page.getByTestId('detail-panel').waitFor({ state: 'detached', ...POLL })
    },
    TEST_MS,
  )
})
