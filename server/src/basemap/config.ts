/**
 * BASEMAP (issue 7): the offline default, an XYZ raster template, or a local raster PMTiles
 * archive. Checked at boot so that a typo fails the start, not a wall hours later; the screen
 * learns the result from GET /api/v1/region (`basemapForScreen`).
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs'
import { basename, resolve } from 'node:path'
import type { Basemap } from '@gridsight/shared'

export type BasemapSetting =
  | { kind: 'offline' }
  | {
      kind: 'xyz'
      tiles: string[]
      tileSize: 256 | 512
      attribution: string
      /** the hosts the browser fetches tiles from, for the Content-Security-Policy */
      origins: string[]
    }
  | { kind: 'pmtiles'; file: string; attribution: string }

export interface BasemapInput {
  BASEMAP: string
  BASEMAP_SUBDOMAINS?: string | undefined
  BASEMAP_ATTRIBUTION?: string | undefined
  BASEMAP_TILE_SIZE: '256' | '512'
}

export class BasemapConfigError extends Error {
  override name = 'BasemapConfigError'
}

/** Where the server serves the archive; outside /api/, public like the web app's files (docs/security.md). */
export const PMTILES_PREFIX = '/basemap/'

const EXPECTED = 'offline, an http(s) XYZ tile URL with {z}, {x} and {y}, or pmtiles:<path to a local .pmtiles file>'
/** what MapLibre fills in a tile URL, plus {s} which is expanded here */
const PLACEHOLDERS = new Set(['z', 'x', 'y', 's', 'ratio', 'quadkey', 'bbox-epsg-3857'])
/** PMTiles v3 tile types a raster source can draw: png, jpeg, webp, avif */
const RASTER_TYPES = new Map([
  [2, 'png'],
  [3, 'jpeg'],
  [4, 'webp'],
  [5, 'avif'],
])
const PMTILES_HEADER_BYTES = 127
const SAFE_FILE_NAME = /^[\w.-]+\.pmtiles$/

// Tile keys (天地图's tk=…) sit in the query string: boot errors end up in shared logs.
const shown = (value: string) => JSON.stringify(value.replace(/\?.*$/, '?…'))

export function parseBasemap(input: BasemapInput, baseDir: string): BasemapSetting {
  const value = input.BASEMAP.trim()
  const attribution = input.BASEMAP_ATTRIBUTION?.trim() ?? ''
  const fail = (why: string): never => {
    throw new BasemapConfigError(`BASEMAP must be ${EXPECTED}: ${why} (got ${shown(value)})`)
  }
  if (value === 'offline') {
    if (input.BASEMAP_SUBDOMAINS !== undefined) {
      throw new BasemapConfigError('BASEMAP_SUBDOMAINS is set but BASEMAP is offline: unset it or set BASEMAP')
    }
    return { kind: 'offline' }
  }
  if (value.startsWith('pmtiles:')) return parsePmtiles(value.slice('pmtiles:'.length), baseDir, attribution, fail)
  if (!/^https?:\/\//i.test(value)) {
    return fail('it is neither offline, nor an http(s) URL, nor pmtiles:<path>')
  }
  const names = [...value.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]!)
  const unknown = names.find((n) => !PLACEHOLDERS.has(n))
  if (unknown !== undefined) fail(`{${unknown}} is not a placeholder MapLibre fills (use {z}, {x}, {y}, {s})`)
  for (const n of ['z', 'x', 'y']) {
    if (!names.includes(n)) {
      fail(`{${n}} is missing (a TileJSON or style URL is not supported: vector basemaps need a glyph server)`)
    }
  }
  const subdomains = input.BASEMAP_SUBDOMAINS?.split(',').map((s) => s.trim())
  if (subdomains?.some((s) => !/^[a-z0-9-]+$/i.test(s))) {
    throw new BasemapConfigError(
      `BASEMAP_SUBDOMAINS must be comma-separated subdomains such as 0,1,2,3 or a,b,c (got ${JSON.stringify(input.BASEMAP_SUBDOMAINS)})`,
    )
  }
  if (names.includes('s') && !subdomains) {
    throw new BasemapConfigError(
      'BASEMAP has {s}: set BASEMAP_SUBDOMAINS to the subdomains it stands for (e.g. 0,1,2,3)',
    )
  }
  if (!names.includes('s') && subdomains) {
    throw new BasemapConfigError('BASEMAP_SUBDOMAINS is set but BASEMAP has no {s} to put them in')
  }
  const tiles = subdomains ? subdomains.map((s) => value.replaceAll('{s}', s)) : [value]
  const origins: string[] = []
  for (const t of tiles) {
    let origin: string
    try {
      origin = new URL(t.replace(/\{[^}]*\}/g, '0')).origin
    } catch {
      return fail('it is not a valid URL')
    }
    if (!origins.includes(origin)) origins.push(origin)
  }
  return { kind: 'xyz', tiles, tileSize: input.BASEMAP_TILE_SIZE === '512' ? 512 : 256, attribution, origins }
}

function parsePmtiles(
  path: string,
  baseDir: string,
  attribution: string,
  fail: (why: string) => never,
): BasemapSetting {
  if (!path) fail('pmtiles: needs the path of the file after it')
  const file = resolve(baseDir, path)
  if (!SAFE_FILE_NAME.test(basename(file))) {
    fail("the file name must end in .pmtiles and hold only letters, digits, '.', '_' and '-'")
  }
  let header: Buffer
  try {
    if (!statSync(file).isFile()) fail(`${file} is not a file`)
    header = Buffer.alloc(PMTILES_HEADER_BYTES)
    const fd = openSync(file, 'r')
    try {
      if (readSync(fd, header, 0, PMTILES_HEADER_BYTES, 0) < PMTILES_HEADER_BYTES) fail(`${file} is too short`)
    } finally {
      closeSync(fd)
    }
  } catch (err) {
    if (err instanceof BasemapConfigError) throw err
    return fail(`${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`)
  }
  if (header.toString('latin1', 0, 7) !== 'PMTiles' || header[7] !== 3) fail(`${file} is not a PMTiles v3 archive`)
  const tileType = header[99]!
  if (!RASTER_TYPES.has(tileType)) {
    fail(
      tileType === 1
        ? `${file} holds vector tiles; only raster archives (png, jpeg, webp, avif) are drawn (vector ones need a glyph server)`
        : `${file} holds tiles of unknown type ${tileType}; only raster archives (png, jpeg, webp, avif) are drawn`,
    )
  }
  return { kind: 'pmtiles', file, attribution }
}

/** What the screen needs to draw it (never a server path). */
export function basemapForScreen(setting: BasemapSetting): Basemap {
  switch (setting.kind) {
    case 'offline':
      return { kind: 'offline' }
    case 'xyz':
      return { kind: 'xyz', tiles: setting.tiles, tileSize: setting.tileSize, attribution: setting.attribution }
    case 'pmtiles':
      return { kind: 'pmtiles', url: `${PMTILES_PREFIX}${basename(setting.file)}`, attribution: setting.attribution }
  }
}
