/**
 * Chinese coordinate reference systems, pure code (no Node, no DOM).
 *
 * - WGS-84 (EPSG:4326): GPS, OpenStreetMap, our region packs.
 * - CGCS2000 (EPSG:4490): China's official geodetic datum, used by 天地图 and most government GIS
 *   deliveries. Its ellipsoid differs from WGS-84 only in the flattening (1/298.257222101 vs
 *   1/298.257223563) and its frame is ITRF97 at epoch 2000.0; the two agree to a few centimetres
 *   (well under a metre even with plate motion since 2000), far below the precision of any
 *   governance-grid boundary or of our 6-decimal coordinates (~0.1 m). So CGCS2000 is treated as
 *   WGS-84: no transformation.
 * - GCJ-02 (国测局坐标, "Mars coordinates"): the legally mandated obfuscation of WGS-84 used by
 *   AMap/高德, Tencent and most Chinese web maps and data sets (DataV, many ECharts maps). It is a
 *   non-linear offset of a few hundred metres inside mainland China; outside China it equals WGS-84.
 * - BD-09: Baidu's further offset of GCJ-02 (≈ 1 km from WGS-84).
 *
 * The formulas are the well-known public ones (the same as the `gcoord` package, which the tests
 * use as an oracle). We do not depend on `gcoord` at runtime because (1) its published types do
 * not resolve under `moduleResolution: NodeNext` (CJS `main` with a default-export .d.ts), (2) its
 * "in China" test is one coarse bbox that also shifts Korea, southern Japan, Taiwan and northern
 * Vietnam, and (3) it mutates GeoJSON input in place. See geo-data/README.md.
 */

export type Crs = 'wgs84' | 'cgcs2000' | 'gcj02' | 'bd09'
export const CRS_NAMES: readonly Crs[] = ['wgs84', 'cgcs2000', 'gcj02', 'bd09']

export type LonLat = readonly [number, number]

const { sin, cos, sqrt, abs, atan2, PI } = Math

// Krasovsky 1940 ellipsoid, as used by the GCJ-02 algorithm.
const A = 6378245
const EE = 0.006693421622965943
const BD_FACTOR = (PI * 3000) / 180

/**
 * Is (lon, lat) inside mainland China, where GCJ-02 applies? A union of rectangles minus
 * exclusions (a coarse outline, the one widely used by Chinese map SDK ports): rectangles that
 * follow the borders instead of one big bbox, with Taiwan, northern Vietnam, Mongolia's east and
 * the Russian Far East excluded. Hong Kong and Macao are inside (AMap shifts them too).
 */
const CHINA_IN: readonly (readonly [number, number, number, number])[] = [
  // [west, north, east, south]
  [79.4462, 49.2204, 96.33, 42.8899],
  [109.6872, 54.1415, 135.0002, 39.3742],
  [73.1246, 42.8899, 124.143255, 29.5297],
  [82.9684, 29.5297, 97.0352, 26.7186],
  [97.0253, 29.5297, 124.367395, 20.4142],
  [107.975793, 20.4142, 111.744104, 17.871542],
]
const CHINA_OUT: readonly (readonly [number, number, number, number])[] = [
  [119.921265, 25.398623, 122.497559, 21.785006], // Taiwan
  [101.8652, 22.284, 106.6651, 20.0985], // northern Laos / Vietnam
  [106.4526, 21.5422, 108.051, 20.4878], // Vietnam coast
  [109.0323, 55.8175, 119.127, 50.3257], // Mongolia / Russia
  [127.4568, 55.8175, 137.0227, 49.5574], // Russian Far East
  [131.2662, 44.8922, 137.0227, 42.5692], // Primorsky
]
const inRect = (lon: number, lat: number, r: readonly [number, number, number, number]): boolean =>
  lon >= r[0] && lon <= r[2] && lat >= r[3] && lat <= r[1]

export function isInChina(lon: number, lat: number): boolean {
  return CHINA_IN.some((r) => inRect(lon, lat, r)) && !CHINA_OUT.some((r) => inRect(lon, lat, r))
}

function transformLat(x: number, y: number): number {
  let ret = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sqrt(abs(x))
  ret += ((20 * sin(6 * x * PI) + 20 * sin(2 * x * PI)) * 2) / 3
  ret += ((20 * sin(y * PI) + 40 * sin((y / 3) * PI)) * 2) / 3
  ret += ((160 * sin((y / 12) * PI) + 320 * sin((y * PI) / 30)) * 2) / 3
  return ret
}

function transformLon(x: number, y: number): number {
  let ret = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sqrt(abs(x))
  ret += ((20 * sin(6 * x * PI) + 20 * sin(2 * x * PI)) * 2) / 3
  ret += ((20 * sin(x * PI) + 40 * sin((x / 3) * PI)) * 2) / 3
  ret += ((150 * sin((x / 12) * PI) + 300 * sin((x / 30) * PI)) * 2) / 3
  return ret
}

/** GCJ-02 offset (degrees) at a WGS-84 position inside China. */
function gcjDelta(lon: number, lat: number): [number, number] {
  let dLon = transformLon(lon - 105, lat - 35)
  let dLat = transformLat(lon - 105, lat - 35)
  const radLat = (lat / 180) * PI
  let magic = sin(radLat)
  magic = 1 - EE * magic * magic
  const sqrtMagic = sqrt(magic)
  dLon = (dLon * 180) / ((A / sqrtMagic) * cos(radLat) * PI)
  dLat = (dLat * 180) / (((A * (1 - EE)) / (magic * sqrtMagic)) * PI)
  return [dLon, dLat]
}

export function wgs84ToGcj02(lon: number, lat: number): [number, number] {
  if (!isInChina(lon, lat)) return [lon, lat]
  const [dLon, dLat] = gcjDelta(lon, lat)
  return [lon + dLon, lat + dLat]
}

/** Inverse of {@link wgs84ToGcj02} by fixed-point iteration (converges to < 1e-9° in a few steps). */
export function gcj02ToWgs84(lon: number, lat: number): [number, number] {
  if (!isInChina(lon, lat)) return [lon, lat]
  let wLon = lon
  let wLat = lat
  for (let i = 0; i < 30; i++) {
    const [gLon, gLat] = wgs84ToGcj02(wLon, wLat)
    const dx = gLon - lon
    const dy = gLat - lat
    wLon -= dx
    wLat -= dy
    if (abs(dx) < 1e-10 && abs(dy) < 1e-10) break
  }
  return [wLon, wLat]
}

export function gcj02ToBd09(lon: number, lat: number): [number, number] {
  const z = sqrt(lon * lon + lat * lat) + 0.00002 * sin(lat * BD_FACTOR)
  const theta = atan2(lat, lon) + 0.000003 * cos(lon * BD_FACTOR)
  return [z * cos(theta) + 0.0065, z * sin(theta) + 0.006]
}

/** Baidu's published closed-form inverse (error up to ~10 cm), refined by fixed-point iteration. */
export function bd09ToGcj02(lon: number, lat: number): [number, number] {
  const x = lon - 0.0065
  const y = lat - 0.006
  const z = sqrt(x * x + y * y) - 0.00002 * sin(y * BD_FACTOR)
  const theta = atan2(y, x) - 0.000003 * cos(x * BD_FACTOR)
  let gLon = z * cos(theta)
  let gLat = z * sin(theta)
  for (let i = 0; i < 10; i++) {
    const [bLon, bLat] = gcj02ToBd09(gLon, gLat)
    const dx = bLon - lon
    const dy = bLat - lat
    gLon -= dx
    gLat -= dy
    if (abs(dx) < 1e-10 && abs(dy) < 1e-10) break
  }
  return [gLon, gLat]
}

export const wgs84ToBd09 = (lon: number, lat: number): [number, number] => gcj02ToBd09(...wgs84ToGcj02(lon, lat))
export const bd09ToWgs84 = (lon: number, lat: number): [number, number] => gcj02ToWgs84(...bd09ToGcj02(lon, lat))

/** Parses a CRS name as users write it (`WGS84`, `wgs-84`, `EPSG:4326`, `GCJ-02`, `bd09ll`, `EPSG:4490`…). */
export function parseCrs(name: string): Crs | null {
  const n = name
    .trim()
    .toLowerCase()
    .replace(/[-_\s]/g, '')
  if (n === 'wgs84' || n === 'epsg:4326' || n === '4326' || n === 'crs84') return 'wgs84'
  if (n === 'cgcs2000' || n === 'epsg:4490' || n === '4490') return 'cgcs2000'
  if (n === 'gcj02' || n === 'gcj' || n === 'mars') return 'gcj02'
  if (n === 'bd09' || n === 'bd09ll' || n === 'baidu') return 'bd09'
  return null
}

const toWgs: Record<Crs, (lon: number, lat: number) => [number, number]> = {
  wgs84: (lon, lat) => [lon, lat],
  cgcs2000: (lon, lat) => [lon, lat],
  gcj02: gcj02ToWgs84,
  bd09: bd09ToWgs84,
}
const fromWgs: Record<Crs, (lon: number, lat: number) => [number, number]> = {
  wgs84: (lon, lat) => [lon, lat],
  cgcs2000: (lon, lat) => [lon, lat],
  gcj02: wgs84ToGcj02,
  bd09: wgs84ToBd09,
}

/** Converts one position between any two supported CRSs (via WGS-84). */
export function convertPosition(lon: number, lat: number, from: Crs, to: Crs): [number, number] {
  if (from === to || (isWgsLike(from) && isWgsLike(to))) return [lon, lat]
  return fromWgs[to](...toWgs[from](lon, lat))
}

const isWgsLike = (c: Crs): boolean => c === 'wgs84' || c === 'cgcs2000'

/**
 * Returns a converted deep copy of any nesting of coordinate arrays (a Polygon's or MultiPolygon's
 * `coordinates`, a ring, a position). Extra ordinates (z) are kept. Never mutates its input.
 */
export function convertCoordinates<T>(coords: T, from: Crs, to: Crs): T {
  const visit = (c: unknown): unknown => {
    if (!Array.isArray(c)) return c
    if (typeof c[0] === 'number' && typeof c[1] === 'number') {
      const [x, y] = convertPosition(c[0], c[1], from, to)
      return c.length > 2 ? [x, y, ...c.slice(2)] : [x, y]
    }
    return c.map(visit)
  }
  return visit(coords) as T
}
