import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

export interface RegionFeature {
  type: 'Feature'
  properties: { code: string | null; name: string; level?: string; parent?: string | null }
  geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: number[][][] | number[][][][] }
}

export interface RegionFeatureCollection {
  type: 'FeatureCollection'
  features: RegionFeature[]
}

export function regionDir(adcode: string): string {
  if (!/^\d{6}$/.test(adcode)) throw new Error(`region adcode must be 6 digits, got "${adcode}"`)
  return fileURLToPath(new URL(`../regions/${adcode}/`, import.meta.url))
}

export function readRegionLayer(adcode: string, layer: 'district' | 'context'): RegionFeatureCollection {
  return JSON.parse(readFileSync(`${regionDir(adcode)}${layer}.geojson`, 'utf8')) as RegionFeatureCollection
}
