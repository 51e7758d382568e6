import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../config.ts'
import { allTiles, pmtilesArchive, solidPng } from '../../test/basemap-fixtures.ts'

const TIANDITU = 'https://t{s}.tianditu.gov.cn/DataServer?T=vec_w&x={x}&y={y}&l={z}&tk=secret-key'
const dir = mkdtempSync(join(tmpdir(), 'gridsight-basemap-'))
const raster = join(dir, 'jiaxing.pmtiles')
writeFileSync(raster, pmtilesArchive(allTiles(0, 1, solidPng([200, 0, 200], 4))))
const vector = join(dir, 'vector.pmtiles')
writeFileSync(vector, pmtilesArchive(allTiles(0, 0, new Uint8Array([1, 2, 3])), { tileType: 1 }))
const notPmtiles = join(dir, 'readme.pmtiles')
writeFileSync(notPmtiles, 'x'.repeat(200))

describe('BASEMAP', () => {
  it('is offline by default', () => {
    expect(loadConfig({}).basemap).toEqual({ kind: 'offline' })
  })

  it('takes an XYZ template with subdomains, tile size and attribution, and names the tile hosts', () => {
    const c = loadConfig({
      BASEMAP: TIANDITU,
      BASEMAP_SUBDOMAINS: '0,1,2',
      BASEMAP_ATTRIBUTION: '© 天地图',
      BASEMAP_TILE_SIZE: '256',
    })
    expect(c.basemap).toEqual({
      kind: 'xyz',
      tiles: [0, 1, 2].map((s) => TIANDITU.replace('{s}', String(s))),
      tileSize: 256,
      attribution: '© 天地图',
      origins: ['https://t0.tianditu.gov.cn', 'https://t1.tianditu.gov.cn', 'https://t2.tianditu.gov.cn'],
    })
  })

  it('takes a template without {s}', () => {
    const c = loadConfig({ BASEMAP: 'http://tiles.lan:8081/{z}/{x}/{y}.png', BASEMAP_TILE_SIZE: '512' })
    expect(c.basemap).toMatchObject({ kind: 'xyz', tiles: ['http://tiles.lan:8081/{z}/{x}/{y}.png'], tileSize: 512 })
    expect(c.basemap).toMatchObject({ origins: ['http://tiles.lan:8081'], attribution: '' })
  })

  it('takes a raster PMTiles file, relative to the start directory', () => {
    expect(loadConfig({ BASEMAP: 'pmtiles:jiaxing.pmtiles', BASEMAP_ATTRIBUTION: 'OSM' }, dir).basemap).toEqual({
      kind: 'pmtiles',
      file: raster,
      attribution: 'OSM',
    })
  })

  const expected =
    'BASEMAP must be offline, an http(s) XYZ tile URL with {z}, {x} and {y}, or pmtiles:<path to a local .pmtiles file>'
  it.each([
    ['osm', `${expected}: it is neither offline, nor an http(s) URL, nor pmtiles:<path> (got "osm")`],
    [
      'ftp://tiles/{z}/{x}/{y}',
      `${expected}: it is neither offline, nor an http(s) URL, nor pmtiles:<path> (got "ftp://tiles/{z}/{x}/{y}")`,
    ],
    [
      'https://tiles.example/style.json',
      `${expected}: {z} is missing (a TileJSON or style URL is not supported: vector basemaps need a glyph server) (got "https://tiles.example/style.json")`,
    ],
    [
      'https://tiles.example/{z}/{x}/{-y}.png',
      `${expected}: {-y} is not a placeholder MapLibre fills (use {z}, {x}, {y}, {s}) (got "https://tiles.example/{z}/{x}/{-y}.png")`,
    ],
    ['pmtiles:', `${expected}: pmtiles: needs the path of the file after it (got "pmtiles:")`],
  ])('refuses BASEMAP=%s naming the variable and what it must be', (value, message) => {
    expect(() => loadConfig({ BASEMAP: value })).toThrow(new ConfigError(message))
  })

  it('never echoes the query string, where tile keys are', () => {
    expect(() => loadConfig({ BASEMAP: 'https://t0.tianditu.gov.cn/DataServer?l={z}&x={x}&tk=secret-key' })).toThrow(
      new ConfigError(
        `${expected}: {y} is missing (a TileJSON or style URL is not supported: vector basemaps need a glyph server) (got "https://t0.tianditu.gov.cn/DataServer?…")`,
      ),
    )
  })

  it('asks for subdomains when the template has {s}, and refuses them when it has not', () => {
    expect(() => loadConfig({ BASEMAP: TIANDITU })).toThrow(
      new ConfigError('BASEMAP has {s}: set BASEMAP_SUBDOMAINS to the subdomains it stands for (e.g. 0,1,2,3)'),
    )
    expect(() => loadConfig({ BASEMAP: 'https://a.example/{z}/{x}/{y}', BASEMAP_SUBDOMAINS: 'a,b' })).toThrow(
      new ConfigError('BASEMAP_SUBDOMAINS is set but BASEMAP has no {s} to put them in'),
    )
    expect(() => loadConfig({ BASEMAP: TIANDITU, BASEMAP_SUBDOMAINS: 'a,b/c' })).toThrow(
      /^BASEMAP_SUBDOMAINS must be comma-separated subdomains such as 0,1,2,3 or a,b,c \(got "a,b\/c"\)$/,
    )
  })

  it('refuses a tile size other than 256 or 512', () => {
    expect(() => loadConfig({ BASEMAP_TILE_SIZE: '300' })).toThrow(
      new ConfigError('BASEMAP_TILE_SIZE must be one of 256, 512 (got "300")'),
    )
  })

  it.each([
    ['pmtiles:missing.pmtiles', `missing.pmtiles cannot be read (ENOENT)`],
    ['pmtiles:readme.pmtiles', 'readme.pmtiles is not a PMTiles v3 archive'],
    [
      'pmtiles:vector.pmtiles',
      'vector.pmtiles holds vector tiles; only raster archives (png, jpeg, webp, avif) are drawn',
    ],
    ['pmtiles:tiles.mbtiles', "the file name must end in .pmtiles and hold only letters, digits, '.', '_' and '-'"],
  ])('refuses BASEMAP=%s: %s', (value, why) => {
    expect(() => loadConfig({ BASEMAP: value }, dir)).toThrow(ConfigError)
    expect(() => loadConfig({ BASEMAP: value }, dir)).toThrow(why)
    expect(() => loadConfig({ BASEMAP: value }, dir)).toThrow(/^BASEMAP must be offline, /)
  })
})
