/**
 * Import of a user's own units (`pnpm gridsight import`): converts the CRS, rounds to the pack's
 * 6 decimals, validates (src/validate.ts) and, when there is no error, produces the files of a
 * region pack. Pure code: the caller reads the input and the base pack and writes the files.
 *
 * Levels: the input holds a contiguous run of levels ending at `grid` (e.g. only grids, or
 * communities + grids, or the whole hierarchy). The levels above the input's top level come from
 * the base pack (the region's existing pack). At the top level the input replaces, per parent, the
 * base pack's children of every parent it names (and their descendants); the base pack's units
 * under other parents are kept. So a file with the grids of one community regrids that community.
 */
import { convertPosition, geometryAreaKm2, UnitLocator } from '@gridsight/shared'
import type { Crs } from '@gridsight/shared'
import { LEVELS, validateUnits } from './validate.ts'
import type { InputFeature, Issue, Level, ValidationResult } from './validate.ts'
import { CAMERA_FIELDS, MEMBER_FIELDS, PACK_FORMAT } from './pack.ts'
import type { CameraRow, MemberRow, RegionMeta, UnitFeature, UnitProps } from './pack.ts'

/** The region's existing pack, the base an import is merged into. */
export interface BasePack {
  meta: RegionMeta
  /** all units of the four levels */
  units: UnitFeature[]
  /** context.geojson (neighbouring districts), copied as is */
  context?: unknown
  cameras?: CameraRow[]
  members?: MemberRow[]
  licences?: string
}

export interface ImportOptions {
  /** the region's adcode (6 digits) */
  region: string
  /** CRS of the input coordinates */
  crs: Crs
  base: BasePack | null
  /** name of the input (file name), recorded in region.json */
  source: string
  onProgress?: (stage: string, done: number, total: number) => void
}

export interface ImportPlan extends ValidationResult {
  /** number of input features */
  features: number
  /** levels present in the input, top first */
  levels: Level[]
  /** base-pack units at the input's levels that the input replaces, and those it keeps */
  replaced: number
  kept: number
  /** pack files (name, content) when ok, else null */
  files: [string, string][] | null
  counts: RegionMeta['counts'] | null
}

const CRS_LABEL: Record<Crs, string> = {
  wgs84: 'WGS-84',
  cgcs2000: 'CGCS2000 (used as WGS-84)',
  gcj02: 'GCJ-02, converted to WGS-84',
  bd09: 'BD-09, converted to WGS-84',
}
const LEVEL_ZH: Record<Level, string> = { district: '区县', street: '镇街', community: '村社区', grid: '网格' }
const LAYER_FILE: Record<Level, string> = {
  district: 'district.geojson',
  street: 'streets.geojson',
  community: 'communities.geojson',
  grid: 'grids.geojson',
}

const r6 = (v: number): number => Math.round(v * 1e6) / 1e6
const isPos = (c: unknown): c is number[] => Array.isArray(c) && typeof c[0] === 'number' && typeof c[1] === 'number'

/**
 * Converts every valid position to WGS-84 and rounds it to 6 decimals; drops consecutive duplicate
 * positions that rounding creates. Anything malformed is left as it is, for the validator to report.
 */
export function convertGeometryCoordinates(coords: unknown, crs: Crs): unknown {
  const visit = (c: unknown): unknown => {
    if (!Array.isArray(c)) return c
    if (isPos(c)) {
      const [x, y] = c as [number, number]
      if (!Number.isFinite(x) || !Number.isFinite(y) || Math.abs(x) > 180 || Math.abs(y) > 90) return c
      const [lon, lat] = convertPosition(x, y, crs, 'wgs84')
      return [r6(lon), r6(lat)]
    }
    const out = c.map(visit)
    if (!out.every(isPos)) return out
    return out.filter((p, i) => i === 0 || p[0] !== out[i - 1]![0] || p[1] !== out[i - 1]![1])
  }
  return visit(coords)
}

type Ring = [number, number][]
function ringSignedArea(r: Ring): number {
  let s = 0
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) s += r[j]![0] * r[i]![1] - r[i]![0] * r[j]![1]
  return s / 2
}
/** Outer rings counter-clockwise, holes clockwise (RFC 7946). */
function rewind(poly: Ring[]): Ring[] {
  return poly.map((ring, i) => (ringSignedArea(ring) > 0 === (i === 0) ? ring : [...ring].reverse()))
}

function bboxOfUnits(units: readonly UnitFeature[]): [number, number, number, number] {
  const b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity]
  for (const u of units) {
    const polys = u.geometry.type === 'Polygon' ? [u.geometry.coordinates] : u.geometry.coordinates
    for (const p of polys)
      for (const [x, y] of p[0] ?? []) {
        if (x < b[0]) b[0] = x
        if (y < b[1]) b[1] = y
        if (x > b[2]) b[2] = x
        if (y > b[3]) b[3] = y
      }
  }
  return b
}

const fileIssue = (kind: Issue['kind'], message: string, index = -1, code: string | null = null): Issue => ({
  severity: 'error',
  kind,
  index,
  code,
  message,
})

export function planImport(input: unknown, options: ImportOptions): ImportPlan {
  const { region, crs, base } = options
  const fail = (errors: Issue[], features = 0, levels: Level[] = []): ImportPlan => ({
    ok: false,
    errors,
    warnings: [],
    features,
    levels,
    replaced: 0,
    kept: 0,
    files: null,
    counts: null,
  })
  const fc = input as { type?: unknown; features?: unknown } | null
  if (!fc || typeof fc !== 'object' || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features))
    return fail([fileIssue('input', 'the input is not a GeoJSON FeatureCollection')])

  // CRS → WGS-84, 6 decimals
  const features: InputFeature[] = (fc.features as unknown[]).map((f) => {
    const g = (f as InputFeature | null)?.geometry
    if (!g || typeof g !== 'object' || !('coordinates' in g)) return f as InputFeature
    return { ...(f as InputFeature), geometry: { ...g, coordinates: convertGeometryCoordinates(g.coordinates, crs) } }
  })

  // which levels, and where the levels above them come from
  const levelOf = (f: InputFeature): Level | null => {
    const l = (f?.properties as { level?: unknown } | null | undefined)?.level
    return LEVELS.includes(l as Level) ? (l as Level) : null
  }
  const present = new Set(features.map(levelOf).filter((l): l is Level => l !== null))
  const levels = LEVELS.filter((l) => present.has(l))
  const top = levels.length > 0 ? LEVELS.indexOf(levels[0]!) : -1
  const pre: Issue[] = []
  if (features.length === 0) pre.push(fileIssue('input', 'the FeatureCollection has no features'))
  else if (levels.length > 0) {
    const missing = LEVELS.slice(top).filter((l) => !present.has(l))
    if (missing.length > 0)
      pre.push(
        fileIssue(
          'levels',
          `the input has ${levels.join(', ')} but not ${missing.join(', ')}: it must hold every level from its top level down to grid`,
        ),
      )
  }
  if (top > 0 && !base)
    pre.push(
      fileIssue(
        'levels',
        region
          ? `the input starts at level ${LEVELS[top]}, so the levels above come from the pack of region ${region}, and there is none`
          : `the input starts at level ${LEVELS[top]}: name the region (--region <adcode>) whose pack holds the levels above`,
      ),
    )
  if (top === 0) {
    features.forEach((f, i) => {
      const p = f?.properties as { code?: unknown } | null | undefined
      if (levelOf(f) === 'district' && String(p?.code) !== region)
        pre.push(
          fileIssue('region', `district code ${String(p?.code)} is not the region ${region}`, i, String(p?.code)),
        )
    })
    const n = features.filter((f) => levelOf(f) === 'district').length
    if (n > 1) pre.push(fileIssue('region', `the input has ${n} districts, a region pack has one`))
  }
  if (base && base.meta.adcode !== region)
    pre.push(fileIssue('region', `the base pack is region ${base.meta.adcode}, not ${region}`))

  const baseUnits = base?.units ?? []
  const context = top > 0 ? baseUnits.filter((u) => LEVELS.indexOf(u.properties.level) < top) : []
  const result = validateUnits(features, { context, onProgress: options.onProgress })

  // the base pack's units at the input's levels: replaced per parent, or kept
  const inputCodes = new Map<string, number>()
  features.forEach((f, i) => {
    const c = (f?.properties as { code?: unknown } | null | undefined)?.code
    if (typeof c === 'string' || typeof c === 'number') inputCodes.set(String(c), i)
  })
  const replacedParents = new Set(
    features
      .filter((f) => top >= 0 && levelOf(f) === LEVELS[top])
      .map((f) => String((f.properties as { parent?: unknown }).parent ?? '')),
  )
  const keptCodes = new Set<string>()
  const kept: UnitFeature[] = []
  let replaced = 0
  if (top > 0) {
    for (const level of LEVELS.slice(top)) {
      for (const u of baseUnits) {
        if (u.properties.level !== level) continue
        const keep =
          level === LEVELS[top]
            ? !replacedParents.has(u.properties.parent ?? '')
            : keptCodes.has(u.properties.parent ?? '')
        if (!keep) {
          replaced++
          continue
        }
        keptCodes.add(u.properties.code)
        kept.push(u)
        const clash = inputCodes.get(u.properties.code)
        if (clash !== undefined)
          pre.push(
            fileIssue(
              'duplicate-code',
              `code also used by the pack's ${level} under ${u.properties.parent}, which this input does not replace`,
              clash,
              u.properties.code,
            ),
          )
      }
    }
  }

  const errors = [...pre, ...result.errors]
  const plan: ImportPlan = {
    ok: errors.length === 0,
    errors,
    warnings: result.warnings,
    features: features.length,
    levels,
    replaced,
    kept: kept.length,
    files: null,
    counts: null,
  }
  if (!plan.ok) return plan

  // normalised units; urban inherited from the parent when absent (district: urban)
  const urbanOf = new Map<string, boolean>()
  for (const u of [...context, ...kept]) urbanOf.set(u.properties.code, u.properties.urban)
  const fresh: UnitFeature[] = []
  for (const level of LEVELS.slice(top)) {
    features.forEach((f) => {
      if (levelOf(f) !== level) return
      const raw = f.properties as Record<string, unknown>
      const parent = raw.parent === undefined || raw.parent === null ? null : String(raw.parent)
      const code = String(raw.code)
      const urban = typeof raw.urban === 'boolean' ? raw.urban : parent === null ? true : (urbanOf.get(parent) ?? true)
      urbanOf.set(code, urban)
      const g = f.geometry as { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown }
      const strip = (p: Ring[]): Ring[] => rewind(p.map((r) => r.map((q) => [q[0]!, q[1]!] as [number, number])))
      const geometry: UnitFeature['geometry'] =
        g.type === 'Polygon'
          ? { type: 'Polygon', coordinates: strip(g.coordinates as Ring[]) }
          : { type: 'MultiPolygon', coordinates: (g.coordinates as Ring[][]).map(strip) }
      const properties: UnitProps = {
        code,
        name: String(raw.name),
        level,
        parent,
        urban,
        areaKm2: r6(geometryAreaKm2(geometry)),
      }
      fresh.push({ type: 'Feature', properties, geometry })
    })
  }

  const all = [...context, ...kept, ...fresh]
  const byLevel = (l: Level): UnitFeature[] =>
    all
      .filter((u) => u.properties.level === l)
      .sort((a, b) => (a.properties.code < b.properties.code ? -1 : a.properties.code > b.properties.code ? 1 : 0))
  const layers = Object.fromEntries(LEVELS.map((l) => [l, byLevel(l)])) as Record<Level, UnitFeature[]>
  const grids = layers.grid

  // demo cameras and members of the base pack: cameras re-assigned to the new grids, members kept
  // where their grid still exists
  const locator = new UnitLocator(grids)
  const cameras: CameraRow[] = []
  for (const [id, lon, lat, , kind] of base?.cameras ?? []) {
    const grid = locator.locate(lon, lat)
    if (grid !== null) cameras.push([id, lon, lat, grid, kind])
  }
  const gridCodes = new Set(grids.map((g) => g.properties.code))
  const members = (base?.members ?? []).filter((m) => gridCodes.has(m[3]))

  const perGrid = new Map<string, number>()
  for (const c of cameras) perGrid.set(c[3], (perGrid.get(c[3]) ?? 0) + 1)
  const standards = base?.meta.densityStandards ?? { urbanPerKm2: 70, ruralPerKm2: 8 }
  const densityStats = (urban: boolean) => {
    const gs = grids.filter((g) => g.properties.urban === urban)
    const n = gs.reduce((s, g) => s + (perGrid.get(g.properties.code) ?? 0), 0)
    const area = gs.reduce((s, g) => s + g.properties.areaKm2, 0)
    const std = urban ? standards.urbanPerKm2 : standards.ruralPerKm2
    return {
      density: area > 0 ? Math.round((n / area) * 10) / 10 : 0,
      below: gs.filter((g) => (perGrid.get(g.properties.code) ?? 0) < Math.ceil(std * g.properties.areaKm2)).length,
    }
  }
  const urbanStats = densityStats(true)
  const ruralStats = densityStats(false)

  const district = layers.district[0]!
  const [w, s, e, n] = bboxOfUnits(layers.district)
  const counts = {
    street: layers.street.length,
    community: layers.community.length,
    grid: grids.length,
    camera: cameras.length,
    member: members.length,
  }
  const importedEn = `${levels.join(', ')} boundaries imported from ${options.source} (${CRS_LABEL[crs]}).`
  const importedZh = `${levels.map((l) => LEVEL_ZH[l]).join('、')}边界由用户导入（${options.source}，${CRS_LABEL[crs]}）。`
  const meta: RegionMeta = {
    format: PACK_FORMAT,
    adcode: region,
    name: base?.meta.name ?? district.properties.name,
    fullName: base?.meta.fullName ?? district.properties.name,
    seed: base?.meta.seed ?? '',
    crs: 'WGS-84 (EPSG:4326; CGCS2000 coordinates are used as is)',
    centre: top > 0 && base ? base.meta.centre : [r6((w + e) / 2), r6((s + n) / 2)],
    bounds: [w, s, e, n],
    densityStandards: standards,
    layers: { ...LAYER_FILE, context: 'context.geojson' },
    counts,
    areaKm2: district.properties.areaKm2,
    files: { cameras: 'cameras.json', members: 'members.json' },
    dataNotes: {
      zh: base ? `${importedZh}其余沿用原区域包：${base.meta.dataNotes.zh}` : importedZh,
      en: base ? `${importedEn} Everything else is from the previous pack: ${base.meta.dataNotes.en}` : importedEn,
    },
    sources: [
      ...(base?.meta.sources ?? []),
      {
        name: options.source,
        use: `${levels.join(', ')} boundaries (pnpm gridsight import --crs ${crs})`,
        licence: 'as supplied by the user',
        notice: 'imported by the region owner',
      },
    ],
    imported: { source: options.source, crs, levels },
    stats: {
      urbanCameraDensity: urbanStats.density,
      ruralCameraDensity: ruralStats.density,
      urbanGridsBelowStandard: urbanStats.below,
      ruralGridsBelowStandard: ruralStats.below,
      socialCameras: cameras.filter((c) => c[4] === 'social').length,
    },
  }

  const fcText = (fs: readonly unknown[]): string => JSON.stringify({ type: 'FeatureCollection', features: fs })
  const files: [string, string][] = [
    ...LEVELS.map((l): [string, string] => [LAYER_FILE[l], fcText(layers[l])]),
    ['context.geojson', base?.context ? JSON.stringify(base.context) : fcText([])],
    ['cameras.json', JSON.stringify({ fields: CAMERA_FIELDS, rows: cameras })],
    ['members.json', JSON.stringify({ fields: MEMBER_FIELDS, rows: members })],
    ['region.json', `${JSON.stringify(meta, null, 2)}\n`],
  ]
  if (base?.licences) files.push(['LICENSES.md', base.licences])
  plan.files = files
  plan.counts = counts
  return plan
}
