/**
 * Region packs: read access for the server (and the import CLI). Files live in regions/<adcode>/;
 * the format is documented in geo-data/README.md and typed in ./pack.ts.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { CameraRow, LayerName, MemberRow, RegionMeta, UnitCollection, UnitFeature, UnitLevel } from './pack.ts'

export * from './pack.ts'
export * from './validate.ts'
export * from './import.ts'
export { cleanRing, nodeRings } from './clean.ts'
export * from './city.ts'

/** The readers below take an optional pack directory (default: the bundled pack; see resolveRegionDir). */

/** Loose feature type kept for the context layer (neighbouring districts: code may be null). */
export interface RegionFeature {
  type: 'Feature'
  properties: {
    code: string | null
    name: string
    level?: string
    parent?: string | null
    urban?: boolean
    areaKm2?: number
  }
  geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: number[][][] | number[][][][] }
}

export interface RegionFeatureCollection {
  type: 'FeatureCollection'
  features: RegionFeature[]
}

const LAYER_FILES: Record<LayerName, string> = {
  district: 'district.geojson',
  street: 'streets.geojson',
  community: 'communities.geojson',
  grid: 'grids.geojson',
  context: 'context.geojson',
}

export function regionDir(adcode: string): string {
  if (!/^\d{6}$/.test(adcode)) throw new Error(`region adcode must be 6 digits, got "${adcode}"`)
  return fileURLToPath(new URL(`../regions/${adcode}/`, import.meta.url))
}

/** Is there a bundled pack for this adcode? */
export function hasRegion(adcode: string): boolean {
  return /^\d{6}$/.test(adcode) && existsSync(`${regionDir(adcode)}region.json`)
}

/**
 * Where the pack for `adcode` lives: `${dataDir}/regions/<adcode>/` when it holds a pack (an
 * imported one, see `pnpm gridsight import`), else the bundled `geo-data/regions/<adcode>/`.
 * A relative `dataDir` is resolved against the current directory. Ends with a slash, like regionDir.
 */
export function resolveRegionDir(adcode: string, dataDir: string): string {
  const bundled = regionDir(adcode) // validates the adcode
  const own = join(resolve(dataDir), 'regions', adcode)
  return existsSync(join(own, 'region.json')) ? `${own}/` : bundled
}

/** One layer as GeoJSON. `context` features may have a null code; the other layers are typed by readUnits. */
export function readRegionLayer(adcode: string, layer: LayerName, dir = regionDir(adcode)): RegionFeatureCollection {
  return JSON.parse(readFileSync(join(dir, LAYER_FILES[layer]), 'utf8')) as RegionFeatureCollection
}

/** The units of one admin level (district | street | community | grid), fully typed. */
export function readUnits(adcode: string, level: UnitLevel, dir = regionDir(adcode)): UnitCollection {
  return JSON.parse(readFileSync(join(dir, LAYER_FILES[level]), 'utf8')) as UnitCollection
}

/** All units of all levels, district first then streets, communities, grids. */
export function readAllUnits(adcode: string, dir = regionDir(adcode)): UnitFeature[] {
  return (['district', 'street', 'community', 'grid'] as const).flatMap((l) => readUnits(adcode, l, dir).features)
}

export function readRegionMeta(adcode: string, dir = regionDir(adcode)): RegionMeta {
  return JSON.parse(readFileSync(join(dir, 'region.json'), 'utf8')) as RegionMeta
}

export interface Camera {
  id: string
  lon: number
  lat: number
  /** grid code */
  grid: string
  kind: 'public' | 'social'
}

/** Demo cameras (cameras.json stores rows; this expands them to objects). */
export function readCameras(adcode: string, dir = regionDir(adcode)): Camera[] {
  const { rows } = JSON.parse(readFileSync(join(dir, 'cameras.json'), 'utf8')) as { rows: CameraRow[] }
  return rows.map(([id, lon, lat, grid, kind]) => ({ id, lon, lat, grid, kind }))
}

export interface Member {
  id: string
  name: string
  role: MemberRow[2]
  /** grid code */
  grid: string
}

/** Demo grid members (members.json stores rows; this expands them to objects). */
export function readMembers(adcode: string, dir = regionDir(adcode)): Member[] {
  const { rows } = JSON.parse(readFileSync(join(dir, 'members.json'), 'utf8')) as { rows: MemberRow[] }
  return rows.map(([id, name, role, grid]) => ({ id, name, role, grid }))
}
