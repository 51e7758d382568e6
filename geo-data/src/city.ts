/**
 * A generated city region pack (adcode 990100, 演示市（生成）): the `SIM_SCALE=city` load profile
 * — 10,000 grids, 100,000 cameras, 20,000 members — as an ordinary region pack. Everything in it
 * is GENERATED: no real boundary, name or code (99 is not a province).
 *
 * Geometry: a square lattice of `side × side` grids, denser in the centre (cells ~330 m across)
 * than at the edge (~900 m), every corner jittered and every edge bent at a jittered midpoint
 * (8 vertices per grid). Communities are 5 × 5 blocks of grids and streets blocks of communities;
 * every unit's ring is walked along the same shared lattice vertices, so neighbours share their
 * edges exactly and each level tiles its parent with no gap or overlap (validateUnits passes).
 * Communities within a wobbly radius of the centre are urban (社区), the rest rural (村); a 镇 gets
 * one urban 社区 (its 镇区) at its centre. Cameras follow the density standards (urban 70/km²,
 * rural 8/km²), above them in the core, a few grids below; about a third are social.
 *
 * `generateCity` is pure and deterministic (seeded); `writeRegionPack` writes the files.
 */
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { geometryAreaKm2, PointIndex } from '@gridsight/shared'
import { CAMERA_FIELDS, MEMBER_FIELDS, PACK_FORMAT } from './pack.ts'
import type { CameraRow, MemberRole, MemberRow, RegionMeta, UnitFeature } from './pack.ts'
import { createRng } from './prng.ts'

export const CITY_ADCODE = '990100'
export const CITY_SEED = 990100

export interface CityOptions {
  adcode?: string
  seed?: number
  /** grids per side of the lattice (default 100: 10,000 grids); a multiple of `communityBlock` */
  side?: number
  /** grids per side of a community (default 5: 25 grids per community) */
  communityBlock?: number
  /** streets across and down (default [5, 4]: 20 streets); each must divide side / communityBlock */
  streets?: [number, number]
  /** default 10 per grid (100,000) */
  cameras?: number
  /** default 2 per grid (20,000): one full-time per grid, one police per community, 8 % auxiliaries, the rest part-time */
  members?: number
  /** centre [lon, lat] (default [118.2, 31.9]: any place would do, the city is fictional) */
  centre?: [number, number]
}

export interface CityPack {
  meta: RegionMeta
  district: UnitFeature[]
  streets: UnitFeature[]
  communities: UnitFeature[]
  grids: UnitFeature[]
  cameras: CameraRow[]
  members: MemberRow[]
}

type Pt = [number, number]

const URBAN_STANDARD = 70
const RURAL_STANDARD = 8
/** centre and edge cell size, metres */
const STEP_CENTRE = 330
const STEP_EDGE = 900

const r6 = (v: number) => Math.round(v * 1e6) / 1e6

const NAME_A = '东西南北新长青文和安兴宁华明丰乐永清河湖山桥塘园港城湾林泉石溪阳平福德嘉云金春秋'.split('')
const NAME_B = '湖桥塘园港城湾林泉溪阳兴安宁丰乐华苑坊里浦口岭岗庄坝堰渡亭营'.split('')
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾'.split('')
const GIVEN = '建国伟芳敏丽强军磊洁静霞明华平红英杰勇涛斌琳燕婷倩辉晨浩宇欣怡佳俊雪峰亮秀兰海波'.split('')

/** Generates the city pack in memory (about a second for 10,000 grids). */
export function generateCity(options: CityOptions = {}): CityPack {
  const adcode = options.adcode ?? CITY_ADCODE
  const seed = options.seed ?? CITY_SEED
  const n = options.side ?? 100
  const cb = options.communityBlock ?? 5
  const [sc, sr] = options.streets ?? [5, 4]
  const nc = n / cb
  if (!Number.isInteger(nc) || nc % sc !== 0 || nc % sr !== 0)
    throw new Error(`side ${n} / community block ${cb} = ${nc} must be divisible by the street layout ${sc}×${sr}`)
  const gridTotal = n * n
  const cameraTotal = options.cameras ?? gridTotal * 10
  const memberTotal = options.members ?? gridTotal * 2
  const [lon0, lat0] = options.centre ?? [118.2, 31.9]
  const rng = createRng(seed)
  const mPerDegLat = 110_574 + 1_110 * Math.sin((lat0 * Math.PI) / 180) ** 2
  const mPerDegLon = 111_320 * Math.cos((lat0 * Math.PI) / 180)

  // --- lattice: column/row edges in metres from the centre, cells growing towards the edge
  const steps = Array.from({ length: n }, (_, i) => {
    const u = (i + 0.5 - n / 2) / (n / 2)
    return STEP_CENTRE + (STEP_EDGE - STEP_CENTRE) * u * u
  })
  const edges = [0]
  for (const s of steps) edges.push(edges.at(-1)! + s)
  const half = edges[n]! / 2
  const lines = edges.map((e) => e - half)
  const localStep = (i: number) => Math.min(steps[Math.max(0, i - 1)]!, steps[Math.min(n - 1, i)]!)
  const toLonLat = (x: number, y: number): Pt => [r6(lon0 + x / mPerDegLon), r6(lat0 + y / mPerDegLat)]

  const grng = rng.fork('geometry')
  const jit = (s: number) => (grng.next() - 0.5) * s * 0.4
  const cornerXY = new Float64Array((n + 1) * (n + 1) * 2)
  const corner: Pt[] = []
  for (let i = 0; i <= n; i++)
    for (let j = 0; j <= n; j++) {
      const x = lines[i]! + jit(localStep(i))
      const y = lines[j]! + jit(localStep(j))
      const k = i * (n + 1) + j
      cornerXY[2 * k] = x
      cornerXY[2 * k + 1] = y
      corner[k] = toLonLat(x, y)
    }
  const cxy = (i: number, j: number): Pt => {
    const k = i * (n + 1) + j
    return [cornerXY[2 * k]!, cornerXY[2 * k + 1]!]
  }
  // edge midpoints, moved along the edge's normal by up to 10 % of its length
  const mid = (a: Pt, b: Pt): Pt => {
    const d = (grng.next() - 0.5) * 0.2
    return toLonLat((a[0] + b[0]) / 2 - (b[1] - a[1]) * d, (a[1] + b[1]) / 2 + (b[0] - a[0]) * d)
  }
  const hMid: Pt[] = [] // edge (i, j)–(i+1, j), index i * (n + 1) + j
  const vMid: Pt[] = [] // edge (i, j)–(i, j+1), index i * n + j
  for (let i = 0; i < n; i++) for (let j = 0; j <= n; j++) hMid[i * (n + 1) + j] = mid(cxy(i, j), cxy(i + 1, j))
  for (let i = 0; i <= n; i++) for (let j = 0; j < n; j++) vMid[i * n + j] = mid(cxy(i, j), cxy(i, j + 1))
  const C = (i: number, j: number) => corner[i * (n + 1) + j]!
  /** The counter-clockwise ring around lattice cells [i0, i1) × [j0, j1), along the shared vertices. */
  const blockRing = (i0: number, j0: number, i1: number, j1: number): Pt[] => {
    const ring: Pt[] = []
    for (let i = i0; i < i1; i++) ring.push(C(i, j0), hMid[i * (n + 1) + j0]!)
    for (let j = j0; j < j1; j++) ring.push(C(i1, j), vMid[i1 * n + j]!)
    for (let i = i1; i > i0; i--) ring.push(C(i, j1), hMid[(i - 1) * (n + 1) + j1]!)
    for (let j = j1; j > j0; j--) ring.push(C(i0, j), vMid[i0 * n + j - 1]!)
    ring.push(ring[0]!)
    return ring
  }
  const unit = (
    code: string,
    name: string,
    level: UnitFeature['properties']['level'],
    parent: string | null,
    urban: boolean,
    ring: Pt[],
  ): UnitFeature => {
    const geometry: UnitFeature['geometry'] = { type: 'Polygon', coordinates: [ring] }
    return {
      type: 'Feature',
      properties: { code, name, level, parent, urban, areaKm2: r6(geometryAreaKm2(geometry)) },
      geometry,
    }
  }

  // --- urban or rural, per community: inside a wobbly radius around the centre
  const nrng = rng.fork('names')
  const usedNames = new Set<string>()
  const placeName = (): string => {
    for (;;) {
      const a = nrng.pick(NAME_A)
      const b = nrng.pick(NAME_B)
      const s = a + b
      if (a !== b && !usedNames.has(s)) {
        usedNames.add(s)
        return s
      }
    }
  }
  const phase = rng.next() * 2 * Math.PI
  const commCentre = (ci: number, cj: number) => {
    const [x0, y0] = cxy(ci * cb, cj * cb)
    const [x1, y1] = cxy((ci + 1) * cb, (cj + 1) * cb)
    return [(x0 + x1) / 2 / half, (y0 + y1) / 2 / half] as const
  }
  const radius = (x: number, y: number) => Math.hypot(x, y) / (0.62 + 0.1 * Math.sin(3 * Math.atan2(y, x) + phase))
  const commUrban: boolean[] = [] // by ci * nc + cj
  for (let ci = 0; ci < nc; ci++)
    for (let cj = 0; cj < nc; cj++) commUrban[ci * nc + cj] = radius(...commCentre(ci, cj)) < 1
  const csw = nc / sc // communities across a street
  const csh = nc / sr
  const streetIsUrban: boolean[] = []
  for (let si = 0; si < sc; si++)
    for (let sj = 0; sj < sr; sj++) {
      let urban = 0
      for (let a = 0; a < csw; a++)
        for (let b = 0; b < csh; b++) urban += commUrban[(si * csw + a) * nc + sj * csh + b]! ? 1 : 0
      const isUrban = urban * 2 >= csw * csh
      streetIsUrban[si * sr + sj] = isUrban
      // a town's seat (镇区): its central community is a 社区
      if (!isUrban) commUrban[(si * csw + Math.floor(csw / 2)) * nc + sj * csh + Math.floor(csh / 2)] = true
    }

  // --- the hierarchy, streets ordered from the centre out (街道 first, then 镇)
  const district = [unit(adcode, '演示区（生成）', 'district', null, true, blockRing(0, 0, n, n))]
  const streetOrder = Array.from({ length: sc * sr }, (_, k) => k).sort((a, b) => {
    const ua = streetIsUrban[a]! ? 0 : 1
    const ub = streetIsUrban[b]! ? 0 : 1
    return ua - ub || a - b
  })
  const streets: UnitFeature[] = []
  const communities: UnitFeature[] = []
  const grids: UnitFeature[] = []
  /** per grid: radius from the centre (relative to the urban radius) */
  const gridRadius: number[] = []
  let jiedao = 0
  let zhen = 0
  for (const k of streetOrder) {
    const si = Math.floor(k / sr)
    const sj = k % sr
    const urbanStreet = streetIsUrban[k]!
    const code = `${adcode}${String(urbanStreet ? ++jiedao : 100 + ++zhen).padStart(3, '0')}`
    const i0 = si * csw * cb
    const j0 = sj * csh * cb
    streets.push(
      unit(
        code,
        `${placeName()}${urbanStreet ? '街道' : '镇'}`,
        'street',
        adcode,
        urbanStreet,
        blockRing(i0, j0, i0 + csw * cb, j0 + csh * cb),
      ),
    )
    let shequ = 0
    let cun = 0
    for (let b = csh - 1; b >= 0; b--)
      for (let a = 0; a < csw; a++) {
        const ci = si * csw + a
        const cj = sj * csh + b
        const urban = commUrban[ci * nc + cj]!
        const ccode = `${code}${String(urban ? ++shequ : 200 + ++cun).padStart(3, '0')}`
        const cname = `${placeName()}${urban ? '社区' : '村'}`
        communities.push(
          unit(ccode, cname, 'community', code, urban, blockRing(ci * cb, cj * cb, (ci + 1) * cb, (cj + 1) * cb)),
        )
        let g = 0
        for (let gj = cb - 1; gj >= 0; gj--)
          for (let gi = 0; gi < cb; gi++) {
            const i = ci * cb + gi
            const j = cj * cb + gj
            const gcode = `${ccode}${String(++g).padStart(3, '0')}`
            grids.push(unit(gcode, `${cname}第${g}网格`, 'grid', ccode, urban, blockRing(i, j, i + 1, j + 1)))
            const [x0, y0] = cxy(i, j)
            gridRadius.push(radius((x0 + localStep(i) / 2) / half, (y0 + localStep(j) / 2) / half))
          }
      }
  }

  // --- cameras: a density per grid (core well above the standard, a few grids below it)
  const crng = rng.fork('cameras')
  const plans = grids.map((f, g) => {
    const urban = f.properties.urban
    const area = f.properties.areaKm2
    const std = urban ? URBAN_STANDARD : RURAL_STANDARD
    const compliant = crng.next() < (urban ? 0.9 : 0.88)
    const core = Math.max(0, 1 - gridRadius[g]!) // 1 in the centre, 0 at the urban edge
    const density = compliant
      ? urban
        ? crng.range(72, 90) * (1 + 2.2 * core * core)
        : crng.range(8.1, 10)
      : urban
        ? crng.range(45, 68)
        : crng.range(4.5, 7.6)
    const min = Math.ceil(std * area)
    let count = Math.round(density * area)
    count = compliant ? Math.max(count, min) : Math.min(count, min - 1)
    return { count: Math.max(1, count), min, compliant }
  })
  // the exact total: extra cameras go to compliant urban grids, and any compliant grid can lose
  // some down to its standard (so they stay compliant)
  let diff = cameraTotal - plans.reduce((s, p) => s + p.count, 0)
  const adjustable = plans.filter((p, g) => p.compliant && (diff < 0 || grids[g]!.properties.urban))
  for (let guard = 0; diff !== 0 && adjustable.length > 0 && guard < 1e7; guard++) {
    const p = crng.pick(adjustable)
    if (diff > 0) {
      p.count++
      diff--
    } else if (p.count > p.min && p.count > 1) {
      p.count--
      diff++
    }
  }
  if (diff !== 0) throw new Error(`could not place exactly ${cameraTotal} cameras`)
  const index = new PointIndex(grids.map((g) => g.geometry))
  const cameras: CameraRow[] = []
  grids.forEach((f, g) => {
    const ring = (f.geometry.coordinates as Pt[][])[0]!
    let [w, s, e, nn] = [Infinity, Infinity, -Infinity, -Infinity]
    for (const [x, y] of ring) {
      w = Math.min(w, x)
      e = Math.max(e, x)
      s = Math.min(s, y)
      nn = Math.max(nn, y)
    }
    for (let k = 0; k < plans[g]!.count; k++) {
      let x: number
      let y: number
      do {
        x = r6(crng.range(w, e))
        y = r6(crng.range(s, nn))
      } while (!index.contains(g, x, y))
      const social = crng.next() < 1 / 3
      const serial = String(cameras.length + 1).padStart(6, '0')
      // GB/T 28181-style 20-digit device code: 8-digit area, 2-digit industry, 131 (camera), net, serial
      const id = `${adcode}00${social ? '08' : '00'}1310${serial}`
      cameras.push([id, x, y, f.properties.code, social ? 'social' : 'public'])
    }
  })

  // --- members: one full-time per grid, a police officer per community, auxiliaries, part-timers
  const mrng = rng.fork('members')
  const members: MemberRow[] = []
  const personName = () => mrng.pick(SURNAMES) + mrng.pick(GIVEN) + (mrng.next() < 0.7 ? mrng.pick(GIVEN) : '')
  const add = (role: MemberRole, grid: string) =>
    members.push([`M${String(members.length + 1).padStart(5, '0')}`, personName(), role, grid])
  const auxiliaries = Math.round(gridTotal * 0.16)
  const partTimers = memberTotal - gridTotal - communities.length - auxiliaries
  if (partTimers < 0) throw new Error(`${memberTotal} members are fewer than grids + communities + auxiliaries`)
  for (const g of grids) add('full_time', g.properties.code)
  const weight = (g: UnitFeature) => (g.properties.urban ? 1.4 : 1)
  const totalWeight = grids.reduce((s, g) => s + weight(g), 0)
  const spread = (count: number, role: MemberRole) => {
    let acc = 0
    let placed = 0
    for (const g of grids) {
      acc += (weight(g) / totalWeight) * count
      for (; placed < Math.round(acc); placed++) add(role, g.properties.code)
    }
  }
  spread(partTimers, 'part_time')
  for (const c of communities) add('police', `${c.properties.code}001`)
  spread(auxiliaries, 'auxiliary')

  // --- metadata
  const urbanIdx = grids.flatMap((g, i) => (g.properties.urban ? [i] : []))
  const ruralIdx = grids.flatMap((g, i) => (g.properties.urban ? [] : [i]))
  const density = (idx: number[]) =>
    Math.round(
      (idx.reduce((s, i) => s + plans[i]!.count, 0) /
        Math.max(
          1e-9,
          idx.reduce((s, i) => s + grids[i]!.properties.areaKm2, 0),
        )) *
        10,
    ) / 10
  const ring0 = district[0]!.geometry.coordinates[0] as Pt[]
  const xs = ring0.map((p) => p[0])
  const ys = ring0.map((p) => p[1])
  const meta: RegionMeta = {
    format: PACK_FORMAT,
    adcode,
    name: '演示市（生成）',
    fullName: '演示市（生成）',
    seed: String(seed),
    crs: 'WGS-84 (EPSG:4326)',
    centre: [lon0, lat0],
    bounds: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)],
    densityStandards: { urbanPerKm2: URBAN_STANDARD, ruralPerKm2: RURAL_STANDARD },
    layers: {
      district: 'district.geojson',
      street: 'streets.geojson',
      community: 'communities.geojson',
      grid: 'grids.geojson',
      context: 'context.geojson',
    },
    counts: {
      street: streets.length,
      community: communities.length,
      grid: grids.length,
      camera: cameras.length,
      member: members.length,
    },
    areaKm2: district[0]!.properties.areaKm2,
    files: { cameras: 'cameras.json', members: 'members.json' },
    dataNotes: {
      zh: `本区域完全由程序生成（城市规模负载演示，SIM_SCALE=city）：边界、名称、代码、${grids.length} 个网格、摄像机与网格员均为虚构数据，并非真实行政区。`,
      en: `This region is entirely GENERATED (the city-scale load profile, SIM_SCALE=city): its boundaries, names, codes, the ${grids.length} grids, the cameras and the grid members are fictional, not a real place.`,
    },
    sources: [
      {
        name: '@gridsight/geo-data generateCity',
        use: 'everything (generated, seed ' + seed + ')',
        licence: 'MIT (this project)',
        notice: 'No third-party data.',
      },
    ],
    stats: {
      urbanCameraDensity: density(urbanIdx),
      ruralCameraDensity: density(ruralIdx),
      urbanGridsBelowStandard: urbanIdx.filter((i) => plans[i]!.count < plans[i]!.min).length,
      ruralGridsBelowStandard: ruralIdx.filter((i) => plans[i]!.count < plans[i]!.min).length,
      socialCameras: cameras.filter((c) => c[4] === 'social').length,
    },
  }
  return { meta, district, streets, communities, grids, cameras, members }
}

/** The pack's files, name → content (the layout of geo-data/regions/<adcode>/). */
export function cityPackFiles(pack: CityPack): [string, string][] {
  const fc = (features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features })
  return [
    ['district.geojson', fc(pack.district)],
    ['streets.geojson', fc(pack.streets)],
    ['communities.geojson', fc(pack.communities)],
    ['grids.geojson', fc(pack.grids)],
    ['context.geojson', fc([])],
    ['cameras.json', JSON.stringify({ fields: CAMERA_FIELDS, rows: pack.cameras })],
    ['members.json', JSON.stringify({ fields: MEMBER_FIELDS, rows: pack.members })],
    [
      'LICENSES.md',
      '# Licences\n\nThis region pack is entirely generated by @gridsight/geo-data (`generateCity`); it contains no third-party data.\n',
    ],
    // last: a folder with region.json is a complete pack (resolveRegionDir)
    ['region.json', JSON.stringify(pack.meta, null, 2) + '\n'],
  ]
}

/** Writes the pack into `dir` (created), each file through a temporary name, region.json last. */
export function writeRegionPack(pack: CityPack, dir: string): void {
  mkdirSync(dir, { recursive: true })
  for (const [name, text] of cityPackFiles(pack)) {
    const tmp = join(dir, `.${name}.${process.pid}.tmp`)
    writeFileSync(tmp, text)
    renameSync(tmp, join(dir, name))
  }
}

/**
 * The city pack in `${dataDir}/regions/<adcode>/`: generated and written there when that folder
 * holds no region.json yet. Returns the folder (with a trailing slash, like resolveRegionDir) and
 * whether it was generated now.
 */
export function ensureCityPack(dataDir: string, options: CityOptions = {}): { dir: string; generated: boolean } {
  const dir = join(resolve(dataDir), 'regions', options.adcode ?? CITY_ADCODE)
  if (existsSync(join(dir, 'region.json'))) return { dir: `${dir}/`, generated: false }
  writeRegionPack(generateCity(options), dir)
  return { dir: `${dir}/`, generated: true }
}
