import { IconLayer, ScatterplotLayer } from '@deck.gl/layers'
import type { Layer } from '@deck.gl/core'
import { CASE_FLAGS, STATUS_CODES, type LiveMirror, type MirrorTable } from '@gridsight/shared'
import { stage, type Rgba } from './status-colors.ts'
import { ICON_MAPPING, ICON_NAMES, caseIconOf, iconAtlas } from './icon-atlas.ts'

export const CASES_LAYER_ID = 'cases'
export const CASES_BASE_ID = 'cases-base'
export const CASES_OVERDUE_ID = 'cases-overdue'
export const CASES_FLASH_ID = 'cases-flash'

/** RGBA by case status code; closed cases are not drawn. */
export const CASE_COLORS: readonly Rgba[] = STATUS_CODES.cases.map((s): Rgba => {
  switch (s) {
    case 'reported':
      return stage('waiting')
    case 'dispatched':
      return stage('assigned')
    case 'handling':
      return stage('inHand')
    case 'resolved':
      return stage('done', 200)
    default:
      return [0, 0, 0, 0]
  }
})
export const OVERDUE_COLOR: Rgba = stage('alarm')
const CLOSED = STATUS_CODES.cases.indexOf('closed')
const REPORTED = STATUS_CODES.cases.indexOf('reported')

/** How long a new case's flash lasts: one expanding, fading ring. */
export const FLASH_MS = 2400
/** The server's default dispatch deadline (server/config/kpi.json caseSla.default). */
export const DEFAULT_DISPATCH_SLA_MS = 30 * 60_000

/** 1 when a case has just appeared, falling to 0 after FLASH_MS; 0 when its arrival is unknown. */
export function flashLevel(ageMs: number): number {
  if (!(ageMs < FLASH_MS)) return 0
  return ageMs <= 0 ? 1 : 1 - ageMs / FLASH_MS
}

/**
 * Whether a case is past its dispatch deadline, counted from its report time
 * (NaN: unknown, never overdue). Only the dispatch deadline: the resolve deadline
 * counts working days of the server's calendar, which the screen does not have.
 * The fallback for a server that sends no `flags` column (see caseOverdueFlags).
 */
export function isDispatchOverdue(status: number, reportedMs: number, nowMs: number, slaMs: number): boolean {
  return status === REPORTED && nowMs - reportedMs > slaMs
}

/** Which deadline a case is past, from its bits. */
export type OverdueDeadline = 'dispatch' | 'resolve'

/**
 * A case's overdue bits (CASE_FLAGS): the server's `flags` column when the stream carries it
 * (either deadline, on the server's calendar and per-type SLAs, set as time passes), else the
 * dispatch deadline counted here from the report time (`firstSeenMs` standing in without `at`).
 */
export function caseOverdueFlags(
  t: MirrorTable,
  row: number,
  firstSeenMs: number,
  nowMs: number,
  slaMs: number,
): number {
  if (t.flagged) return t.flags[row]!
  const late = isDispatchOverdue(t.status[row]!, reportedAtMs(t.at[row]!, firstSeenMs), nowMs, slaMs)
  return late ? CASE_FLAGS.dispatchOverdue : 0
}

/** The deadlines named by a case's bits, dispatch first. */
export function overdueDeadlines(flags: number): OverdueDeadline[] {
  const out: OverdueDeadline[] = []
  if (flags & CASE_FLAGS.dispatchOverdue) out.push('dispatch')
  if (flags & CASE_FLAGS.resolveOverdue) out.push('resolve')
  return out
}

/**
 * When a case was reported (epoch ms, NaN unknown): its report time from the
 * stream's `at` column, in snapshots and deltas alike, so a case already open
 * when the screen connected rings too; else when it first appeared on a delta
 * (a server that sends no `at`).
 */
export function reportedAtMs(at: number, firstSeenMs: number): number {
  return Number.isNaN(at) ? firstSeenMs : at
}

/**
 * Remembers when each case row first appeared on the stream (server time of the
 * delta that added it; NaN for rows from a snapshot). Rows are the mirror's wire
 * indexes, stable within an epoch and scope.
 */
export class FirstSeen {
  times = new Float64Array(0)
  private known = 0
  private key = ''

  update(key: string, table: MirrorTable): void {
    const n = table.count
    if (key !== this.key || n < this.known) {
      this.key = key
      this.known = 0
    }
    if (this.times.length < n) {
      const next = new Float64Array(Math.max(n, this.times.length * 2, 256))
      next.set(this.times.subarray(0, this.known))
      this.times = next
    }
    for (let i = this.known; i < n; i++) this.times[i] = table.seen[i]!
    this.known = n
  }
}

const grownF32 = (a: Float32Array<ArrayBuffer>, n: number) =>
  a.length >= n ? a : new Float32Array(Math.max(n, a.length * 2))
const grownU8 = (a: Uint8Array<ArrayBuffer>, n: number) =>
  a.length >= n ? a : new Uint8Array(Math.max(n, a.length * 2))
const grownU32 = (a: Uint32Array<ArrayBuffer>, n: number) =>
  a.length >= n ? a : new Uint32Array(Math.max(n, a.length * 2))

/**
 * Live cases: an icon per open case (its type's glyph, tinted by state) on a
 * dark disc, a red ring around each case past a deadline (the server's `flags`:
 * dispatch or resolve; without them, the dispatch deadline from the report time
 * on the stream), and one
 * flash for each case that appears while the screen runs. Closed cases are left
 * out. Attributes are packed into buffers reused between updates; the flash is
 * the only part that changes per frame, written into its own preallocated
 * arrays.
 */
export class CasesLayers {
  readonly seen = new FirstSeen()
  /** the mirror row of each drawn case (picking index → row) */
  rows = new Uint32Array(0)
  count = 0
  private pos = new Float32Array(0)
  private colors = new Uint8Array(0)
  private icons = new Uint8Array(0)
  private overduePos = new Float32Array(0)
  private overdueCount = 0
  /** drawn index and first-seen time of the cases still flashing */
  private flashPos = new Float32Array(0)
  private flashAt = new Float64Array(0)
  private flashRadius = new Float32Array(0)
  private flashColors = new Uint8Array(0)
  private flashCount = 0
  private flashFrame = 0
  private flashViews: Record<string, { value: Float32Array | Uint8Array; size: number; normalized?: boolean }> = {}
  private revision = -1
  private version = 0
  private layersCache: Layer[] = []
  /** whether a flash was still running at the last frame */
  flashing = false

  private readonly dispatchSlaMs: (type: string | undefined) => number

  /** `dispatchSlaMs`: the dispatch deadline of a case type */
  constructor(dispatchSlaMs: (type: string | undefined) => number = () => DEFAULT_DISPATCH_SLA_MS) {
    this.dispatchSlaMs = dispatchSlaMs
  }

  /** Repacks when the cases table changed, or always with `force` (deadlines pass with time). */
  update(mirror: LiveMirror, nowMs: number, force = false): boolean {
    const t = mirror.tables.cases
    if (!force && t.revision === this.revision) return false
    this.revision = t.revision
    this.seen.update(`${mirror.epoch}/${mirror.scope}`, t)
    const n = t.count
    this.rows = grownU32(this.rows, n)
    this.pos = grownF32(this.pos, n * 2)
    this.colors = grownU8(this.colors, n * 4)
    this.icons = grownU8(this.icons, n)
    this.overduePos = grownF32(this.overduePos, n * 2)
    this.flashPos = grownF32(this.flashPos, n * 2)
    if (this.flashAt.length < n) this.flashAt = new Float64Array(Math.max(n, this.flashAt.length * 2))
    let m = 0
    let od = 0
    let fl = 0
    const first = this.seen.times
    for (let i = 0; i < n; i++) {
      const s = t.status[i]!
      if (s === CLOSED) continue
      const x = t.pos[2 * i]!
      const y = t.pos[2 * i + 1]!
      const type = t.dict[t.attr[i]!]
      this.rows[m] = i
      this.pos[2 * m] = x
      this.pos[2 * m + 1] = y
      this.colors.set(CASE_COLORS[s] ?? CASE_COLORS[0]!, m * 4)
      this.icons[m] = caseIconOf(type)
      if (caseOverdueFlags(t, i, first[i]!, nowMs, this.dispatchSlaMs(type)) !== 0) {
        this.overduePos[2 * od] = x
        this.overduePos[2 * od + 1] = y
        od++
      }
      if (flashLevel(nowMs - first[i]!) > 0) {
        this.flashPos[2 * fl] = x
        this.flashPos[2 * fl + 1] = y
        this.flashAt[fl] = first[i]!
        fl++
      }
      m++
    }
    this.count = m
    this.overdueCount = od
    this.flashCount = fl
    this.flashRadius = grownF32(this.flashRadius, fl)
    this.flashColors = grownU8(this.flashColors, fl * 4)
    this.flashing = fl > 0
    // views made once per update, not per frame
    this.flashViews = {
      getPosition: { value: this.flashPos.subarray(0, fl * 2), size: 2 },
      getRadius: { value: this.flashRadius.subarray(0, fl), size: 1 },
      getLineColor: { value: this.flashColors.subarray(0, fl * 4), size: 4, normalized: true },
    }
    this.version++
    this.layersCache = []
    return true
  }

  /** The mirror row drawn at a picked index of the icon layer, or -1. */
  rowAt(index: number): number {
    return index >= 0 && index < this.count ? this.rows[index]! : -1
  }

  /** The layers for this frame: only the flash is new per frame, and only while one runs. */
  layers(nowMs: number, symbolScale: number): Layer[] {
    if (this.layersCache.length === 0) this.layersCache = this.staticLayers(symbolScale)
    if (!this.flashing) return this.layersCache
    const flash = this.flashLayer(nowMs, symbolScale)
    return flash ? [...this.layersCache, flash] : this.layersCache
  }

  /** New layer descriptors on the next frame (wall scale changed). */
  invalidate(): void {
    this.layersCache = []
  }

  private staticLayers(scale: number): Layer[] {
    const n = this.count
    const v = this.version
    const position = { value: this.pos.subarray(0, n * 2), size: 2 }
    const out: Layer[] = []
    out.push(
      new ScatterplotLayer({
        id: CASES_BASE_ID,
        data: {
          length: n,
          attributes: {
            getPosition: position,
            getLineColor: { value: this.colors.subarray(0, n * 4), size: 4, normalized: true },
          },
        },
        getFillColor: [5, 13, 26, 220],
        stroked: true,
        lineWidthUnits: 'pixels',
        getLineWidth: 1.5,
        lineWidthScale: scale,
        radiusUnits: 'pixels',
        getRadius: 9,
        radiusScale: scale,
        pickable: false,
        updateTriggers: { getPosition: v, getLineColor: v },
      }),
    )
    if (this.overdueCount > 0) {
      const k = this.overdueCount
      out.push(
        new ScatterplotLayer({
          id: CASES_OVERDUE_ID,
          data: { length: k, attributes: { getPosition: { value: this.overduePos.subarray(0, k * 2), size: 2 } } },
          filled: false,
          stroked: true,
          getLineColor: OVERDUE_COLOR,
          lineWidthUnits: 'pixels',
          getLineWidth: 2.5,
          lineWidthScale: scale,
          radiusUnits: 'pixels',
          getRadius: 13,
          radiusScale: scale,
          pickable: false,
          updateTriggers: { getPosition: v },
        }),
      )
    }
    const icons = this.icons
    out.push(
      new IconLayer({
        id: CASES_LAYER_ID,
        data: {
          length: n,
          attributes: {
            getPosition: position,
            getColor: { value: this.colors.subarray(0, n * 4), size: 4, normalized: true },
          },
        },
        iconAtlas: (iconAtlas() ?? undefined) as never,
        iconMapping: ICON_MAPPING,
        // a constant string per index: no allocation per case
        getIcon: (_: unknown, { index }: { index: number }) => ICON_NAMES[icons[index]!]!,
        sizeUnits: 'pixels',
        getSize: 13,
        sizeScale: scale,
        pickable: true,
        updateTriggers: { getPosition: v, getColor: v, getIcon: v },
      }),
    )
    return out
  }

  private flashLayer(nowMs: number, scale: number): Layer | null {
    const k = this.flashCount
    let live = 0
    for (let f = 0; f < k; f++) {
      const level = flashLevel(nowMs - this.flashAt[f]!)
      if (level > 0) live++
      this.flashRadius[f] = 10 + 26 * (1 - level)
      this.flashColors[f * 4] = 255
      this.flashColors[f * 4 + 1] = 240
      this.flashColors[f * 4 + 2] = 160
      this.flashColors[f * 4 + 3] = Math.round(255 * level)
    }
    this.flashing = live > 0
    if (!this.flashing) return null
    const frame = ++this.flashFrame
    return new ScatterplotLayer({
      id: CASES_FLASH_ID,
      data: {
        length: k,
        attributes: this.flashViews,
      },
      filled: false,
      stroked: true,
      lineWidthUnits: 'pixels',
      getLineWidth: 3,
      lineWidthScale: scale,
      radiusUnits: 'pixels',
      radiusScale: scale,
      pickable: false,
      updateTriggers: { getPosition: this.version, getRadius: frame, getLineColor: frame },
    })
  }
}
