/**
 * The map's layers in real Chromium against the real server: the unit
 * choropleth is painted from the live KPIs, the legend's toggles hide and show
 * layers, a click on a street drills into it (scope and map bounds change), and
 * hovering an entity shows its card.
 */
import { mkdirSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { launchChromium } from './support/browser.ts'
import { wallFetch, wallUrl } from './support/auth.ts'
import { startServerProcess, type ServerProcess } from '@gridsight/server/test/server-process'
import { alertsConfigWithoutP1 } from './support/alerts-config.ts'
import { clickMap, deckLayerIds, findEntity, findFreeSpot, freezeStream, hoverMap } from './support/map-probe.ts'

const ARTIFACTS = new URL('../test-artifacts/', import.meta.url).pathname
// generous: a shared CI box renders WebGL in software
const POLL = { timeout: 60_000 }

describe('map layers in Chromium', () => {
  let server: ServerProcess
  let browser: Browser
  let page: Page
  let gridCode: string

  beforeAll(async () => {
    // No P1 alerts: the simulator's demo SOS (seconds in at SIM_SPEED 60) flies the map to its subject
    // and holds it there, undoing the zoom a check has just set.
    server = await startServerProcess({
      SIMULATOR: 'on',
      TICK_MS: '250',
      SIM_SPEED: '60',
      ALERTS_CONFIG: alertsConfigWithoutP1(),
    })
    browser = await launchChromium()
    page = await browser.newPage({ viewport: { width: 1920, height: 1080 } })
    await page.goto(wallUrl(server))
    const grids = (await (await wallFetch(server, `/api/v1/regions/330402/units?level=grid`)).json()) as {
      features: { properties: { code: string } }[]
    }
    gridCode = grids.features[0]!.properties.code
    await page.locator('[data-testid="connection"][data-state="live"]').waitFor({ timeout: 90_000 })
    // a wall starts with the legend folded; these tests use its controls, so unfold it as a person would
    await page.getByTestId('legend-toggle').click({ timeout: 60_000 })
    await page.locator('[data-testid="map-legend"][data-open="true"]').waitFor({ timeout: 30_000 })
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('paints every unit level of the choropleth from the live KPIs, and re-paints on a metric switch', async () => {
    const state = (code: string, source: string) =>
      page.evaluate(
        ([c, s]) => (window as any).__gridsight.map.getFeatureState({ source: s, id: c })?.t as number | undefined,
        [code, source] as const,
      )
    await expect.poll(() => state(gridCode, 'grid'), POLL).toBeGreaterThanOrEqual(0)
    await expect.poll(() => state(gridCode.slice(0, 9), 'street'), POLL).toBeGreaterThanOrEqual(0)
    // compliance sits on a log axis around 1.0 = 0.5 on the ramp
    const compliance = await page.evaluate(
      (c) => (window as any).__gridsight.live.mirror.kpi(c, 'cameras.compliance') as number,
      gridCode,
    )
    const expected = compliance <= 0 ? 0 : Math.min(1, Math.max(0, 0.5 + Math.log2(compliance) / 4))
    expect(await state(gridCode, 'grid')).toBeCloseTo(expected, 6)

    await page.getByTestId('choro-metric-onlineRate').dispatchEvent('click')
    const rate = await page.evaluate(
      (c) => (window as any).__gridsight.live.mirror.kpi(c, 'cameras.onlineRate') as number,
      gridCode,
    )
    await expect
      .poll(() => state(gridCode, 'grid'), POLL)
      .toBeCloseTo(Math.min(1, Math.max(0, (rate * 100 - 80) / 20)), 2)
    // the choropleth draws: pixels of the map differ once the fill is on vs off
    const fill = await page.evaluate(() => (window as any).__gridsight.map.getPaintProperty('choro-grid', 'fill-color'))
    expect(JSON.stringify(fill)).toContain('#2ee6a6')
    await page.getByTestId('choro-metric-compliance').dispatchEvent('click')
  })

  it('draws cameras with a pulsing ring around each offline one, and counts per screen cell at low zoom', async () => {
    const pulse = () =>
      page.evaluate(() => {
        const g = (window as any).__gridsight
        const t = g.live.mirror.tables.cameras
        let offline = 0
        for (let i = 0; i < t.count; i++) if (t.status[i] === 1) offline++
        const layer = g.overlay._deck.layerManager.getLayers().find((l: any) => l.id === 'cameras-pulse')
        return { offline, drawn: layer?.props.data.length ?? 0, radius: layer?.props.radiusScale ?? 0 }
      })
    await expect.poll(async () => (await pulse()).drawn, POLL).toBeGreaterThan(0)
    // hold the stream still, so that the layer catches up with the mirror, and compare
    await freezeStream(page, true)
    await expect.poll(async () => ((p) => p.drawn === p.offline)(await pulse()), POLL).toBe(true)
    await freezeStream(page, false)
    // the animation runs on uniforms: the ring's radius changes while the data stays
    const first = (await pulse()).radius
    await expect.poll(async () => (await pulse()).radius, POLL).not.toBe(first)

    const zoom = await page.evaluate(() => (window as any).__gridsight.map.getZoom() as number)
    await page.evaluate(() => (window as any).__gridsight.map.jumpTo({ zoom: 9.5 }))
    await expect.poll(() => deckLayerIds(page), POLL).toContain('cameras-agg')
    expect(await deckLayerIds(page)).not.toContain('cameras')
    await page.evaluate((z) => (window as any).__gridsight.map.jumpTo({ zoom: z }), zoom)
    await expect.poll(() => deckLayerIds(page), POLL).toContain('cameras')
  })

  it('draws every open case, and every member with a heading chevron and a trail once it moved', async () => {
    const drawn = () =>
      page.evaluate(() => {
        const g = (window as any).__gridsight
        const layers = g.overlay._deck.layerManager.getLayers()
        const length = (id: string) => (layers.find((l: any) => l.id === id)?.props.data.length ?? -1) as number
        const cases = g.live.mirror.tables.cases
        let open = 0
        for (let i = 0; i < cases.count; i++) if (cases.status[i] !== 4) open++
        return {
          open,
          cases: length('cases'),
          members: g.live.mirror.tables.members.count as number,
          dots: length('members'),
          headings: length('member-heading'),
          trails: length('member-trails'),
        }
      })
    // the simulator moves members every tick: after a few, they have trails and a heading
    await expect.poll(async () => (await drawn()).trails, POLL).toBeGreaterThan(0)
    await freezeStream(page, true)
    await expect.poll(async () => ((d) => d.cases === d.open && d.dots === d.members)(await drawn()), POLL).toBe(true)
    const d = await drawn()
    expect(d.open).toBeGreaterThan(0)
    expect(d.headings).toBeGreaterThan(0)
    expect(d.headings).toBeLessThanOrEqual(d.members)
    await freezeStream(page, false)
    await page.getByTestId('layer-toggle-memberTrails').dispatchEvent('click')
    await expect.poll(() => deckLayerIds(page), POLL).not.toContain('member-trails')
    await page.getByTestId('layer-toggle-memberTrails').dispatchEvent('click')
    await expect.poll(() => deckLayerIds(page), POLL).toContain('member-trails')
  })

  it('draws camera density hexagons and the dispute heatmap by window and category', async () => {
    await page.getByTestId('layer-toggle-cameraHex').dispatchEvent('click')
    await expect.poll(() => deckLayerIds(page), POLL).toContain('camera-hex')

    const heatCount = () =>
      page.evaluate(() => {
        const layers = (window as any).__gridsight.overlay._deck.layerManager.getLayers()
        return (layers.find((l: any) => l.id === 'dispute-heat')?.props.data.length ?? 0) as number
      })
    await page.getByTestId('layer-toggle-disputeHeat').dispatchEvent('click')
    await page.getByTestId('heat-window-30d').dispatchEvent('click')
    await expect.poll(heatCount, POLL).toBeGreaterThan(0)
    const month = await heatCount()
    // the REST list read afterwards holds at least what the page drew for 30 days
    const list = (await (await wallFetch(server, `/api/v1/disputes?limit=1000`)).json()) as {
      items: { category: string; acceptedAt: string }[]
    }
    const since = Date.now() - 30 * 24 * 3600_000
    const inMonth = list.items.filter((d) => Date.parse(d.acceptedAt) >= since)
    expect(month).toBeLessThanOrEqual(inMonth.length)
    expect(month).toBeGreaterThan(inMonth.length * 0.5)

    // one category: fewer points, all from that category's disputes
    const category = inMonth[0]!.category
    await page.getByTestId('heat-category').selectOption(category)
    await expect.poll(heatCount, POLL).toBeLessThan(month)
    expect(await heatCount()).toBeLessThanOrEqual(inMonth.filter((d) => d.category === category).length)
    await page.getByTestId('heat-category').selectOption('')
    await expect.poll(heatCount, POLL).toBe(month)

    await page.getByTestId('layer-toggle-disputeHeat').dispatchEvent('click')
    await page.getByTestId('layer-toggle-cameraHex').dispatchEvent('click')
    // two clicks, two renders: the page may draw between them, so wait for both layers to go
    await expect
      .poll(async () => (await deckLayerIds(page)).filter((id) => id === 'dispute-heat' || id === 'camera-hex'), POLL)
      .toEqual([])
  })

  it('labels the units in Chinese from a font atlas drawn in the page', async () => {
    const labels = () =>
      page.evaluate(() => {
        const layers = (window as any).__gridsight.overlay._deck.layerManager.getLayers()
        const l = layers.find((x: any) => x.id === 'unit-labels')
        return l
          ? {
              names: (l.props.data as { name: string }[]).map((d) => d.name),
              chars: l.props.characterSet as string[],
              font: l.props.fontFamily as string,
            }
          : null
      })
    // drawing the glyph atlas blocks the page for a while on a software renderer: wait in the page
    await page.waitForFunction(
      () =>
        (window as any).__gridsight?.overlay?._deck?.layerManager
          ?.getLayers()
          .some((l: any) => l.id === 'unit-labels' && l.props.data.length > 0),
      null,
      { timeout: 120_000, polling: 500 },
    )
    const l = (await labels())!
    expect(l.font).toContain('Noto Sans CJK SC')
    for (const name of l.names) for (const ch of name) expect(l.chars).toContain(ch)
    expect(l.names.some((n) => /[\u4e00-\u9fff]/.test(n))).toBe(true)
  })

  it('shows a compact card when the pointer is over a camera', async () => {
    // a camera centred at street zoom that is the top-most pickable thing at its point (cases,
    // disputes and members draw above cameras; findEntity tries another when one is covered),
    // with the stream held still while the pointer moves there; the view is put back after
    const view = await page.evaluate(() => {
      const m = (window as any).__gridsight.map
      return { center: m.getCenter().toArray() as [number, number], zoom: m.getZoom() as number }
    })
    const card = page.getByTestId('hover-card')
    try {
      await expect
        .poll(async () => {
          await freezeStream(page, true)
          const hit = await findEntity(page, 'cameras')
          if (hit) await hoverMap(page, hit)
          await freezeStream(page, false)
          if (!hit) return null
          const id = await card.getAttribute('data-id', { timeout: 2000 }).catch(() => null)
          return id === hit.id ? 'the camera' : id
        }, POLL)
        .toBe('the camera')
    } finally {
      await page.evaluate((v) => (window as any).__gridsight.map.jumpTo(v), view)
    }
  })

  it('hides and shows layers from the legend', async () => {
    await expect.poll(() => deckLayerIds(page), POLL).toContain('members')
    await page.getByTestId('layer-toggle-members').dispatchEvent('click')
    await expect.poll(() => deckLayerIds(page), POLL).not.toContain('members')
    await page.getByTestId('layer-toggle-members').dispatchEvent('click')
    await expect.poll(() => deckLayerIds(page), POLL).toContain('members')

    const visibility = () =>
      page.evaluate(() => (window as any).__gridsight.map.getLayoutProperty('choro-grid', 'visibility') ?? 'visible')
    await page.getByTestId('layer-toggle-choropleth').dispatchEvent('click')
    await expect.poll(visibility, POLL).toBe('none')
    await page.getByTestId('layer-toggle-choropleth').dispatchEvent('click')
    await expect.poll(visibility, POLL).toBe('visible')

    mkdirSync(ARTIFACTS, { recursive: true })
    await page.screenshot({ path: `${ARTIFACTS}map-layers-1920x1080.png` })
  })

  it('drills into a street on a click (not on an entity) and flies to it', async () => {
    const scopeCode = () =>
      page.locator('[data-testid="scope-breadcrumb"] li').last().getAttribute('data-code', { timeout: 60_000 })
    await expect.poll(scopeCode, POLL).toBe('330402')
    // a point over a street of the scope with no entity under it
    const findTarget = async () => {
      const r = await findFreeSpot(page, {
        area: [0.3, 0.3, 0.7, 0.8],
        step: [29, 23],
        units: { layers: ['hit-street'] },
        clear: 6,
      })
      return 'covered' in r ? null : r
    }
    let target: Awaited<ReturnType<typeof findTarget>> = null
    await expect.poll(async () => (target = await findTarget()) !== null, POLL).toBe(true)
    const before = await page.evaluate(() => (window as any).__gridsight.map.getZoom() as number)
    await clickMap(page, target!)
    await expect.poll(scopeCode, POLL).toBe(target!.code)
    // the map flew to the street: its centre comes to lie inside the street's bounds
    const streets = (await (await wallFetch(server, `/api/v1/regions/330402/units?level=street`)).json()) as {
      features: { properties: { code: string }; geometry: { coordinates: unknown } }[]
    }
    const coords = JSON.stringify(
      streets.features.find((f) => f.properties.code === target!.code)!.geometry.coordinates,
    )
    const xs = [...coords.matchAll(/\[(-?[\d.]+),(-?[\d.]+)\]/g)].map((m) => [Number(m[1]), Number(m[2])] as const)
    const [w, e] = [Math.min(...xs.map((p) => p[0])), Math.max(...xs.map((p) => p[0]))]
    const [s, n] = [Math.min(...xs.map((p) => p[1])), Math.max(...xs.map((p) => p[1]))]
    await expect
      .poll(async () => {
        const c = await page.evaluate(() => (window as any).__gridsight.map.getCenter().toArray() as [number, number])
        return c[0] > w && c[0] < e && c[1] > s && c[1] < n
      }, POLL)
      .toBe(true)
    expect(before).not.toBeNaN()
    const outside = await page.evaluate(() => {
      const { map } = (window as any).__gridsight
      return map.getFilter('scope-dim-street')
    })
    expect(JSON.stringify(outside)).toContain(target!.code)
    mkdirSync(ARTIFACTS, { recursive: true })
    await page.screenshot({ path: `${ARTIFACTS}map-drilled-street.png` })
  })
})
