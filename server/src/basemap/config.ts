/**
 * BASEMAP (issue 7): the offline default, an XYZ template of raster or vector tiles, or a local
 * PMTiles archive of either. Checked at boot so that a typo fails the start, not a wall hours
 * later; the screen learns the result from GET /api/v1/region (`basemapForScreen`).
 */
import { statSync } from 'node:fs'
import { basename, resolve } from 'node:path'
import { VECTOR_SCHEMA_LAYERS, type Basemap, type BasemapDraw, type VectorSchema } from '@gridsight/shared'
import { readHeader, readVectorLayers, withArchive, type PmtilesHeader } from './pmtiles-archive.ts'

export type BasemapSetting =
  | { kind: 'offline' }
  | {
      kind: 'xyz'
      tiles: string[]
      tileSize: 256 | 512
      draw: BasemapDraw
      attribution: string
      /** the hosts the browser fetches tiles from, for the Content-Security-Policy */
      origins: string[]
    }
  | { kind: 'pmtiles'; file: string; draw: BasemapDraw; attribution: string }

export interface BasemapInput {
  BASEMAP: string
  BASEMAP_SUBDOMAINS?: string | undefined
  BASEMAP_ATTRIBUTION?: string | undefined
  BASEMAP_TILE_SIZE?: '256' | '512' | undefined
  BASEMAP_TYPE?: 'raster' | 'vector' | undefined
  BASEMAP_SCHEMA?: VectorSchema | undefined
  BASEMAP_DIM?: number | undefined
}

export class BasemapConfigError extends Error {
  override name = 'BasemapConfigError'
}

/** Where the server serves the archive; outside /api/, public like the web app's files (docs/security.md). */
export const PMTILES_PREFIX = '/basemap/'

/**
 * Raster tiles are made for daylight (天地图, OSM): at full brightness they outshine the region's
 * own fills on a dark wall, so they are dimmed unless BASEMAP_DIM says otherwise.
 */
export const DEFAULT_DIM = 0.7

const EXPECTED = 'offline, an http(s) XYZ tile URL with {z}, {x} and {y}, or pmtiles:<path to a local .pmtiles file>'
/** what MapLibre fills in a tile URL, plus {s} which is expanded here */
const PLACEHOLDERS = new Set(['z', 'x', 'y', 's', 'ratio', 'quadkey', 'bbox-epsg-3857'])
/** PMTiles v3 tile types a raster source can draw: png, jpeg, webp, avif (1 is mvt) */
const RASTER_TYPES = new Map([
  [2, 'png'],
  [3, 'jpeg'],
  [4, 'webp'],
  [5, 'avif'],
])
const MVT = 1
const SAFE_FILE_NAME = /^[\w.-]+\.pmtiles$/
const VECTOR_EXTENSION = /\.(pbf|mvt)$/i
const RASTER_EXTENSION = /\.(png|jpe?g|webp|avif)$/i
/**
 * Source layers only one of the two schemas has (water and landuse are in both), to tell an
 * archive's schema from its metadata.
 */
const ONLY_IN: Readonly<Record<VectorSchema, readonly string[]>> = {
  openmaptiles: ['transportation', 'landcover', 'waterway', 'building', 'boundary', 'park', 'transportation_name'],
  protomaps: ['earth', 'roads', 'buildings', 'boundaries', 'natural', 'pois', 'places'],
}

// Tile keys (天地图's tk=…) sit in the query string: boot errors end up in shared logs.
const shown = (value: string) => JSON.stringify(value.replace(/\?.*$/, '?…'))

export function parseBasemap(input: BasemapInput, baseDir: string): BasemapSetting {
  const value = input.BASEMAP.trim()
  const attribution = input.BASEMAP_ATTRIBUTION?.trim() ?? ''
  const fail = (why: string): never => {
    throw new BasemapConfigError(`BASEMAP must be ${EXPECTED}: ${why} (got ${shown(value)})`)
  }
  if (value === 'offline') {
    for (const name of ['BASEMAP_SUBDOMAINS', 'BASEMAP_TYPE', 'BASEMAP_SCHEMA', 'BASEMAP_DIM'] as const) {
      if (input[name] !== undefined) {
        throw new BasemapConfigError(`${name} is set but BASEMAP is offline: unset it or set BASEMAP`)
      }
    }
    return { kind: 'offline' }
  }
  if (value.startsWith('pmtiles:')) return parsePmtiles(value.slice('pmtiles:'.length), baseDir, input, fail)
  if (!/^https?:\/\//i.test(value)) {
    return fail('it is neither offline, nor an http(s) URL, nor pmtiles:<path>')
  }
  const names = [...value.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]!)
  const unknown = names.find((n) => !PLACEHOLDERS.has(n))
  if (unknown !== undefined) fail(`{${unknown}} is not a placeholder MapLibre fills (use {z}, {x}, {y}, {s})`)
  for (const n of ['z', 'x', 'y']) {
    if (!names.includes(n)) {
      fail(
        `{${n}} is missing (a TileJSON or style URL is not supported: it would bring its own labels, which need a glyph server)`,
      )
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
  const path = value.replace(/\?.*$/, '')
  const type = input.BASEMAP_TYPE ?? (VECTOR_EXTENSION.test(path) ? 'vector' : 'raster')
  const contradicts = type === 'raster' ? VECTOR_EXTENSION : RASTER_EXTENSION
  if (contradicts.test(path)) {
    throw new BasemapConfigError(
      `BASEMAP_TYPE must match the tiles' extension: ${type} tiles cannot end in ${path.match(contradicts)![0]} (got ${shown(value)})`,
    )
  }
  const draw = drawOf(type, input, () => {
    throw new BasemapConfigError(
      'BASEMAP_SCHEMA must be openmaptiles or protomaps for vector XYZ tiles (a template does not say which source layers its tiles hold)',
    )
  })
  if (type === 'vector' && input.BASEMAP_TILE_SIZE === '256') {
    throw new BasemapConfigError(
      'BASEMAP_TILE_SIZE must be 512 or unset for vector tiles: MapLibre draws them at 512 pixels',
    )
  }
  // raster services mostly serve 256-pixel images
  const tileSize = type === 'vector' || input.BASEMAP_TILE_SIZE === '512' ? 512 : 256
  return { kind: 'xyz', tiles, tileSize, draw, attribution, origins }
}

function drawOf(type: 'raster' | 'vector', input: BasemapInput, detectSchema: () => VectorSchema): BasemapDraw {
  if (type === 'raster') {
    if (input.BASEMAP_SCHEMA !== undefined) {
      throw new BasemapConfigError(
        'BASEMAP_SCHEMA is set but BASEMAP serves raster tiles: it names the source layers of vector tiles; unset it',
      )
    }
    return { type: 'raster', dim: input.BASEMAP_DIM ?? DEFAULT_DIM }
  }
  if (input.BASEMAP_DIM !== undefined) {
    throw new BasemapConfigError(
      'BASEMAP_DIM is set but BASEMAP serves vector tiles, which are drawn in the built-in dark style: unset it',
    )
  }
  return { type: 'vector', schema: input.BASEMAP_SCHEMA ?? detectSchema() }
}

/** The schema whose own source layers the archive has, and none of the other's. */
function schemaOf(layers: readonly string[]): VectorSchema | undefined {
  const matches = (Object.keys(ONLY_IN) as VectorSchema[]).filter((s) => ONLY_IN[s].some((l) => layers.includes(l)))
  return matches.length === 1 ? matches[0] : undefined
}

function parsePmtiles(
  path: string,
  baseDir: string,
  input: BasemapInput,
  fail: (why: string) => never,
): BasemapSetting {
  if (!path) fail('pmtiles: needs the path of the file after it')
  const file = resolve(baseDir, path)
  if (!SAFE_FILE_NAME.test(basename(file))) {
    fail("the file name must end in .pmtiles and hold only letters, digits, '.', '_' and '-'")
  }
  const read = <T>(what: (fd: number) => T): T => {
    try {
      return withArchive(file, what)
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      return fail(`${file} ${code ? `cannot be read (${code})` : (err as Error).message}`)
    }
  }
  try {
    if (!statSync(file).isFile()) fail(`${file} is not a file`)
  } catch (err) {
    if (err instanceof BasemapConfigError) throw err
    fail(`${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`)
  }
  const header: PmtilesHeader = read(readHeader)
  const { tileType } = header
  if (tileType !== MVT && !RASTER_TYPES.has(tileType)) {
    fail(`${file} holds tiles of unknown type ${tileType}; raster (png, jpeg, webp, avif) or vector (mvt) are drawn`)
  }
  const type = tileType === MVT ? 'vector' : 'raster'
  if (input.BASEMAP_TYPE !== undefined && input.BASEMAP_TYPE !== type) {
    throw new BasemapConfigError(
      `BASEMAP_TYPE is ${input.BASEMAP_TYPE} but ${file} holds ${type} tiles: unset BASEMAP_TYPE, the archive says which`,
    )
  }
  const attribution = input.BASEMAP_ATTRIBUTION?.trim() ?? ''
  if (type === 'raster') return { kind: 'pmtiles', file, draw: drawOf(type, input, () => 'openmaptiles'), attribution }
  const layers = read((fd) => readVectorLayers(fd, header))
  const listed = layers ? `its vector_layers are ${layers.join(', ') || 'empty'}` : 'its metadata has no vector_layers'
  const draw = drawOf(type, input, () => {
    const schema = layers && schemaOf(layers)
    if (!schema) {
      throw new BasemapConfigError(
        `BASEMAP_SCHEMA must be openmaptiles or protomaps: the schema of ${file} cannot be told (${listed})`,
      )
    }
    return schema
  })
  if (draw.type === 'vector' && layers && !VECTOR_SCHEMA_LAYERS[draw.schema].some((l) => layers.includes(l))) {
    throw new BasemapConfigError(
      `BASEMAP_SCHEMA is ${draw.schema} but ${file} has none of its layers (${VECTOR_SCHEMA_LAYERS[draw.schema].join(', ')}): ${listed}`,
    )
  }
  return { kind: 'pmtiles', file, draw, attribution }
}

/** What the screen needs to draw it (never a server path). */
export function basemapForScreen(setting: BasemapSetting): Basemap {
  switch (setting.kind) {
    case 'offline':
      return { kind: 'offline' }
    case 'xyz':
      return {
        kind: 'xyz',
        tiles: setting.tiles,
        tileSize: setting.tileSize,
        draw: setting.draw,
        attribution: setting.attribution,
      }
    case 'pmtiles':
      return {
        kind: 'pmtiles',
        url: `${PMTILES_PREFIX}${basename(setting.file)}`,
        draw: setting.draw,
        attribution: setting.attribution,
      }
  }
}
