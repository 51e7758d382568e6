import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../config.ts'
import { DEFAULT_DIM } from './config.ts'
import { gzipSync } from 'node:zlib'
import { allTiles, pmtilesArchive, solidMvt, solidPng } from '../../test/basemap-fixtures.ts'

const TIANDITU = 'https://t{s}.tianditu.gov.cn/DataServer?T=vec_w&x={x}&y={y}&l={z}&tk=secret-key'
const dir = mkdtempSync(join(tmpdir(), 'gridsight-basemap-'))
const raster = join(dir, 'jiaxing.pmtiles')
writeFileSync(raster, pmtilesArchive(allTiles(0, 1, solidPng([200, 0, 200], 4))))
/** A vector archive whose metadata lists `layers` (undefined: no vector_layers at all). */
function vectorArchive(name: string, layers: string[] | undefined, gzip = false): string {
  const metadata = layers ? { vector_layers: layers.map((id) => ({ id, fields: {} })) } : { name }
  const file = join(dir, name)
  writeFileSync(
    file,
    pmtilesArchive(allTiles(0, 1, solidMvt(...(layers ?? ['water']))), { tileType: 1, metadata, gzip }),
  )
  return file
}
const OMT_LAYERS = [
  'water',
  'waterway',
  'landcover',
  'landuse',
  'park',
  'transportation',
  'building',
  'boundary',
  'place',
]
const PROTOMAPS_LAYERS = ['boundaries', 'buildings', 'earth', 'landuse', 'natural', 'places', 'pois', 'roads', 'water']
const omt = vectorArchive('omt.pmtiles', OMT_LAYERS)
const protomaps = vectorArchive('protomaps.pmtiles', PROTOMAPS_LAYERS, true)
vectorArchive('unlisted.pmtiles', undefined)
vectorArchive('custom.pmtiles', ['lakes', 'streets'])
vectorArchive('both.pmtiles', ['water', 'transportation', 'roads'])
const unknownType = join(dir, 'unknown.pmtiles')
writeFileSync(unknownType, pmtilesArchive(allTiles(0, 0, new Uint8Array([1])), { tileType: 9 }))
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
      draw: { type: 'raster', dim: DEFAULT_DIM },
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
      draw: { type: 'raster', dim: DEFAULT_DIM },
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
      `${expected}: {z} is missing (a TileJSON or style URL is not supported: it would bring its own labels, which need a glyph server) (got "https://tiles.example/style.json")`,
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
        `${expected}: {y} is missing (a TileJSON or style URL is not supported: it would bring its own labels, which need a glyph server) (got "https://t0.tianditu.gov.cn/DataServer?…")`,
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
    expect(() => loadConfig({ BASEMAP: 'http://tiles.lan/{z}/{x}/{y}.png', BASEMAP_TILE_SIZE: '300' })).toThrow(
      new ConfigError('BASEMAP_TILE_SIZE must be one of 256, 512 (got "300")'),
    )
  })

  it.each([
    ['pmtiles:missing.pmtiles', `missing.pmtiles cannot be read (ENOENT)`],
    ['pmtiles:readme.pmtiles', 'readme.pmtiles is not a PMTiles v3 archive'],
    [
      'pmtiles:unknown.pmtiles',
      'unknown.pmtiles holds tiles of unknown type 9; raster (png, jpeg, webp, avif) or vector (mvt) are drawn',
    ],
    ['pmtiles:tiles.mbtiles', "the file name must end in .pmtiles and hold only letters, digits, '.', '_' and '-'"],
  ])('refuses BASEMAP=%s: %s', (value, why) => {
    expect(() => loadConfig({ BASEMAP: value }, dir)).toThrow(ConfigError)
    expect(() => loadConfig({ BASEMAP: value }, dir)).toThrow(why)
    expect(() => loadConfig({ BASEMAP: value }, dir)).toThrow(/^BASEMAP must be offline, /)
  })
})

describe('BASEMAP_DIM (raster tiles)', () => {
  const PNG = 'http://tiles.lan/{z}/{x}/{y}.png'
  it.each([
    ['0', 0],
    ['0.25', 0.25],
    ['1', 1],
  ])('takes %s for an XYZ raster template', (value, dim) => {
    expect(loadConfig({ BASEMAP: PNG, BASEMAP_DIM: value }).basemap).toMatchObject({ draw: { type: 'raster', dim } })
  })

  it('dims a raster basemap by default, somewhere between as served and black', () => {
    expect(DEFAULT_DIM).toBeGreaterThan(0)
    expect(DEFAULT_DIM).toBeLessThan(1)
    expect(loadConfig({ BASEMAP: PNG }).basemap).toMatchObject({ draw: { type: 'raster', dim: DEFAULT_DIM } })
  })

  it('applies to a raster PMTiles archive too', () => {
    expect(loadConfig({ BASEMAP: 'pmtiles:jiaxing.pmtiles', BASEMAP_DIM: '0' }, dir).basemap).toMatchObject({
      draw: { type: 'raster', dim: 0 },
    })
  })

  it.each(['-0.1', '1.5', 'dark', '50%'])('refuses BASEMAP_DIM=%s, naming the variable and its range', (value) => {
    expect(() => loadConfig({ BASEMAP: PNG, BASEMAP_DIM: value })).toThrow(
      new ConfigError(`BASEMAP_DIM must be a number from 0 (raster tiles as served) to 1 (darkest) (got "${value}")`),
    )
  })

  it('refuses it for vector tiles, which the built-in style already draws dark, and for offline', () => {
    expect(() => loadConfig({ BASEMAP: 'pmtiles:omt.pmtiles', BASEMAP_DIM: '0.5' }, dir)).toThrow(
      new ConfigError(
        'BASEMAP_DIM is set but BASEMAP serves vector tiles, which are drawn in the built-in dark style: unset it',
      ),
    )
    expect(() => loadConfig({ BASEMAP_DIM: '0.5' })).toThrow(
      new ConfigError('BASEMAP_DIM is set but BASEMAP is offline: unset it or set BASEMAP'),
    )
  })
})

describe('vector basemaps', () => {
  const OMT_XYZ = 'http://tiles.lan:8081/data/v3/{z}/{x}/{y}.pbf'

  it('reads a vector XYZ template from its .pbf or .mvt extension, with 512-pixel tiles', () => {
    expect(loadConfig({ BASEMAP: OMT_XYZ, BASEMAP_SCHEMA: 'openmaptiles' }).basemap).toEqual({
      kind: 'xyz',
      tiles: [OMT_XYZ],
      tileSize: 512,
      draw: { type: 'vector', schema: 'openmaptiles' },
      attribution: '',
      origins: ['http://tiles.lan:8081'],
    })
    expect(
      loadConfig({ BASEMAP: 'https://t.example/{z}/{x}/{y}.MVT?key=k', BASEMAP_SCHEMA: 'protomaps' }).basemap,
    ).toMatchObject({ draw: { type: 'vector', schema: 'protomaps' } })
  })

  it('takes BASEMAP_TYPE=vector for a template without an extension', () => {
    const c = loadConfig({
      BASEMAP: 'https://t{s}.tianditu.gov.cn/vector?x={x}&y={y}&l={z}&tk=k',
      BASEMAP_SUBDOMAINS: '0,1',
      BASEMAP_TYPE: 'vector',
      BASEMAP_SCHEMA: 'openmaptiles',
      BASEMAP_TILE_SIZE: '512',
    })
    expect(c.basemap).toMatchObject({ tileSize: 512, draw: { type: 'vector', schema: 'openmaptiles' } })
    // and a template without an extension is raster unless told
    expect(loadConfig({ BASEMAP: 'https://t.example/tile?x={x}&y={y}&z={z}' }).basemap).toMatchObject({
      tileSize: 256,
      draw: { type: 'raster' },
    })
  })

  it('asks for BASEMAP_SCHEMA for vector XYZ tiles, whose template cannot say which layers they hold', () => {
    expect(() => loadConfig({ BASEMAP: OMT_XYZ })).toThrow(
      new ConfigError(
        'BASEMAP_SCHEMA must be openmaptiles or protomaps for vector XYZ tiles (a template does not say which source layers its tiles hold)',
      ),
    )
  })

  it.each([
    [
      { BASEMAP: OMT_XYZ, BASEMAP_TYPE: 'raster' },
      'BASEMAP_TYPE must match the tiles\' extension: raster tiles cannot end in .pbf (got "http://tiles.lan:8081/data/v3/{z}/{x}/{y}.pbf")',
    ],
    [
      { BASEMAP: 'http://tiles.lan/{z}/{x}/{y}.png', BASEMAP_TYPE: 'vector', BASEMAP_SCHEMA: 'protomaps' },
      'BASEMAP_TYPE must match the tiles\' extension: vector tiles cannot end in .png (got "http://tiles.lan/{z}/{x}/{y}.png")',
    ],
    [
      { BASEMAP: OMT_XYZ, BASEMAP_TYPE: 'satellite' },
      'BASEMAP_TYPE must be raster or vector (read from a .pmtiles archive, and from a .pbf/.mvt template) (got "satellite")',
    ],
    [
      { BASEMAP: OMT_XYZ, BASEMAP_SCHEMA: 'mapbox' },
      'BASEMAP_SCHEMA must be openmaptiles or protomaps, the source layers of vector tiles (got "mapbox")',
    ],
    [
      { BASEMAP: 'http://tiles.lan/{z}/{x}/{y}.png', BASEMAP_SCHEMA: 'openmaptiles' },
      'BASEMAP_SCHEMA is set but BASEMAP serves raster tiles: it names the source layers of vector tiles; unset it',
    ],
    [
      { BASEMAP: OMT_XYZ, BASEMAP_SCHEMA: 'openmaptiles', BASEMAP_TILE_SIZE: '256' },
      'BASEMAP_TILE_SIZE must be 512 or unset for vector tiles: MapLibre draws them at 512 pixels',
    ],
    [{ BASEMAP_TYPE: 'vector' }, 'BASEMAP_TYPE is set but BASEMAP is offline: unset it or set BASEMAP'],
    [{ BASEMAP_SCHEMA: 'protomaps' }, 'BASEMAP_SCHEMA is set but BASEMAP is offline: unset it or set BASEMAP'],
  ])('refuses %j, naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(new ConfigError(message))
  })

  it('tells an archive’s schema from the vector_layers of its metadata (plain or gzipped)', () => {
    expect(loadConfig({ BASEMAP: 'pmtiles:omt.pmtiles' }, dir).basemap).toEqual({
      kind: 'pmtiles',
      file: omt,
      draw: { type: 'vector', schema: 'openmaptiles' },
      attribution: '',
    })
    expect(loadConfig({ BASEMAP: 'pmtiles:protomaps.pmtiles', BASEMAP_TYPE: 'vector' }, dir).basemap).toEqual({
      kind: 'pmtiles',
      file: protomaps,
      draw: { type: 'vector', schema: 'protomaps' },
      attribution: '',
    })
  })

  it('takes BASEMAP_SCHEMA over the metadata, also where the metadata lists no layers', () => {
    expect(loadConfig({ BASEMAP: 'pmtiles:unlisted.pmtiles', BASEMAP_SCHEMA: 'protomaps' }, dir).basemap).toMatchObject(
      { draw: { type: 'vector', schema: 'protomaps' } },
    )
  })

  it.each([
    ['unlisted.pmtiles', 'its metadata has no vector_layers'],
    ['custom.pmtiles', 'its vector_layers are lakes, streets'],
    ['both.pmtiles', 'its vector_layers are water, transportation, roads'],
  ])('asks for BASEMAP_SCHEMA when %s cannot tell', (name, why) => {
    expect(() => loadConfig({ BASEMAP: `pmtiles:${name}` }, dir)).toThrow(
      new ConfigError(
        `BASEMAP_SCHEMA must be openmaptiles or protomaps: the schema of ${join(dir, name)} cannot be told (${why})`,
      ),
    )
  })

  it('refuses a schema none of whose layers the archive has: nothing would be drawn', () => {
    expect(() => loadConfig({ BASEMAP: 'pmtiles:custom.pmtiles', BASEMAP_SCHEMA: 'openmaptiles' }, dir)).toThrow(
      new ConfigError(
        `BASEMAP_SCHEMA is openmaptiles but ${join(dir, 'custom.pmtiles')} has none of its layers (water, landuse, landcover, park, transportation, building, boundary, waterway): its vector_layers are lakes, streets`,
      ),
    )
  })

  it('refuses a BASEMAP_TYPE the archive contradicts', () => {
    expect(() => loadConfig({ BASEMAP: 'pmtiles:omt.pmtiles', BASEMAP_TYPE: 'raster' }, dir)).toThrow(
      new ConfigError(
        `BASEMAP_TYPE is raster but ${omt} holds vector tiles: unset BASEMAP_TYPE, the archive says which`,
      ),
    )
    expect(() => loadConfig({ BASEMAP: 'pmtiles:jiaxing.pmtiles', BASEMAP_TYPE: 'vector' }, dir)).toThrow(
      new ConfigError(
        `BASEMAP_TYPE is vector but ${raster} holds raster tiles: unset BASEMAP_TYPE, the archive says which`,
      ),
    )
  })

  it('reads metadata that is not JSON as a boot error, not a crash', () => {
    const file = join(dir, 'broken.pmtiles')
    const archive = pmtilesArchive(allTiles(0, 0, solidMvt('water')), { tileType: 1, gzip: true })
    // the metadata starts right after the gzipped root directory; scramble it
    const metaOffset = Number(archive.readBigUInt64LE(24))
    archive.set(gzipSync('{not json'), metaOffset)
    writeFileSync(file, archive)
    expect(() => loadConfig({ BASEMAP: 'pmtiles:broken.pmtiles' }, dir)).toThrow(/^BASEMAP must be offline, /)
    expect(() => loadConfig({ BASEMAP: 'pmtiles:broken.pmtiles' }, dir)).toThrow('has metadata')
  })
})
