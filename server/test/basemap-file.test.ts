/**
 * The PMTiles basemap is served by the server itself, in byte ranges, without a credential (like
 * the web app's files), and only that one file; an XYZ basemap opens the CSP to its tile hosts only.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { buildApp } from '../src/app.ts'
import { DEFAULT_DIM } from '../src/basemap/config.ts'
import { injectAs, testConfig, wallToken } from './helpers.ts'
import { allTiles, pmtilesArchive, solidPng } from './basemap-fixtures.ts'

const dir = mkdtempSync(join(tmpdir(), 'gridsight-basemap-'))
const archive = pmtilesArchive(allTiles(0, 2, solidPng([0, 200, 90], 8)))
writeFileSync(join(dir, 'city.pmtiles'), archive)
writeFileSync(join(dir, 'secret.txt'), 'not for the screen')

describe('PMTiles basemap', async () => {
  const app = await buildApp(
    testConfig({ BASEMAP: `pmtiles:${join(dir, 'city.pmtiles')}`, BASEMAP_ATTRIBUTION: '© 测试' }),
  )
  const token = await wallToken(app)
  afterAll(() => app.close())

  it('tells the screen where the archive is, and its attribution', async () => {
    const res = await injectAs(app, token)('/api/v1/region')
    expect(res.json().basemap).toEqual({
      kind: 'pmtiles',
      url: '/basemap/city.pmtiles',
      draw: { type: 'raster', dim: DEFAULT_DIM },
      attribution: '© 测试',
    })
  })

  it('answers a range request with 206 and exactly those bytes, without a credential', async () => {
    const res = await app.inject({ url: '/basemap/city.pmtiles', headers: { range: 'bytes=0-126' } })
    expect(res.statusCode).toBe(206)
    expect(res.headers['content-range']).toBe(`bytes 0-126/${archive.length}`)
    expect(res.headers['accept-ranges']).toBe('bytes')
    expect(res.rawPayload.equals(archive.subarray(0, 127))).toBe(true)
    const tail = await app.inject({ url: '/basemap/city.pmtiles', headers: { range: `bytes=127-16510` } })
    expect(tail.statusCode).toBe(206)
    expect(tail.rawPayload.equals(archive.subarray(127))).toBe(true)
    expect(tail.headers.etag).toBeTruthy()
  })

  it('serves nothing else from that folder, and lists nothing', async () => {
    for (const url of ['/basemap/secret.txt', '/basemap/..%2Fsecret.txt', '/basemap/city.pmtiles/../secret.txt']) {
      const res = await app.inject({ url })
      expect({ url, status: res.statusCode }).toEqual({ url, status: 404 })
      expect(res.body).not.toContain('not for the screen')
    }
    // no index, no listing: a path that names no file is the web app's deep-link fallback at most
    expect((await app.inject({ url: '/basemap/' })).body).not.toContain('secret.txt')
  })
})

describe('offline basemap (default)', async () => {
  const app = await buildApp(testConfig())
  const token = await wallToken(app)
  afterAll(() => app.close())

  it('tells the screen it is offline, serves no archive and keeps the CSP to our origin', async () => {
    expect((await injectAs(app, token)('/api/v1/region')).json().basemap).toEqual({ kind: 'offline' })
    expect((await app.inject({ url: '/basemap/city.pmtiles' })).statusCode).toBe(404)
    const csp = String((await app.inject({ url: '/api/v1/health' })).headers['content-security-policy'])
    expect(csp).toContain("img-src 'self' data: blob:;")
    expect(csp).toContain("connect-src 'self';")
  })
})

describe('XYZ basemap', async () => {
  const app = await buildApp(
    testConfig({ BASEMAP: 'https://t{s}.tiles.example/{z}/{x}/{y}.png?tk=k', BASEMAP_SUBDOMAINS: '0,1' }),
  )
  const token = await wallToken(app)
  afterAll(() => app.close())

  it('hands the screen one template per subdomain and lets the page fetch from those hosts only', async () => {
    expect((await injectAs(app, token)('/api/v1/region')).json().basemap).toEqual({
      kind: 'xyz',
      tiles: ['https://t0.tiles.example/{z}/{x}/{y}.png?tk=k', 'https://t1.tiles.example/{z}/{x}/{y}.png?tk=k'],
      tileSize: 256,
      draw: { type: 'raster', dim: DEFAULT_DIM },
      attribution: '',
    })
    const csp = String((await app.inject({ url: '/api/v1/health' })).headers['content-security-policy'])
    const hosts = 'https://t0.tiles.example https://t1.tiles.example'
    expect(csp).toContain(`img-src 'self' data: blob: ${hosts};`)
    expect(csp).toContain(`connect-src 'self' ${hosts};`)
    expect(csp).toContain("script-src 'self';")
  })
})
