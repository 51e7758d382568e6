/**
 * Opt-in basemaps (BASEMAP, issue 7) in real Chromium against the real server process: an XYZ
 * template on a tile server the test runs, then a raster PMTiles archive the server serves itself
 * in byte ranges, then the same two with vector tiles in the built-in style. Each draws under the
 * region's boundaries (its colour fills a good part of the canvas), its attribution shows, and no
 * request to the tile host carries the screen's credential.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { allTiles, pmtilesArchive, solidMvt, solidPng, type FixtureTile } from '@gridsight/server/test/basemap-fixtures'
import type { rasterDimPaint } from '../src/map/basemap-style.ts'
import { vectorPalette } from '../src/map/vector-basemap-style.ts'
import { startServerProcess, type ServerProcess } from '@gridsight/server/test/server-process'
import { launchChromium } from './support/browser.ts'
import { wallUrl } from './support/auth.ts'
import { waitForMapHandle } from './support/map-probe.ts'

/** Headless Chromium draws WebGL in software: on a busy machine one evaluate alone can take a second. */
const POLL = { timeout: 60_000, interval: 500 }
type Rgb = [number, number, number]
const MAGENTA: Rgb = [255, 0, 255]
const ORANGE: Rgb = [255, 128, 0]
/** 南湖区 and around, generously: the archive holds tiles over it at the zooms a wall shows */
const AROUND_REGION = { west: 120.4, south: 30.4, east: 121.3, north: 31.1 }

/** Share of the map canvas's pixels within `tolerance` levels of `rgb`, read in the frame just drawn. */
function shareOfColour(page: Page, rgb: Rgb, tolerance = 12): Promise<number> {
  return page.evaluate(
    ([r, g, b, t]) =>
      new Promise<number>((resolve) => {
        const map = (window as any).__gridsight.map
        map.once('render', () => {
          // the drawing buffer is still this frame's until the task ends
          const gl = map.painter.context.gl as WebGL2RenderingContext
          const w = gl.drawingBufferWidth
          const h = gl.drawingBufferHeight
          const px = new Uint8Array(w * h * 4)
          gl.readPixels(0, 0, w, h, gl.RGBA, gl.UNSIGNED_BYTE, px)
          let n = 0
          for (let i = 0; i < px.length; i += 4) {
            if (Math.abs(px[i]! - r) <= t && Math.abs(px[i + 1]! - g) <= t && Math.abs(px[i + 2]! - b) <= t) n++
          }
          resolve(n / (w * h))
        })
        map.triggerRepaint()
      }),
    [...rgb, tolerance] as const,
  )
}

const hex = (colour: string): Rgb => [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16)) as Rgb

/**
 * What MapLibre's raster shader (src/shaders/raster.fragment.glsl) makes of a colour under a paint
 * of brightness-max, saturation and contrast, both of the latter at most 0.
 */
function dimmed(rgb: Rgb, paint: ReturnType<typeof rasterDimPaint>): Rgb {
  const c = rgb.map((v) => v / 255)
  const average = (c[0]! + c[1]! + c[2]!) / 3
  const saturation = -(paint['raster-saturation'] as number)
  const contrast = 1 + (paint['raster-contrast'] as number)
  const high = paint['raster-brightness-max'] as number
  return c.map((v) => {
    const flat = (v + (average - v) * saturation - 0.5) * contrast + 0.5
    return Math.round(Math.min(1, Math.max(0, high * flat)) * 255)
  }) as Rgb
}

function tileRange(z: number) {
  const n = 2 ** z
  const x = (lon: number) => Math.floor(((lon + 180) / 360) * n)
  const y = (lat: number) => {
    const r = (lat * Math.PI) / 180
    return Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n)
  }
  const b = AROUND_REGION
  return { x0: x(b.west), x1: x(b.east), y0: y(b.north), y1: y(b.south) }
}

/** Tiles over the region from zoom 6 to 14 (the map overzooms the last ones when closer). */
function regionTiles(png: Uint8Array): FixtureTile[] {
  const out: FixtureTile[] = allTiles(0, 1, png)
  for (let z = 6; z <= 14; z++) {
    const { x0, x1, y0, y1 } = tileRange(z)
    for (let x = x0; x <= x1; x++) for (let y = y0; y <= y1; y++) out.push({ z, x, y, data: png })
  }
  return out
}

interface Seen {
  url: string
  status?: number
}

async function openWall(browser: Browser, server: ServerProcess) {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } })
  const requests: Seen[] = []
  page.on('request', (r) => requests.push({ url: r.url() }))
  page.on('response', (r) => requests.push({ url: r.url(), status: r.status() }))
  page.on('websocket', (ws) => requests.push({ url: ws.url() }))
  await page.goto(wallUrl(server))
  await page.locator('.maplibregl-canvas').waitFor({ state: 'visible' })
  await waitForMapHandle(page)
  return { page, requests }
}

/** A tile service on another origin (127.0.0.1, its own port): serves `body` for paths matching `path`, with CORS as any tile service must allow, and records what it was asked. */
async function startTileServer(path: RegExp, contentType: string, body: Buffer | Uint8Array) {
  const requests: { url: string; headers: IncomingHttpHeaders }[] = []
  const server = createServer((req, res) => {
    requests.push({ url: req.url ?? '', headers: req.headers })
    if (!path.test(req.url ?? '')) return res.writeHead(404).end()
    res.writeHead(200, { 'content-type': contentType, 'access-control-allow-origin': '*' }).end(body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise((resolve) => server.close(resolve)),
  }
}

describe('opt-in basemaps in Chromium', () => {
  let browser: Browser

  beforeAll(async () => {
    browser = await launchChromium()
  })

  afterAll(async () => {
    await browser?.close()
  })

  describe('an XYZ template on another host', () => {
    let tiles: Awaited<ReturnType<typeof startTileServer>>
    let tileOrigin = ''
    let tileRequests: Awaited<ReturnType<typeof startTileServer>>['requests'] = []
    let server: ServerProcess
    let page: Page
    let requests: Seen[]

    beforeAll(async () => {
      tiles = await startTileServer(/^\/tiles\/\d+\/\d+\/\d+\.png$/, 'image/png', solidPng(MAGENTA))
      ;({ origin: tileOrigin, requests: tileRequests } = tiles)
      server = await startServerProcess({
        SIMULATOR: 'off',
        BASEMAP: `${tileOrigin}/tiles/{z}/{x}/{y}.png`,
        BASEMAP_ATTRIBUTION: '© 测试底图 Test basemap',
      })
      ;({ page, requests } = await openWall(browser, server))
    })

    afterAll(async () => {
      await page?.close()
      await server?.stop()
      await tiles?.close()
    })

    it('fetches tiles from the template, without the screen’s credential', async () => {
      await expect.poll(() => tileRequests.length, POLL).toBeGreaterThan(0)
      for (const r of tileRequests) {
        expect(r.url).toMatch(/^\/tiles\/\d+\/\d+\/\d+\.png$/)
        expect(r.headers.authorization).toBeUndefined()
      }
      // the page reaches two origins only: ours and the tile host
      const hosts = new Set(
        requests
          .map((r) => new URL(r.url))
          .filter((u) => u.protocol.startsWith('http') || u.protocol.startsWith('ws'))
          .map((u) => u.host),
      )
      expect([...hosts].sort()).toEqual([new URL(server.url).host, new URL(tileOrigin).host].sort())
    })

    it('draws the tiles under the region, dimmed by default: their dimmed colour covers part of the map', async () => {
      // the paint the screen made of the server's default BASEMAP_DIM
      const paint = await page.evaluate(
        () =>
          (window as any).__gridsight.map.getStyle().layers.find((l: { id: string }) => l.id === 'basemap').paint ?? {},
      )
      expect(paint['raster-brightness-max']).toBeLessThan(1)
      const dim = dimmed(MAGENTA, paint)
      await expect.poll(() => shareOfColour(page, dim), POLL).toBeGreaterThan(0.05)
      expect(await shareOfColour(page, MAGENTA)).toBe(0)
      // the region's own outline still draws on top
      const order = await page.evaluate(() =>
        (window as any).__gridsight.map.getStyle().layers.map((l: { id: string }) => l.id),
      )
      expect(order.indexOf('basemap')).toBeLessThan(order.indexOf('district-line'))
      expect(order.indexOf('basemap')).toBe(order.indexOf('ground') + 1)
    })

    it('credits the basemap in the map corner', async () => {
      await expect(page.getByTestId('basemap-attribution').textContent()).resolves.toBe('© 测试底图 Test basemap')
    })
  })

  describe('a raster PMTiles archive served by our server', () => {
    let server: ServerProcess
    let page: Page
    let requests: Seen[]

    beforeAll(async () => {
      const dir = mkdtempSync(join(tmpdir(), 'gridsight-e2e-basemap-'))
      writeFileSync(join(dir, 'nanhu.pmtiles'), pmtilesArchive(regionTiles(solidPng(ORANGE)), { gzip: true }))
      server = await startServerProcess({
        SIMULATOR: 'off',
        BASEMAP: `pmtiles:${join(dir, 'nanhu.pmtiles')}`,
        BASEMAP_DIM: '0',
      })
      ;({ page, requests } = await openWall(browser, server))
    })

    afterAll(async () => {
      await page?.close()
      await server?.stop()
    })

    it('draws the archive’s tiles under the region, as served with BASEMAP_DIM=0', async () => {
      await expect.poll(() => shareOfColour(page, ORANGE), POLL).toBeGreaterThan(0.05)
    })

    it('reads the archive in byte ranges from our origin, and nothing from elsewhere', async () => {
      const archive = requests.filter((r) => r.url === `${server.url}/basemap/nanhu.pmtiles`)
      expect(archive.filter((r) => r.status === 206).length).toBeGreaterThan(0)
      expect(archive.some((r) => r.status !== undefined && r.status !== 206)).toBe(false)
      const foreign = requests.filter(
        (r) => /^(https?|wss?):/.test(r.url) && new URL(r.url).host !== new URL(server.url).host,
      )
      expect(foreign).toEqual([])
      // no attribution configured: nothing in the corner
      expect(await page.getByTestId('basemap-attribution').count()).toBe(0)
    })
  })

  describe('a vector PMTiles archive (Protomaps schema, told from its metadata) served by our server', () => {
    const EARTH = hex(vectorPalette.earth)
    let server: ServerProcess
    let page: Page
    let requests: Seen[]

    beforeAll(async () => {
      const dir = mkdtempSync(join(tmpdir(), 'gridsight-e2e-basemap-'))
      const layers = ['boundaries', 'buildings', 'earth', 'landuse', 'places', 'pois', 'roads', 'water']
      const archive = pmtilesArchive(regionTiles(solidMvt('earth')), {
        tileType: 1,
        gzip: true,
        metadata: { vector_layers: layers.map((id) => ({ id, fields: {} })) },
      })
      writeFileSync(join(dir, 'nanhu-vector.pmtiles'), archive)
      server = await startServerProcess({ SIMULATOR: 'off', BASEMAP: `pmtiles:${join(dir, 'nanhu-vector.pmtiles')}` })
      ;({ page, requests } = await openWall(browser, server))
    })

    afterAll(async () => {
      await page?.close()
      await server?.stop()
    })

    it('fills the land with the built-in style’s earth colour under the region', async () => {
      // exact: a flat fill, where the offline ground and the region's land differ by far more
      await expect.poll(() => shareOfColour(page, EARTH, 3), POLL).toBeGreaterThan(0.05)
      const layers = await page.evaluate(() =>
        (window as any).__gridsight.map.getStyle().layers.map((l: { id: string; type: string }) => [l.id, l.type]),
      )
      const ids = layers.map(([id]: [string]) => id)
      expect(ids.indexOf('basemap-earth')).toBe(ids.indexOf('ground') + 1)
      expect(ids.indexOf('basemap-boundary')).toBeLessThan(ids.indexOf('district-line'))
      expect(layers.some(([, type]: [string, string]) => type === 'symbol')).toBe(false)
    })

    it('reads the archive in byte ranges from our origin, and nothing from elsewhere (no glyphs, no sprites)', async () => {
      const archive = requests.filter((r) => r.url === `${server.url}/basemap/nanhu-vector.pmtiles`)
      expect(archive.filter((r) => r.status === 206).length).toBeGreaterThan(0)
      const foreign = requests.filter(
        (r) => /^(https?|wss?):/.test(r.url) && new URL(r.url).host !== new URL(server.url).host,
      )
      expect(foreign).toEqual([])
      expect(requests.filter((r) => /glyph|font|sprite|\.pbf(\?|$)/i.test(r.url))).toEqual([])
    })
  })

  describe('a vector XYZ template (OpenMapTiles schema) on another host', () => {
    const WATER = hex(vectorPalette.water)
    let tiles: Awaited<ReturnType<typeof startTileServer>>
    let tileOrigin = ''
    let tileRequests: Awaited<ReturnType<typeof startTileServer>>['requests'] = []
    let server: ServerProcess
    let page: Page
    let requests: Seen[]

    beforeAll(async () => {
      tiles = await startTileServer(/^\/v3\/\d+\/\d+\/\d+\.pbf$/, 'application/x-protobuf', solidMvt('water'))
      ;({ origin: tileOrigin, requests: tileRequests } = tiles)
      server = await startServerProcess({
        SIMULATOR: 'off',
        BASEMAP: `${tileOrigin}/v3/{z}/{x}/{y}.pbf`,
        BASEMAP_SCHEMA: 'openmaptiles',
        BASEMAP_ATTRIBUTION: '© OpenMapTiles © OpenStreetMap',
      })
      ;({ page, requests } = await openWall(browser, server))
    })

    afterAll(async () => {
      await page?.close()
      await server?.stop()
      await tiles?.close()
    })

    it('fills the water with the built-in style’s water colour under the region', async () => {
      await expect.poll(() => shareOfColour(page, WATER, 3), POLL).toBeGreaterThan(0.05)
      await expect(page.getByTestId('basemap-attribution').textContent()).resolves.toBe(
        '© OpenMapTiles © OpenStreetMap',
      )
    })

    it('fetches vector tiles up to zoom 14 from the template only, without the screen’s credential', async () => {
      await expect.poll(() => tileRequests.length, POLL).toBeGreaterThan(0)
      for (const r of tileRequests) {
        const [, z] = r.url.match(/^\/v3\/(\d+)\/\d+\/\d+\.pbf$/) ?? []
        expect(Number(z)).toBeLessThanOrEqual(14)
        expect(r.headers.authorization).toBeUndefined()
      }
      const hosts = new Set(
        requests
          .map((r) => new URL(r.url))
          .filter((u) => u.protocol.startsWith('http') || u.protocol.startsWith('ws'))
          .map((u) => u.host),
      )
      expect([...hosts].sort()).toEqual([new URL(server.url).host, new URL(tileOrigin).host].sort())
    })
  })
})
