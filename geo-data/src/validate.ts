/**
 * Validates a region hierarchy (district → street → community → grid) given as GeoJSON features.
 * Pure code (no I/O): used by the pack build on its own output and by the import CLI.
 *
 * Every problem is reported at once, with the feature's index and code. Errors make the input
 * unusable; warnings (small gaps between siblings, tiny slivers) are listed but allowed.
 */
import pc from 'polygon-clipping'
import type { MultiPolygon as PcMulti } from 'polygon-clipping'
import { geometryArea } from '@gridsight/shared'

export const LEVELS = ['district', 'street', 'community', 'grid'] as const
export type Level = (typeof LEVELS)[number]

export interface UnitProperties {
  code: string
  name: string
  level: Level
  parent: string | null
  urban?: boolean
  areaKm2?: number
}

export interface InputFeature {
  type?: unknown
  properties?: object | null
  geometry?: { type?: unknown; coordinates?: unknown } | null
}

export type IssueKind =
  | 'input'
  | 'levels'
  | 'region'
  | 'feature'
  | 'properties'
  | 'geometry-type'
  | 'ring'
  | 'unclosed-ring'
  | 'coordinate-range'
  | 'self-intersection'
  | 'duplicate-code'
  | 'parent-missing'
  | 'parent-level'
  | 'outside-parent'
  | 'sibling-overlap'
  | 'sibling-gap'

export interface Issue {
  severity: 'error' | 'warning'
  kind: IssueKind
  /** index in the input feature list (-1 for a parent given as context) */
  index: number
  code: string | null
  message: string
  /** area involved, m² (overlaps, gaps, parts outside the parent) */
  areaM2?: number
}

export interface ValidateOptions {
  /** units that already exist (e.g. the region pack's district and streets), used as parents */
  context?: readonly InputFeature[]
  /** a child may stick out of its parent by this share of its own area (default 0.1 %) */
  outsideTolerance?: number
  /** overlaps below this many m² are float noise (default 1 m²) */
  overlapToleranceM2?: number
  /** gaps between siblings above this share of the parent are errors, below it warnings (default 0.5 %) */
  gapErrorShare?: number
  /** gaps below this many m² are not reported (default 1 m²) */
  gapToleranceM2?: number
  /** check children against parents and siblings against each other (default true) */
  topology?: boolean
  onProgress?: (stage: string, done: number, total: number) => void
}

export interface ValidationResult {
  ok: boolean
  errors: Issue[]
  warnings: Issue[]
}

type Pos = [number, number]
type Poly = Pos[][]

interface Unit {
  index: number
  props: UnitProperties
  polys: Poly[]
  bbox: [number, number, number, number]
  areaM2: number
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)

/** Polygons of a Polygon/MultiPolygon geometry, or an error string. */
function polygonsOf(g: { type?: unknown; coordinates?: unknown }): Poly[] | string {
  const c = g.coordinates
  if (g.type === 'Polygon') return Array.isArray(c) ? [c as Poly] : 'Polygon without coordinates'
  if (g.type === 'MultiPolygon') return Array.isArray(c) ? (c as Poly[]) : 'MultiPolygon without coordinates'
  return `geometry type ${String(g.type)} is not Polygon or MultiPolygon`
}

function segmentsIntersect(a: Pos, b: Pos, c: Pos, d: Pos): boolean {
  const o = (p: Pos, q: Pos, r: Pos): number => (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])
  const d1 = o(c, d, a)
  const d2 = o(c, d, b)
  const d3 = o(a, b, c)
  const d4 = o(a, b, d)
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) return true
  const on = (p: Pos, q: Pos, r: Pos): boolean =>
    Math.min(p[0], q[0]) <= r[0] &&
    r[0] <= Math.max(p[0], q[0]) &&
    Math.min(p[1], q[1]) <= r[1] &&
    r[1] <= Math.max(p[1], q[1])
  // collinear overlaps / touching (a ring touching itself is invalid in GeoJSON too)
  return (
    (d1 === 0 && on(c, d, a)) || (d2 === 0 && on(c, d, b)) || (d3 === 0 && on(a, b, c)) || (d4 === 0 && on(a, b, d))
  )
}

/**
 * Finds crossings between the edges of a polygon's rings (within a ring and between rings),
 * ignoring edges that share a vertex in sequence. Sort-and-sweep on x: fast for real boundaries.
 */
export function findSelfIntersections(poly: Poly, limit = 5): Pos[] {
  interface Seg {
    a: Pos
    b: Pos
    ring: number
    i: number
    n: number
    minX: number
    maxX: number
  }
  const segs: Seg[] = []
  poly.forEach((ring, r) => {
    const n = ring.length - 1
    for (let i = 0; i < n; i++) {
      const a = ring[i]!
      const b = ring[i + 1]!
      if (a[0] === b[0] && a[1] === b[1]) continue
      segs.push({ a, b, ring: r, i, n, minX: Math.min(a[0], b[0]), maxX: Math.max(a[0], b[0]) })
    }
  })
  segs.sort((s, t) => s.minX - t.minX)
  const found: Pos[] = []
  for (let k = 0; k < segs.length && found.length < limit; k++) {
    const s = segs[k]!
    for (let m = k + 1; m < segs.length && segs[m]!.minX <= s.maxX; m++) {
      const t = segs[m]!
      if (s.ring === t.ring) {
        const gap = Math.abs(s.i - t.i)
        if (gap === 1 || gap === s.n - 1) continue // neighbours share a vertex
      }
      if (Math.max(s.a[1], s.b[1]) < Math.min(t.a[1], t.b[1]) || Math.max(t.a[1], t.b[1]) < Math.min(s.a[1], s.b[1]))
        continue
      if (segmentsIntersect(s.a, s.b, t.a, t.b)) {
        found.push(s.a)
        if (found.length >= limit) break
      }
    }
  }
  return found
}

const m2 = (m: PcMulti): number => geometryArea({ type: 'MultiPolygon', coordinates: m })
const overlaps = (a: Unit['bbox'], b: Unit['bbox']): boolean =>
  a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3]

export function validateUnits(features: readonly InputFeature[], options: ValidateOptions = {}): ValidationResult {
  const outsideTol = options.outsideTolerance ?? 0.001
  const overlapTol = options.overlapToleranceM2 ?? 1
  const gapShare = options.gapErrorShare ?? 0.005
  const gapTol = options.gapToleranceM2 ?? 1
  const issues: Issue[] = []
  const add = (i: Issue): void => void issues.push(i)
  const units: Unit[] = []

  const parse = (f: InputFeature, index: number): Unit | null => {
    const raw = (f?.properties ?? null) as Record<string, unknown> | null
    const code =
      raw && typeof raw.code === 'string' && raw.code !== ''
        ? raw.code
        : raw && typeof raw.code === 'number'
          ? String(raw.code)
          : null
    const err = (kind: IssueKind, message: string): null => (
      add({ severity: 'error', kind, index, code, message }),
      null
    )
    if (!f || f.type !== 'Feature') return err('feature', 'not a GeoJSON Feature')
    if (!raw || code === null) return err('properties', 'missing "code" (string)')
    if (typeof raw.name !== 'string' || raw.name === '') return err('properties', 'missing "name"')
    if (!LEVELS.includes(raw.level as Level)) return err('properties', `"level" must be one of ${LEVELS.join(', ')}`)
    const parent = raw.parent === undefined || raw.parent === null ? null : String(raw.parent)
    if (raw.urban !== undefined && typeof raw.urban !== 'boolean') return err('properties', '"urban" must be a boolean')
    if (!f.geometry) return err('geometry-type', 'no geometry')
    const polys = polygonsOf(f.geometry)
    if (typeof polys === 'string') return err('geometry-type', polys)
    let ok = true
    const bbox: Unit['bbox'] = [Infinity, Infinity, -Infinity, -Infinity]
    polys.forEach((poly, pi) => {
      if (!Array.isArray(poly) || poly.length === 0) {
        ok = !!err('ring', `polygon ${pi} has no rings`)
        return
      }
      poly.forEach((ring, ri) => {
        const where = `polygon ${pi} ring ${ri}`
        if (!Array.isArray(ring) || ring.length < 4) {
          ok = !!err('ring', `${where} has fewer than 4 positions`)
          return
        }
        for (const p of ring) {
          if (!Array.isArray(p) || !isNum(p[0]) || !isNum(p[1])) {
            ok = !!err('coordinate-range', `${where} has a non-numeric position`)
            return
          }
          if (p[0] < -180 || p[0] > 180 || p[1] < -90 || p[1] > 90) {
            ok = !!err(
              'coordinate-range',
              `${where} has position [${p[0]}, ${p[1]}] outside lon ±180 / lat ±90 (projected metres?)`,
            )
            return
          }
          if (p[0] < bbox[0]) bbox[0] = p[0]
          if (p[1] < bbox[1]) bbox[1] = p[1]
          if (p[0] > bbox[2]) bbox[2] = p[0]
          if (p[1] > bbox[3]) bbox[3] = p[1]
        }
        const a = ring[0]!
        const b = ring[ring.length - 1]!
        if (a[0] !== b[0] || a[1] !== b[1])
          ok = !!err('unclosed-ring', `${where} is not closed (first ≠ last position)`)
      })
      if (!ok) return
      const x = findSelfIntersections(poly, 1)
      if (x.length > 0) ok = !!err('self-intersection', `polygon ${pi} self-intersects near [${x[0]![0]}, ${x[0]![1]}]`)
    })
    if (!ok) return null
    const props: UnitProperties = { code, name: raw.name, level: raw.level as Level, parent }
    if (typeof raw.urban === 'boolean') props.urban = raw.urban
    return { index, props, polys, bbox, areaM2: geometryArea({ type: 'MultiPolygon', coordinates: polys }) }
  }

  features.forEach((f, i) => {
    const u = parse(f, i)
    if (u) units.push(u)
  })
  const context: Unit[] = []
  for (const f of options.context ?? []) {
    const polys = f.geometry ? polygonsOf(f.geometry) : 'none'
    const p = (f.properties ?? {}) as Record<string, unknown>
    if (typeof polys === 'string' || typeof p.code !== 'string') continue
    context.push({
      index: -1,
      props: {
        code: p.code,
        name: String(p.name ?? ''),
        level: p.level as Level,
        parent: (p.parent as string | null) ?? null,
      },
      polys,
      bbox: [Infinity, Infinity, -Infinity, -Infinity],
      areaM2: 0,
    })
  }

  // unique codes
  const byCode = new Map<string, Unit>()
  for (const u of units) {
    const prev = byCode.get(u.props.code)
    if (prev) {
      add({
        severity: 'error',
        kind: 'duplicate-code',
        index: u.index,
        code: u.props.code,
        message: `code also used by feature ${prev.index}`,
      })
    } else byCode.set(u.props.code, u)
  }
  for (const c of context) if (!byCode.has(c.props.code)) byCode.set(c.props.code, c)

  // parents
  const children = new Map<string, Unit[]>()
  const roots: Unit[] = []
  for (const u of units) {
    const lvl = LEVELS.indexOf(u.props.level)
    if (u.props.parent === null) {
      if (lvl !== 0)
        add({
          severity: 'error',
          kind: 'parent-missing',
          index: u.index,
          code: u.props.code,
          message: `a ${u.props.level} needs a parent`,
        })
      else roots.push(u)
      continue
    }
    const p = byCode.get(u.props.parent)
    if (!p) {
      add({
        severity: 'error',
        kind: 'parent-missing',
        index: u.index,
        code: u.props.code,
        message: `parent ${u.props.parent} does not exist`,
      })
      continue
    }
    if (LEVELS.indexOf(p.props.level) !== lvl - 1) {
      add({
        severity: 'error',
        kind: 'parent-level',
        index: u.index,
        code: u.props.code,
        message: `parent ${p.props.code} is a ${p.props.level}, a ${u.props.level}'s parent must be a ${LEVELS[lvl - 1] ?? '(none)'}`,
      })
      continue
    }
    const list = children.get(p.props.code) ?? []
    list.push(u)
    children.set(p.props.code, list)
  }

  if (options.topology !== false) {
    const parents = [...children.keys()]
    parents.forEach((pcode, k) => {
      options.onProgress?.('topology', k, parents.length)
      const parent = byCode.get(pcode)!
      const kids = children.get(pcode)!
      const parentGeom = parent.polys as PcMulti
      // children inside the parent
      for (const u of kids) {
        let outside: PcMulti
        try {
          outside = pc.difference(u.polys as PcMulti, parentGeom)
        } catch (e) {
          add({
            severity: 'error',
            kind: 'outside-parent',
            index: u.index,
            code: u.props.code,
            message: `cannot compare with parent: ${(e as Error).message}`,
          })
          continue
        }
        const a = m2(outside)
        if (a > Math.max(1, outsideTol * u.areaM2)) {
          add({
            severity: 'error',
            kind: 'outside-parent',
            index: u.index,
            code: u.props.code,
            message: `${(a / 1e6).toFixed(4)} km² (${((100 * a) / u.areaM2).toFixed(2)} %) lies outside parent ${pcode}`,
            areaM2: a,
          })
        }
      }
      // sibling overlaps
      for (let i = 0; i < kids.length; i++) {
        for (let j = i + 1; j < kids.length; j++) {
          const a = kids[i]!
          const b = kids[j]!
          if (!overlaps(a.bbox, b.bbox)) continue
          let inter: PcMulti
          try {
            inter = pc.intersection(a.polys as PcMulti, b.polys as PcMulti)
          } catch {
            continue
          }
          const area = m2(inter)
          if (area > overlapTol) {
            add({
              severity: 'error',
              kind: 'sibling-overlap',
              index: b.index,
              code: b.props.code,
              message: `overlaps sibling ${a.props.code} (feature ${a.index}) by ${area.toFixed(1)} m²`,
              areaM2: area,
            })
          }
        }
      }
      // gaps: the parent minus the union of its children (only where the parent is known in full)
      {
        let gap: PcMulti
        try {
          gap = pc.difference(parentGeom, ...kids.map((u) => u.polys as PcMulti))
        } catch {
          return
        }
        const area = m2(gap)
        const parentArea = parent.areaM2 || m2(parentGeom)
        if (area > gapTol) {
          const share = area / parentArea
          add({
            severity: share > gapShare ? 'error' : 'warning',
            kind: 'sibling-gap',
            index: parent.index,
            code: pcode,
            message: `children of ${pcode} leave ${area.toFixed(1)} m² (${(100 * share).toFixed(3)} %) uncovered`,
            areaM2: area,
          })
        }
      }
    })
    options.onProgress?.('topology', parents.length, parents.length)
  }

  const errors = issues.filter((i) => i.severity === 'error')
  const warnings = issues.filter((i) => i.severity === 'warning')
  return { ok: errors.length === 0, errors, warnings }
}

/** One line per issue, for CLIs and build logs. */
export function formatIssue(i: Issue): string {
  return `${i.severity.toUpperCase().padEnd(7)} #${i.index} ${i.code ?? '(no code)'} [${i.kind}] ${i.message}`
}
