/**
 * The walking skeleton end to end: real server process, real Chromium at 1080p.
 * The map canvas and the deck.gl members layer draw, points move, and every
 * request the page makes goes to the page's own origin.
 */
import { mkdirSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { launchChromium } from './support/browser.ts'
import { wallUrl } from './support/auth.ts'
import { readCameras, readMembers } from '@gridsight/geo-data'
import { startServerProcess, type ServerProcess } from '@gridsight/server/test/server-process'
import { alertsConfigWithoutP1 } from './support/alerts-config.ts'

const PACK_MEMBERS = readMembers('330402').length
const PACK_CAMERAS = readCameras('330402').length

const ARTIFACTS = new URL('../test-artifacts/', import.meta.url).pathname
/** Headless Chromium draws WebGL in software: on a busy machine one evaluate alone can take a second. */
const POLL = { timeout: 20_000 }

interface MembersLayerState {
  count: number
  /** sum of all coordinates: changes when any member moves */
  checksum: number
}

/** Reads the deck.gl members layer through the debug handle the map exposes. */
function readMembersLayer(page: Page): Promise<MembersLayerState | null> {
  return page.evaluate(() => {
    const overlay = (window as unknown as { __gridsight?: { overlay: any } }).__gridsight?.overlay
    const layer = overlay?._deck?.layerManager?.getLayers().find((l: any) => l.id === 'members')
    if (!layer) return null
    const value = layer.props.data.attributes.getPosition.value as Float32Array
    let checksum = 0
    for (let i = 0; i < layer.props.data.length * 2; i++) checksum += value[i]!
    return { count: layer.props.data.length, checksum }
  })
}

describe('live screen in Chromium', () => {
  let server: ServerProcess
  let browser: Browser
  let page: Page
  const requests: string[] = []

  beforeAll(async () => {
    // SIM_SPEED 60: members report every few simulated seconds at any hour of the day.
    // No P1 alerts: the demo SOS would fly the map to one member, and this suite picks them all on screen.
    server = await startServerProcess({
      SIMULATOR: 'on',
      TICK_MS: '250',
      SIM_SPEED: '60',
      ALERTS_CONFIG: alertsConfigWithoutP1(),
    })
    browser = await launchChromium()
    page = await browser.newPage({ viewport: { width: 1920, height: 1080 } })
    page.on('request', (r) => requests.push(r.url()))
    page.on('websocket', (ws) => requests.push(ws.url()))
    await page.goto(wallUrl(server))
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('shows the map canvas and goes live', async () => {
    await page.locator('.maplibregl-canvas').waitFor({ state: 'visible' })
    await page.locator('[data-testid="connection"][data-state="live"]').waitFor()
    const box = await page.locator('.maplibregl-canvas').boundingBox()
    expect(box).toMatchObject({ width: 1920, height: 1080 })
  })

  it('draws the members layer with every simulated member, and they move', async () => {
    await page.waitForFunction(() => {
      const o = (window as any).__gridsight?.overlay
      return o?._deck?.layerManager?.getLayers().some((l: any) => l.id === 'members' && l.props.data.length > 0)
    })
    const first = await readMembersLayer(page)
    expect(first?.count).toBe(PACK_MEMBERS)
    await expect
      .poll(async () => (await readMembersLayer(page))?.checksum, { timeout: 10_000 })
      .not.toEqual(first?.checksum)

    // Picking renders the layer into deck's picking buffer: points are really on screen.
    const picked = await page.evaluate(() => {
      const deck = (window as any).__gridsight.overlay._deck
      return deck.pickObjects({ x: 0, y: 0, width: 1920, height: 1080, layerIds: ['members'] }).length
    })
    expect(picked).toBeGreaterThan(PACK_MEMBERS / 2)
    // Members on duty: some, never more than all of them (most are off duty at night).
    await expect
      .poll(async () => Number((await page.getByTestId('member-count').textContent())?.replace(/\D/g, '')), POLL)
      .toBeGreaterThan(0)
    const onDuty = Number((await page.getByTestId('member-count').textContent())?.replace(/\D/g, ''))
    expect(onDuty).toBeLessThanOrEqual(PACK_MEMBERS)

    mkdirSync(ARTIFACTS, { recursive: true })
    await page.screenshot({ path: `${ARTIFACTS}live-screen-1920x1080.png` })
  })

  it('shows the KPI figures computed by the server, e.g. every camera of the region', async () => {
    await expect
      .poll(async () => Number((await page.getByTestId('cameras-total').textContent())?.replace(/\D/g, '')), POLL)
      .toBe(PACK_CAMERAS)
    // The camera layer draws every camera, coloured by status.
    const drawn = await page.evaluate(() => {
      const layers = (window as any).__gridsight.overlay._deck.layerManager.getLayers()
      return layers.find((l: any) => l.id === 'cameras')?.props.data.length ?? 0
    })
    expect(drawn).toBe(PACK_CAMERAS)
    // The street ranking lists named streets with their figure.
    await expect
      .poll(() => page.locator('[data-testid="street-ranking"] li[data-code]').count(), POLL)
      .toBeGreaterThan(5)
  })

  it('makes no request to any other origin', async () => {
    const origin = new URL(server.url)
    expect(requests.length).toBeGreaterThan(3)
    const foreign = requests.filter((u) => {
      const url = new URL(u)
      if (url.protocol === 'data:' || url.protocol === 'blob:') return false
      return url.host !== origin.host
    })
    expect(foreign).toEqual([])
    // The live socket itself is among the recorded requests.
    expect(requests.some((u) => u.startsWith(`ws://${origin.host}/socket.io/`))).toBe(true)
  })
})
