/**
 * The KPI engine: per-unit counters in typed arrays, kept up to date change by change.
 *
 * Every entity's contribution is stored with it (its unit, status, day/hour numbers, overdue
 * flags and the windows it is counted in), so a change is: subtract the stored contribution
 * along the unit's ancestor chain, update the entity, add the new one — O(depth), no allocation.
 * Windowed figures (today, 7 d, 30 d, year) are counters too; when the local day rolls over, only
 * the entities of the days that leave a window are visited (per-day lists). Trends are rings of
 * hourly (26) and daily (32) buckets rotated on the tick. Time-driven transitions (a case becoming
 * overdue, a member going silent, a dispute entering the old backlog) come from a min-heap of
 * deadlines checked in `advance(now)`, never from rescans.
 *
 * `rebuild(…)` computes the same counters from scratch (start-up and consistency checks).
 */
import { FINISHED_STATUSES, KPI_FIELDS, KPI_WINDOWS, STATUS_CODES, type KpiWindow } from '@gridsight/shared'
import type { CameraRow, CaseRow, DisputeRow, MemberRow, StoredChange } from '../db/index.ts'
import { DAY_MS, HOUR_MS, WorkCalendar, ZoneClock } from './calendar.ts'
import type { KpiConfig } from './config.ts'
import { DeadlineHeap } from './deadline-heap.ts'
import { IdSlots } from './id-slots.ts'
import type { UnitTree } from './unit-tree.ts'

const W = KPI_WINDOWS.length
const W_TODAY = 0
const W_7D = 1
const W_30D = 2
const W_YEAR = 3

// Current-state counters per unit.
const C_CAM_TOTAL = 0
const C_CAM_STATUS = 1 // + online 0, offline 1, fault 2
const C_CAM_PUBLIC = 4 // + kind 0 public, 1 social
const C_GRIDS_MEETING = 6
const C_MEM_ON = 7
const C_MEM_OFF = 8
const C_MEM_SILENT = 9
const C_VOID = 10
const C_CASE_STATUS = 11 // + 5 statuses
const C_CASE_OD_DISPATCH = 16
const C_CASE_OD_RESOLVE = 17
const C_CASE_OD_ANY = 18
const C_DISP_STATUS = 19 // + 6 statuses
const C_DISP_OPEN = 25
const C_DISP_OPEN_SUM = 26 // Σ (acceptedAt − BASE) in seconds over open disputes
const C_DISP_OLD = 27
const NC = 28

// Windowed counters per unit and window.
const X_CASE_NEW = 0
const X_CASE_NEW_DONE = 1
const X_CASE_DONE = 2
const X_CASE_HSUM = 3 // Σ handling seconds of the cases resolved in the window
const X_DISP_NEW = 4
const X_DISP_STATUS = 5 // + 6 statuses
const NX = 11

// Trend series.
const S_CASE_NEW = 0
const S_CASE_DONE = 1
const S_DISP_NEW = 2
const S_DISP_DONE = 3
const NS = 4
export const TREND_SERIES = ['casesNew', 'casesResolved', 'disputesNew', 'disputesResolved'] as const
/** hourly ring: H−24 … H+1 */
const RH = 26
/** daily ring: D−30 … D+1 */
const RD = 32

/** handling-time histogram: bin 0 < 1 min, bin k ∈ [1.25^(k−1), 1.25^k) min */
const NB = 58
const LOG_BIN = Math.log(1.25)
const binOf = (minutes: number) => (minutes < 1 ? 0 : Math.min(NB - 1, Math.floor(Math.log(minutes) / LOG_BIN) + 1))
export const binUpperMinutes = (k: number) => Math.pow(1.25, k)

const CASE_OPEN = 3 // status codes < 3 are open; resolved 3, closed 4 are done
const D_RESOLVED = 3
const D_UNRESOLVED = 4
const D_ESCALATED = 5
const dispOpen = (st: number) => st <= 2 || st === D_ESCALATED
const dispDone = (st: number) => st === D_RESOLVED || st === D_UNRESOLVED

// Heap refs: entity index × 4 + kind.
const K_DISPATCH = 0
const K_RESOLVE = 1
const K_SILENT = 2
const K_BACKLOG = 3

const NONE = -2147483648
/** seconds base for sums (exact integers in float64) */
const BASE_MS = Date.UTC(2020, 0, 1)
const sec = (ms: number) => Math.floor((ms - BASE_MS) / 1000)

const CASE_STATUS = STATUS_CODES.cases as readonly string[]
const DISPUTE_STATUS = STATUS_CODES.disputes as readonly string[]
const CAMERA_STATUS = STATUS_CODES.cameras as readonly string[]
const codeOf = (list: readonly string[], s: string) => Math.max(0, list.indexOf(s))

type Typed = Float64Array | Int32Array | Uint8Array | Float32Array
function grow<T extends Typed>(a: T, need: number, fill?: number): T {
  if (a.length >= need) return a
  const b = new (a.constructor as new (n: number) => T)(Math.max(need, a.length * 2, 64))
  if (fill !== undefined) b.fill(fill)
  b.set(a)
  return b
}

/** The change shape the engine reads (AppliedChange fits). */
export interface KpiChangeInput {
  change: StoredChange
}

export interface EntityRows {
  cameras: Iterable<CameraRow>
  members: Iterable<MemberRow>
  cases: Iterable<CaseRow>
  disputes: Iterable<DisputeRow>
}

/** When each case / dispute last entered a done status (from the status events). */
export interface DoneTimes {
  cases: Map<string, number>
  disputes: Map<string, number>
}

/** Done times from status events ordered by (id, ts): the rule the engine applies to live changes. */
export function doneTimesFromEvents(
  kind: 'case' | 'dispute',
  events: Iterable<{ id: string; status: string; ts: number }>,
): Map<string, number> {
  const done: readonly string[] = FINISHED_STATUSES[kind === 'case' ? 'cases' : 'disputes']
  const isDone = (s: string) => done.includes(s)
  const out = new Map<string, number>()
  let id: string | null = null
  let prevDone = false
  for (const e of events) {
    if (e.id !== id) {
      id = e.id
      prevDone = false
    }
    const d = isDone(e.status)
    if (d && !prevDone) out.set(e.id, e.ts)
    else if (!d) out.delete(e.id)
    prevDone = d
  }
  return out
}

export class KpiEngine {
  readonly tree: UnitTree
  readonly config: KpiConfig
  readonly clock: ZoneClock
  readonly calendar: WorkCalendar
  private readonly U: number
  private readonly D: number
  private readonly chain: Int32Array
  private readonly depth: Uint8Array
  private readonly urbanStd: number
  private readonly ruralStd: number
  private readonly silentMs: number
  private readonly backlogMs: number

  // time
  now = -Infinity
  private curDay = NONE
  private curHour = NONE
  private readonly winStart = new Int32Array(W)
  private readonly hourSlot = new Int32Array(RH)
  private readonly daySlot = new Int32Array(RD)

  // per-unit counters
  private ctr!: Float64Array
  private win!: Float64Array
  private hist!: Int32Array
  private cats!: Int32Array
  private catCap = 16
  private trendH!: Int32Array
  private trendD!: Int32Array
  private rateH!: Float32Array
  private rateD!: Float32Array
  private gridMeets!: Uint8Array
  private gridVoid!: Uint8Array

  // dictionaries
  private readonly catIndex = new Map<string, number>()
  readonly categories: string[] = []
  private readonly typeIndex = new Map<string, number>()
  private dispatchMs: number[] = []
  private resolveDays: number[] = []

  // cameras
  private readonly camSlots = new IdSlots()
  private camN = 0
  private camLeaf = new Int32Array(0)
  private camStatus = new Uint8Array(0)
  private camKind = new Uint8Array(0)
  // members
  private readonly memSlots = new IdSlots()
  private memN = 0
  private memLeaf = new Int32Array(0)
  private memOn = new Uint8Array(0)
  private memSilent = new Uint8Array(0)
  private memTs = new Float64Array(0)
  private memSched = new Float64Array(0)
  // cases
  private readonly caseSlots = new IdSlots()
  private caseN = 0
  private caseLeaf = new Int32Array(0)
  private caseStatus = new Uint8Array(0)
  private caseType = new Int32Array(0)
  private caseRep = new Float64Array(0)
  private caseRepDay = new Int32Array(0)
  private caseRepHour = new Int32Array(0)
  private caseDone = new Float64Array(0)
  private caseDoneDay = new Int32Array(0)
  private caseDoneHour = new Int32Array(0)
  private caseHBin = new Uint8Array(0)
  private caseHSec = new Float64Array(0)
  private caseResolveDl = new Float64Array(0)
  private caseFlags = new Uint8Array(0)
  private caseNewMask = new Uint8Array(0)
  private caseDoneMask = new Uint8Array(0)
  private caseNewListed = new Uint8Array(0)
  private caseDoneListed = new Int32Array(0)
  private caseSchedD = new Float64Array(0)
  private caseSchedR = new Float64Array(0)
  // disputes
  private readonly dispSlots = new IdSlots()
  private dispN = 0
  private dispLeaf = new Int32Array(0)
  private dispStatus = new Uint8Array(0)
  private dispCat = new Int32Array(0)
  private dispAcc = new Float64Array(0)
  private dispAccDay = new Int32Array(0)
  private dispAccHour = new Int32Array(0)
  private dispDone = new Float64Array(0)
  private dispDoneDay = new Int32Array(0)
  private dispDoneHour = new Int32Array(0)
  private dispOld = new Uint8Array(0)
  private dispNewMask = new Uint8Array(0)
  private dispListed = new Uint8Array(0)
  private dispSched = new Float64Array(0)

  // per-day lists of entities whose window membership changes when that day leaves a window
  private caseNewByDay = new Map<number, number[]>()
  private caseDoneByDay = new Map<number, number[]>()
  private dispNewByDay = new Map<number, number[]>()

  private readonly heap = new DeadlineHeap()
  /** during a rebuild: contributions go to the entity's own unit only, summed up the tree at the end */
  private bulk = false
  /** during a rebuild: the number of entities of the kind being loaded, to size its columns once */
  private reserve = 0
  private readonly bottomUp: Int32Array

  // changed units since the last drain
  private dirty!: Uint8Array
  private dirtyList: number[] = []

  /**
   * Told whenever a case's overdue bits (1 dispatch, 2 resolve: CASE_FLAGS on the live stream)
   * change outside a rebuild: a deadline passed with time alone (`advance`), or a change moved the
   * case past or out of one. The KPI plugin sends them to the screens; after a rebuild it reads
   * them all with `overdueCases()`.
   */
  onCaseFlags: ((id: string, flags: number) => void) | null = null

  /** figures of every unit at the last local midnight, for rankings' change since yesterday */
  private yesterday: Float64Array | null = null
  yesterdayDay = NONE

  constructor(tree: UnitTree, config: KpiConfig, standards: { urbanPerKm2: number; ruralPerKm2: number }) {
    this.tree = tree
    this.config = config
    this.clock = new ZoneClock(config.timeZone)
    this.calendar = new WorkCalendar(this.clock, config.calendar)
    this.U = tree.n
    this.D = tree.maxDepth
    this.chain = tree.chain
    this.depth = tree.depth
    this.urbanStd = standards.urbanPerKm2
    this.ruralStd = standards.ruralPerKm2
    this.silentMs = config.memberSilentMinutes * 60_000
    this.backlogMs = config.disputeBacklogDays * DAY_MS
    this.bottomUp = Int32Array.from(
      Array.from({ length: tree.n }, (_, u) => u).sort((a, b) => tree.depth[b]! - tree.depth[a]!),
    )
    this.allocUnits()
  }

  private allocUnits(): void {
    const U = this.U
    // a rebuild reuses the arrays: zeroing is cheaper than allocating tens of MB again
    if (this.ctr) {
      for (const arr of [
        this.ctr,
        this.win,
        this.hist,
        this.cats,
        this.trendH,
        this.trendD,
        this.gridMeets,
        this.gridVoid,
      ])
        arr.fill(0)
      this.dirty.fill(0)
    } else {
      this.ctr = new Float64Array(U * NC)
      this.win = new Float64Array(U * W * NX)
      this.hist = new Int32Array(U * W * NB)
      this.cats = new Int32Array(U * W * this.catCap)
      this.trendH = new Int32Array(U * RH * NS)
      this.trendD = new Int32Array(U * RD * NS)
      this.rateH = new Float32Array(U * RH)
      this.rateD = new Float32Array(U * RD)
      this.gridMeets = new Uint8Array(U)
      this.gridVoid = new Uint8Array(U)
      this.dirty = new Uint8Array(U)
    }
    this.rateH.fill(NaN)
    this.rateD.fill(NaN)
    this.dirtyList = []
    // every grid starts with no camera and no member on duty
    for (const g of this.tree.grids) {
      this.gridVoid[g] = 1
      this.gridMeets[g] = this.meets(g) ? 1 : 0
    }
    for (let u = 0; u < U; u++) {
      let voids = 0
      let meeting = 0
      for (let i = u; i < this.tree.end[u]!; i++) {
        voids += this.gridVoid[i]!
        meeting += this.gridMeets[i]!
      }
      this.ctr[u * NC + C_VOID] = voids
      this.ctr[u * NC + C_GRIDS_MEETING] = meeting
    }
  }

  // ---- dictionaries -------------------------------------------------------------------------

  private typeCode(type: string): number {
    let t = this.typeIndex.get(type)
    if (t === undefined) {
      t = this.typeIndex.size
      this.typeIndex.set(type, t)
      const sla = this.config.caseSla.byType[type] ?? this.config.caseSla.default
      this.dispatchMs.push(sla.dispatchMinutes * 60_000)
      this.resolveDays.push(sla.resolveWorkingDays)
    }
    return t
  }

  private catCode(category: string): number {
    let c = this.catIndex.get(category)
    if (c === undefined) {
      c = this.categories.length
      this.catIndex.set(category, c)
      this.categories.push(category)
      if (c >= this.catCap) {
        const cap = this.catCap * 2
        const next = new Int32Array(this.U * W * cap)
        for (let k = 0; k < this.U * W; k++)
          next.set(this.cats.subarray(k * this.catCap, (k + 1) * this.catCap), k * cap)
        this.cats = next
        this.catCap = cap
      }
    }
    return c
  }

  private unitOf(code: string | null): number {
    if (code === null) return -1
    return this.tree.index.get(code) ?? -1
  }

  // ---- time ---------------------------------------------------------------------------------

  private maskOf(day: number): number {
    if (day === NONE) return 0
    let m = 0
    for (let w = 0; w < W; w++) if (day >= this.winStart[w]!) m |= 1 << w
    return m
  }

  private setWindows(day: number): void {
    this.winStart[W_TODAY] = day
    this.winStart[W_7D] = day - 6
    this.winStart[W_30D] = day - 29
    this.winStart[W_YEAR] = this.clock.yearStartDay(day)
  }

  /** Sets the clock without rolling anything: for a rebuild. */
  private startAt(now: number): void {
    this.now = now
    this.curDay = this.clock.day(now)
    this.curHour = this.clock.hour(now)
    this.setWindows(this.curDay)
    for (let h = this.curHour - 24; h <= this.curHour + 1; h++) this.hourSlot[h % RH] = h
    for (let d = this.curDay - 30; d <= this.curDay + 1; d++) this.daySlot[d % RD] = d
  }

  /**
   * Moves the engine's clock to `now`: due deadlines fire (overdue, silent, old backlog), hourly
   * and daily buckets rotate, and at local midnight the windows roll (and yesterday's figures are
   * kept for the rankings). Cost: the due entries and the entities of the days that leave a window.
   */
  advance(now: number): void {
    if (this.curDay === NONE) {
      this.startAt(now)
      return
    }
    if (now <= this.now) return
    this.now = now
    const heap = this.heap
    while (heap.size > 0 && heap.peek() <= now) {
      const t = heap.peek()
      const ref = heap.pop()
      this.fire(ref & 3, ref >> 2, t, now)
    }
    const h = this.clock.hour(now)
    if (h > this.curHour) this.rotateHours(h)
    const d = this.clock.day(now)
    if (d > this.curDay) this.rollDays(d)
  }

  private rotateHours(h: number): void {
    const from = Math.max(this.curHour + 2, h + 2 - RH)
    for (let k = from; k <= h + 1; k++) {
      const slot = k % RH
      this.hourSlot[slot] = k
      for (let u = 0; u < this.U; u++) {
        this.trendH.fill(0, (u * RH + slot) * NS, (u * RH + slot + 1) * NS)
        this.rateH[u * RH + slot] = NaN
      }
    }
    // the rate did not change in the hours without camera changes
    for (let k = Math.max(this.curHour + 1, h + 1 - RH); k <= h; k++) {
      for (let u = 0; u < this.U; u++) this.rateH[u * RH + (k % RH)] = this.onlineRate(u)
    }
    this.curHour = h
  }

  private rollDays(d: number): void {
    // yesterday's figures, before the windows move
    this.yesterday = this.allValues()
    this.yesterdayDay = d - 1
    const from = Math.max(this.curDay + 2, d + 2 - RD)
    for (let k = from; k <= d + 1; k++) {
      const slot = k % RD
      this.daySlot[slot] = k
      for (let u = 0; u < this.U; u++) {
        this.trendD.fill(0, (u * RD + slot) * NS, (u * RD + slot + 1) * NS)
        this.rateD[u * RD + slot] = NaN
      }
    }
    for (let k = Math.max(this.curDay + 1, d + 1 - RD); k <= d; k++) {
      for (let u = 0; u < this.U; u++) this.rateD[u * RD + (k % RD)] = this.onlineRate(u)
    }

    const oldStart = Int32Array.from(this.winStart)
    this.curDay = d
    this.setWindows(d)
    const oldMask = (day: number) => {
      let m = 0
      for (let w = 0; w < W; w++) if (day >= oldStart[w]!) m |= 1 << w
      return m
    }
    const roll = (byDay: Map<number, number[]>, visit: (i: number, day: number, mask: number) => void) => {
      for (const [day, list] of byDay) {
        const next = this.maskOf(day)
        if (next === oldMask(day)) continue
        for (const i of list) visit(i, day, next)
        if (next === 0) byDay.delete(day)
      }
    }
    roll(this.caseNewByDay, (i, day, next) => {
      if (this.caseRepDay[i] !== day) return
      const drop = this.caseNewMask[i]! & ~next
      if (drop) this.caseNewWin(i, drop, -1)
      this.caseNewMask[i] = this.caseNewMask[i]! & next
    })
    roll(this.caseDoneByDay, (i, day, next) => {
      if (this.caseDoneDay[i] !== day) return
      const drop = this.caseDoneMask[i]! & ~next
      if (drop) this.caseDoneWin(i, drop, -1)
      this.caseDoneMask[i] = this.caseDoneMask[i]! & next
    })
    roll(this.dispNewByDay, (i, day, next) => {
      if (this.dispAccDay[i] !== day) return
      const drop = this.dispNewMask[i]! & ~next
      if (drop) this.dispNewWin(i, drop, -1)
      this.dispNewMask[i] = this.dispNewMask[i]! & next
    })
    for (let u = 0; u < this.U; u++) this.markUnit(u)
  }

  // ---- dirty units ----------------------------------------------------------------------------

  private markUnit(u: number): void {
    if (this.dirty[u] === 0) {
      this.dirty[u] = 1
      this.dirtyList.push(u)
    }
  }

  /** The units whose figures changed since the last call. */
  drainChanged(): number[] {
    const list = this.dirtyList
    for (const u of list) this.dirty[u] = 0
    this.dirtyList = []
    return list
  }

  // ---- contributions (sign +1 adds, −1 removes) ---------------------------------------------

  private camAll(i: number, s: number): void {
    const leaf = this.camLeaf[i]!
    if (leaf < 0) return
    const { ctr, chain } = this
    const st = C_CAM_STATUS + this.camStatus[i]!
    const kind = C_CAM_PUBLIC + this.camKind[i]!
    const hs = this.curHour % RH
    const ds = this.curDay % RD
    for (let k = 0, n = this.bulk ? 1 : this.depth[leaf]!; k < n; k++) {
      const a = chain[leaf * this.D + k]!
      const o = a * NC
      ctr[o + C_CAM_TOTAL]! += s
      ctr[o + st]! += s
      ctr[o + kind]! += s
      if (this.bulk) continue
      const rate = this.onlineRate(a)
      this.rateH[a * RH + hs] = rate
      this.rateD[a * RD + ds] = rate
      this.markUnit(a)
    }
    if (!this.bulk && this.tree.level[leaf] === 3) {
      const m = this.meets(leaf) ? 1 : 0
      if (m !== this.gridMeets[leaf]) {
        this.gridMeets[leaf] = m
        this.addChain(leaf, C_GRIDS_MEETING, m ? 1 : -1)
      }
    }
  }

  private memAll(i: number, s: number): void {
    const leaf = this.memLeaf[i]!
    if (leaf < 0) return
    const c = this.memOn[i] ? C_MEM_ON : C_MEM_OFF
    const silent = this.memSilent[i]!
    const { ctr, chain } = this
    for (let k = 0, n = this.bulk ? 1 : this.depth[leaf]!; k < n; k++) {
      const a = chain[leaf * this.D + k]!
      ctr[a * NC + c]! += s
      if (silent) ctr[a * NC + C_MEM_SILENT]! += s
      this.markUnit(a)
    }
    if (!this.bulk && this.tree.level[leaf] === 3) {
      const v = ctr[leaf * NC + C_MEM_ON] === 0 ? 1 : 0
      if (v !== this.gridVoid[leaf]) {
        this.gridVoid[leaf] = v
        this.addChain(leaf, C_VOID, v ? 1 : -1)
      }
    }
  }

  private addChain(leaf: number, c: number, s: number): void {
    for (let k = 0, n = this.bulk ? 1 : this.depth[leaf]!; k < n; k++) {
      const a = this.chain[leaf * this.D + k]!
      this.ctr[a * NC + c]! += s
      this.markUnit(a)
    }
  }

  private caseCur(i: number, s: number): void {
    const leaf = this.caseLeaf[i]!
    if (leaf < 0) return
    const st = C_CASE_STATUS + this.caseStatus[i]!
    const f = this.caseFlags[i]!
    const { ctr, chain } = this
    for (let k = 0, n = this.bulk ? 1 : this.depth[leaf]!; k < n; k++) {
      const a = chain[leaf * this.D + k]!
      const o = a * NC
      ctr[o + st]! += s
      if (f & 1) ctr[o + C_CASE_OD_DISPATCH]! += s
      if (f & 2) ctr[o + C_CASE_OD_RESOLVE]! += s
      if (f) ctr[o + C_CASE_OD_ANY]! += s
      this.markUnit(a)
    }
  }

  private caseNewWin(i: number, mask: number, s: number): void {
    const leaf = this.caseLeaf[i]!
    if (leaf < 0 || mask === 0) return
    const done = this.caseStatus[i]! >= CASE_OPEN
    const { win, chain } = this
    for (let k = 0, n = this.bulk ? 1 : this.depth[leaf]!; k < n; k++) {
      const a = chain[leaf * this.D + k]!
      for (let w = 0; w < W; w++) {
        if ((mask & (1 << w)) === 0) continue
        const o = (a * W + w) * NX
        win[o + X_CASE_NEW]! += s
        if (done) win[o + X_CASE_NEW_DONE]! += s
      }
      this.markUnit(a)
    }
  }

  private caseDoneWin(i: number, mask: number, s: number): void {
    const leaf = this.caseLeaf[i]!
    if (leaf < 0 || mask === 0) return
    const hsec = this.caseHSec[i]!
    const bin = this.caseHBin[i]!
    const { win, hist, chain } = this
    for (let k = 0, n = this.bulk ? 1 : this.depth[leaf]!; k < n; k++) {
      const a = chain[leaf * this.D + k]!
      for (let w = 0; w < W; w++) {
        if ((mask & (1 << w)) === 0) continue
        const o = (a * W + w) * NX
        win[o + X_CASE_DONE]! += s
        win[o + X_CASE_HSUM]! += s * hsec
        hist[(a * W + w) * NB + bin]! += s
      }
      this.markUnit(a)
    }
  }

  private trend(leaf: number, hour: number, day: number, series: number, s: number): void {
    const hs = hour === NONE ? -1 : hour % RH
    const ds = day === NONE ? -1 : day % RD
    const inH = hs >= 0 && this.hourSlot[hs] === hour
    const inD = ds >= 0 && this.daySlot[ds] === day
    if (!inH && !inD) return
    for (let k = 0, n = this.bulk ? 1 : this.depth[leaf]!; k < n; k++) {
      const a = this.chain[leaf * this.D + k]!
      if (inH) this.trendH[(a * RH + hs) * NS + series]! += s
      if (inD) this.trendD[(a * RD + ds) * NS + series]! += s
    }
  }

  private caseTrend(i: number, s: number): void {
    const leaf = this.caseLeaf[i]!
    if (leaf < 0) return
    this.trend(leaf, this.caseRepHour[i]!, this.caseRepDay[i]!, S_CASE_NEW, s)
    if (this.caseStatus[i]! >= CASE_OPEN) this.trend(leaf, this.caseDoneHour[i]!, this.caseDoneDay[i]!, S_CASE_DONE, s)
  }

  private dispCur(i: number, s: number): void {
    const leaf = this.dispLeaf[i]!
    if (leaf < 0) return
    const stc = this.dispStatus[i]!
    const open = dispOpen(stc)
    const accSec = sec(this.dispAcc[i]!)
    const old = this.dispOld[i]!
    const { ctr, chain } = this
    for (let k = 0, n = this.bulk ? 1 : this.depth[leaf]!; k < n; k++) {
      const a = chain[leaf * this.D + k]!
      const o = a * NC
      ctr[o + C_DISP_STATUS + stc]! += s
      if (open) {
        ctr[o + C_DISP_OPEN]! += s
        ctr[o + C_DISP_OPEN_SUM]! += s * accSec
      }
      if (old) ctr[o + C_DISP_OLD]! += s
      this.markUnit(a)
    }
  }

  private dispNewWin(i: number, mask: number, s: number): void {
    const leaf = this.dispLeaf[i]!
    if (leaf < 0 || mask === 0) return
    const st = X_DISP_STATUS + this.dispStatus[i]!
    const cat = this.dispCat[i]!
    const { win, cats, chain, catCap } = this
    for (let k = 0, n = this.bulk ? 1 : this.depth[leaf]!; k < n; k++) {
      const a = chain[leaf * this.D + k]!
      for (let w = 0; w < W; w++) {
        if ((mask & (1 << w)) === 0) continue
        const o = (a * W + w) * NX
        win[o + X_DISP_NEW]! += s
        win[o + st]! += s
        cats[(a * W + w) * catCap + cat]! += s
      }
      this.markUnit(a)
    }
  }

  private dispTrend(i: number, s: number): void {
    const leaf = this.dispLeaf[i]!
    if (leaf < 0) return
    this.trend(leaf, this.dispAccHour[i]!, this.dispAccDay[i]!, S_DISP_NEW, s)
    if (this.dispStatus[i] === D_RESOLVED) this.trend(leaf, this.dispDoneHour[i]!, this.dispDoneDay[i]!, S_DISP_DONE, s)
  }

  private meets(g: number): boolean {
    const area = this.tree.area[g]!
    if (!(area > 0)) return false
    const std = this.tree.urban[g] ? this.urbanStd : this.ruralStd
    return this.ctr[g * NC + C_CAM_TOTAL]! / area >= std
  }

  private onlineRate(u: number): number {
    const total = this.ctr[u * NC + C_CAM_TOTAL]!
    return total > 0 ? this.ctr[u * NC + C_CAM_STATUS]! / total : NaN
  }

  // ---- deadlines ------------------------------------------------------------------------------

  private fire(kind: number, i: number, t: number, now: number): void {
    switch (kind) {
      case K_DISPATCH:
        if (this.caseSchedD[i] === t) this.caseSchedD[i] = Infinity
        this.checkDispatch(i, now)
        break
      case K_RESOLVE:
        if (this.caseSchedR[i] === t) this.caseSchedR[i] = Infinity
        this.checkResolve(i, now)
        break
      case K_SILENT:
        if (this.memSched[i] === t) this.memSched[i] = Infinity
        this.checkSilent(i, now)
        break
      case K_BACKLOG:
        if (this.dispSched[i] === t) this.dispSched[i] = Infinity
        this.checkBacklog(i, now)
        break
    }
  }

  /** Sets the dispatch-overdue flag when due, else makes sure a heap entry will look again. */
  private checkDispatch(i: number, now: number): void {
    if (this.caseFlags[i]! & 1 || this.caseStatus[i] !== 0) return
    const d = this.caseRep[i]! + this.dispatchMs[this.caseType[i]!]!
    if (d <= now) {
      this.caseCur(i, -1)
      this.caseFlags[i] = this.caseFlags[i]! | 1
      this.caseCur(i, 1)
      this.flagsChanged(i)
    } else if (d < this.caseSchedD[i]!) {
      this.caseSchedD[i] = d
      this.heap.push(d, i * 4 + K_DISPATCH)
    }
  }

  private checkResolve(i: number, now: number): void {
    if (this.caseFlags[i]! & 2 || this.caseStatus[i]! >= CASE_OPEN) return
    const d = this.caseResolveDl[i]!
    if (d <= now) {
      this.caseCur(i, -1)
      this.caseFlags[i] = this.caseFlags[i]! | 2
      this.caseCur(i, 1)
      this.flagsChanged(i)
    } else if (d < this.caseSchedR[i]!) {
      this.caseSchedR[i] = d
      this.heap.push(d, i * 4 + K_RESOLVE)
    }
  }

  private flagsChanged(i: number): void {
    if (!this.bulk) this.onCaseFlags?.(this.caseSlots.idAt(i), this.caseFlags[i]!)
  }

  /** Every case past a deadline with its bits (1 dispatch, 2 resolve), e.g. after a rebuild. */
  *overdueCases(): Generator<[id: string, flags: number]> {
    for (let i = 0; i < this.caseN; i++) if (this.caseFlags[i] !== 0) yield [this.caseSlots.idAt(i), this.caseFlags[i]!]
  }

  private checkSilent(i: number, now: number): void {
    if (this.memSilent[i] || !this.memOn[i]) return
    const d = this.memTs[i]! + this.silentMs
    if (d <= now) {
      this.memAll(i, -1)
      this.memSilent[i] = 1
      this.memAll(i, 1)
    } else if (d < this.memSched[i]!) {
      this.memSched[i] = d
      this.heap.push(d, i * 4 + K_SILENT)
    }
  }

  private checkBacklog(i: number, now: number): void {
    if (this.dispOld[i] || !dispOpen(this.dispStatus[i]!)) return
    const d = this.dispAcc[i]! + this.backlogMs
    if (d <= now) {
      this.dispCur(i, -1)
      this.dispOld[i] = 1
      this.dispCur(i, 1)
    } else if (d < this.dispSched[i]!) {
      this.dispSched[i] = d
      this.heap.push(d, i * 4 + K_BACKLOG)
    }
  }

  // ---- entities -------------------------------------------------------------------------------

  /** Applies committed changes (in commit order) at time `now`. */
  apply(applied: readonly KpiChangeInput[], now: number): void {
    this.advance(now)
    const t = this.now
    for (let k = 0; k < applied.length; k++) {
      const c = applied[k]!.change
      switch (c.kind) {
        case 'camera':
          this.putCamera(c.row)
          break
        case 'member':
          this.putMember(c.row, t)
          break
        case 'case':
          this.putCase(c.row, t, undefined)
          break
        case 'dispute':
          this.putDispute(c.row, t, undefined)
          break
      }
    }
  }

  private putCamera(row: CameraRow, fresh = false, leaf = -1): void {
    let i = fresh ? undefined : this.camSlots.get(row.id)
    if (i === undefined) {
      i = this.camSlots.add(row.id)
      this.camN++
      if (this.camLeaf.length <= i) {
        const n = Math.max(i + 1, this.reserve)
        this.camLeaf = grow(this.camLeaf, n)
        this.camStatus = grow(this.camStatus, n)
        this.camKind = grow(this.camKind, n)
      }
    } else this.camAll(i, -1)
    this.camLeaf[i] = fresh ? leaf : this.unitOf(row.gridCode)
    this.camStatus[i] = codeOf(CAMERA_STATUS, row.status)
    this.camKind[i] = row.kind === 'social' ? 1 : 0
    this.camAll(i, 1)
  }

  private putMember(row: MemberRow, now: number, fresh = false, leaf = -1): void {
    let i = fresh ? undefined : this.memSlots.get(row.id)
    if (i === undefined) {
      i = this.memSlots.add(row.id)
      this.memN++
      if (this.memLeaf.length <= i) {
        const n = Math.max(i + 1, this.reserve)
        this.memLeaf = grow(this.memLeaf, n)
        this.memOn = grow(this.memOn, n)
        this.memSilent = grow(this.memSilent, n)
        this.memTs = grow(this.memTs, n)
        this.memSched = grow(this.memSched, n, Infinity)
      }
      this.memSched[i] = Infinity
    } else this.memAll(i, -1)
    this.memLeaf[i] = fresh ? leaf : this.unitOf(row.gridCode)
    this.memOn[i] = row.onDuty ? 1 : 0
    this.memTs[i] = row.ts
    this.memSilent[i] = row.onDuty && row.ts + this.silentMs <= now ? 1 : 0
    this.memAll(i, 1)
    this.checkSilent(i, now)
  }

  /** @param id null: the slot's id is already held (adopted by a recompute) */
  private newCase(id: string | null): number {
    const i = id === null ? this.caseN : this.caseSlots.add(id)
    this.caseN++
    if (this.caseLeaf.length <= i) {
      const n = Math.max(i + 1, this.reserve)
      this.caseLeaf = grow(this.caseLeaf, n)
      this.caseStatus = grow(this.caseStatus, n)
      this.caseType = grow(this.caseType, n)
      this.caseRep = grow(this.caseRep, n)
      this.caseRepDay = grow(this.caseRepDay, n)
      this.caseRepHour = grow(this.caseRepHour, n)
      this.caseDone = grow(this.caseDone, n)
      this.caseDoneDay = grow(this.caseDoneDay, n)
      this.caseDoneHour = grow(this.caseDoneHour, n)
      this.caseHBin = grow(this.caseHBin, n)
      this.caseHSec = grow(this.caseHSec, n)
      this.caseResolveDl = grow(this.caseResolveDl, n)
      this.caseFlags = grow(this.caseFlags, n)
      this.caseNewMask = grow(this.caseNewMask, n)
      this.caseDoneMask = grow(this.caseDoneMask, n)
      this.caseNewListed = grow(this.caseNewListed, n)
      this.caseDoneListed = grow(this.caseDoneListed, n)
      this.caseSchedD = grow(this.caseSchedD, n)
      this.caseSchedR = grow(this.caseSchedR, n)
    }
    this.caseType[i] = -1
    this.caseRep[i] = NaN
    this.caseDone[i] = NaN
    this.caseNewListed[i] = 0
    this.caseDoneListed[i] = NONE
    this.caseSchedD[i] = Infinity
    this.caseSchedR[i] = Infinity
    this.caseFlags[i] = 0
    return i
  }

  /** @param doneAt for a rebuild: when the case last entered resolved/closed; undefined: from the change */
  private putCase(row: CaseRow, now: number, doneAt: number | undefined, fresh = false, leaf = -1): void {
    let i = fresh ? undefined : this.caseSlots.get(row.id)
    let wasDone = false
    if (i === undefined) i = this.newCase(row.id)
    else {
      wasDone = this.caseStatus[i]! >= CASE_OPEN
      this.caseCur(i, -1)
      this.caseNewWin(i, this.caseNewMask[i]!, -1)
      this.caseDoneWin(i, this.caseDoneMask[i]!, -1)
      this.caseTrend(i, -1)
    }
    const st = codeOf(CASE_STATUS, row.status)
    const leafNow = fresh ? leaf : this.unitOf(row.gridCode)
    const doneTs = st < CASE_OPEN ? NaN : doneAt !== undefined ? doneAt : wasDone ? this.caseDone[i]! : row.ts
    this.setCase(i, st, this.typeCode(row.type), row.reportedAt, leafNow, doneTs, now)
  }

  /** Sets case i (its old contribution already removed) and adds its contribution. */
  private setCase(i: number, st: number, type: number, reportedAt: number, leaf: number, doneTs: number, now: number) {
    const done = st >= CASE_OPEN
    if (type !== this.caseType[i] || reportedAt !== this.caseRep[i]) {
      this.caseType[i] = type
      this.caseRep[i] = reportedAt
      this.caseRepDay[i] = this.clock.day(reportedAt)
      this.caseRepHour[i] = this.clock.hour(reportedAt)
      this.caseResolveDl[i] = this.calendar.addWorkingTime(reportedAt, this.resolveDays[type]!)
    }
    this.caseLeaf[i] = leaf
    this.caseStatus[i] = st
    this.caseDone[i] = doneTs
    if (done) {
      this.caseDoneDay[i] = this.clock.day(doneTs)
      this.caseDoneHour[i] = this.clock.hour(doneTs)
      const hsec = Math.max(0, Math.floor((doneTs - reportedAt) / 1000))
      this.caseHSec[i] = hsec
      this.caseHBin[i] = binOf(hsec / 60)
    } else {
      this.caseDoneDay[i] = NONE
      this.caseDoneHour[i] = NONE
    }
    let f = 0
    if (st === 0 && reportedAt + this.dispatchMs[type]! <= now) f |= 1
    if (!done && this.caseResolveDl[i]! <= now) f |= 2
    const flagsBefore = this.caseFlags[i]!
    this.caseFlags[i] = f
    const nm = this.maskOf(this.caseRepDay[i]!)
    const dm = done ? this.maskOf(this.caseDoneDay[i]!) : 0
    this.caseNewMask[i] = nm
    this.caseDoneMask[i] = dm
    if (nm !== 0 && this.caseNewListed[i] === 0) {
      this.caseNewListed[i] = 1
      this.listAdd(this.caseNewByDay, this.caseRepDay[i]!, i)
    }
    if (dm !== 0 && this.caseDoneListed[i] !== this.caseDoneDay[i]) {
      this.caseDoneListed[i] = this.caseDoneDay[i]!
      this.listAdd(this.caseDoneByDay, this.caseDoneDay[i]!, i)
    }
    this.caseCur(i, 1)
    this.caseNewWin(i, nm, 1)
    this.caseDoneWin(i, dm, 1)
    this.caseTrend(i, 1)
    if (f !== flagsBefore) this.flagsChanged(i)
    this.checkDispatch(i, now)
    this.checkResolve(i, now)
  }

  private listAdd(byDay: Map<number, number[]>, day: number, i: number): void {
    const list = byDay.get(day)
    if (list) list.push(i)
    else byDay.set(day, [i])
  }

  private newDispute(id: string | null): number {
    const i = id === null ? this.dispN : this.dispSlots.add(id)
    this.dispN++
    if (this.dispLeaf.length <= i) {
      const n = Math.max(i + 1, this.reserve)
      this.dispLeaf = grow(this.dispLeaf, n)
      this.dispStatus = grow(this.dispStatus, n)
      this.dispCat = grow(this.dispCat, n)
      this.dispAcc = grow(this.dispAcc, n)
      this.dispAccDay = grow(this.dispAccDay, n)
      this.dispAccHour = grow(this.dispAccHour, n)
      this.dispDone = grow(this.dispDone, n)
      this.dispDoneDay = grow(this.dispDoneDay, n)
      this.dispDoneHour = grow(this.dispDoneHour, n)
      this.dispOld = grow(this.dispOld, n)
      this.dispNewMask = grow(this.dispNewMask, n)
      this.dispListed = grow(this.dispListed, n)
      this.dispSched = grow(this.dispSched, n)
    }
    this.dispAcc[i] = NaN
    this.dispDone[i] = NaN
    this.dispListed[i] = 0
    this.dispSched[i] = Infinity
    return i
  }

  private putDispute(row: DisputeRow, now: number, doneAt: number | undefined, fresh = false, leaf = -1): void {
    let i = fresh ? undefined : this.dispSlots.get(row.id)
    let wasDone = false
    if (i === undefined) i = this.newDispute(row.id)
    else {
      wasDone = dispDone(this.dispStatus[i]!)
      this.dispCur(i, -1)
      this.dispNewWin(i, this.dispNewMask[i]!, -1)
      this.dispTrend(i, -1)
    }
    const st = codeOf(DISPUTE_STATUS, row.status)
    const leafNow = fresh ? leaf : this.unitOf(row.gridCode)
    const doneTs = !dispDone(st) ? NaN : doneAt !== undefined ? doneAt : wasDone ? this.dispDone[i]! : row.ts
    this.setDispute(i, st, this.catCode(row.category), row.acceptedAt, leafNow, doneTs, now)
  }

  /** Sets dispute i (its old contribution already removed) and adds its contribution. */
  private setDispute(
    i: number,
    st: number,
    cat: number,
    acceptedAt: number,
    leaf: number,
    doneTs: number,
    now: number,
  ) {
    const done = dispDone(st)
    if (acceptedAt !== this.dispAcc[i]) {
      this.dispAcc[i] = acceptedAt
      this.dispAccDay[i] = this.clock.day(acceptedAt)
      this.dispAccHour[i] = this.clock.hour(acceptedAt)
    }
    this.dispLeaf[i] = leaf
    this.dispStatus[i] = st
    this.dispCat[i] = cat
    this.dispDone[i] = doneTs
    this.dispDoneDay[i] = done ? this.clock.day(doneTs) : NONE
    this.dispDoneHour[i] = done ? this.clock.hour(doneTs) : NONE
    this.dispOld[i] = dispOpen(st) && acceptedAt + this.backlogMs <= now ? 1 : 0
    const nm = this.maskOf(this.dispAccDay[i]!)
    this.dispNewMask[i] = nm
    if (nm !== 0 && this.dispListed[i] === 0) {
      this.dispListed[i] = 1
      this.listAdd(this.dispNewByDay, this.dispAccDay[i]!, i)
    }
    this.dispCur(i, 1)
    this.dispNewWin(i, nm, 1)
    this.dispTrend(i, 1)
    this.checkBacklog(i, now)
  }

  /**
   * The full recompute: forgets everything and counts the given state at `now`. `done` holds when
   * each case/dispute last entered a done status (from the database's status events).
   */
  rebuild(rows: EntityRows, done: DoneTimes, now: number): void {
    this.allocUnits()
    for (const m of [this.caseNewByDay, this.caseDoneByDay, this.dispNewByDay]) m.clear()
    this.heap.clear()
    for (const slots of [this.camSlots, this.memSlots, this.caseSlots, this.dispSlots]) slots.clear()
    this.camN = this.memN = this.caseN = this.dispN = 0
    this.yesterday = null
    this.yesterdayDay = NONE
    this.curDay = NONE
    this.startAt(now)
    this.bulk = true
    try {
      // Rows come from maps keyed by id: unique, so each takes a new slot without a look-up. Slots
      // are handed out in unit order (a counting sort on the leaf unit), so the per-unit counters
      // and the entity columns are written front to back instead of at random.
      const cams = this.byLeaf(rows.cameras)
      this.reserve = cams.rows.length
      for (let k = 0; k < cams.rows.length; k++) this.putCamera(cams.rows[cams.order[k]!]!, true, cams.leafOf(k))
      const mems = this.byLeaf(rows.members)
      this.reserve = mems.rows.length
      for (let k = 0; k < mems.rows.length; k++) this.putMember(mems.rows[mems.order[k]!]!, now, true, mems.leafOf(k))
      // A done time is never later than the row's last change. One before every window and trend
      // bucket counts nowhere, now or later (time only moves on), so such rows skip the look-up.
      const ringStart = this.clock.dayStart(this.curDay - (RD - 2))
      const caseFrom = Math.min(ringStart, this.clock.dayStart(this.winStart[W_YEAR]!))
      // Cases and disputes, the many: one pass in the rows' own order (the done-time look-ups
      // then follow the done maps' order too) writes compact columns at their place in unit
      // order; the counting pass then reads only those columns, front to back.
      {
        const rs = Array.isArray(rows.cases) ? (rows.cases as CaseRow[]) : Array.from(rows.cases)
        const { dest, leaf } = this.leafOrder(rs)
        const n = rs.length
        const ids: string[] = new Array<string>(n)
        const st = new Uint8Array(n)
        const type = new Int32Array(n)
        const rep = new Float64Array(n)
        const dt = new Float64Array(n)
        for (let k = 0; k < n; k++) {
          const r = rs[k]!
          const at = dest[k]!
          const s = codeOf(CASE_STATUS, r.status)
          ids[at] = r.id
          st[at] = s
          type[at] = this.typeCode(r.type)
          rep[at] = r.reportedAt
          dt[at] = s < CASE_OPEN ? NaN : r.ts < caseFrom ? r.ts : (done.cases.get(r.id) ?? r.ts)
        }
        this.reserve = n
        this.caseSlots.adopt(ids)
        for (let k = 0; k < n; k++) this.setCase(this.newCase(null), st[k]!, type[k]!, rep[k]!, leaf[k]!, dt[k]!, now)
      }
      {
        const rs = Array.isArray(rows.disputes) ? (rows.disputes as DisputeRow[]) : Array.from(rows.disputes)
        const { dest, leaf } = this.leafOrder(rs)
        const n = rs.length
        const ids: string[] = new Array<string>(n)
        const st = new Uint8Array(n)
        const cat = new Int32Array(n)
        const acc = new Float64Array(n)
        const dt = new Float64Array(n)
        for (let k = 0; k < n; k++) {
          const r = rs[k]!
          const at = dest[k]!
          const s = codeOf(DISPUTE_STATUS, r.status)
          ids[at] = r.id
          st[at] = s
          cat[at] = this.catCode(r.category)
          acc[at] = r.acceptedAt
          // disputes count their done time in the trends only (windows go by acceptance day)
          dt[at] = !dispDone(s) ? NaN : r.ts < ringStart ? r.ts : (done.disputes.get(r.id) ?? r.ts)
        }
        this.reserve = n
        this.dispSlots.adopt(ids)
        for (let k = 0; k < n; k++) {
          this.setDispute(this.newDispute(null), st[k]!, cat[k]!, acc[k]!, leaf[k]!, dt[k]!, now)
        }
      }
      this.rollUp()
    } finally {
      this.bulk = false
      this.reserve = 0
    }
    // history of the online rate is not in the state: only the current buckets are known
    for (let u = 0; u < this.U; u++) {
      this.rateH[u * RH + (this.curHour % RH)] = this.onlineRate(u)
      this.rateD[u * RD + (this.curDay % RD)] = this.onlineRate(u)
    }
    this.drainChanged()
  }

  /** epoch ms from which `restoreRateHistory` needs camera transitions (the first daily bucket) */
  rateHistoryStart(): number {
    return this.clock.dayStart(this.curDay - 29)
  }

  /**
   * The online-rate history after a restart: the rate of every unit at the end of each past hourly
   * (24 h) and daily (30 d) bucket, replayed from the stored camera status transitions. `before`:
   * each camera's last status before `rateHistoryStart()` (cameras without one did not exist yet);
   * `after`: the transitions from then on, ascending ts. Cameras count in their current unit; the
   * current buckets keep the live rate. Call after `rebuild`.
   */
  restoreRateHistory(
    before: readonly { id: string; status: string; ts: number }[],
    after: readonly { id: string; status: string; ts: number }[],
  ): void {
    const U = this.U
    const on = new Int32Array(U)
    const total = new Int32Array(U)
    const state = new Map<string, { leaf: number; st: number }>()
    const set = (id: string, status: string) => {
      let c = state.get(id)
      if (c === undefined) {
        const i = this.camSlots.get(id)
        const leaf = i === undefined ? -1 : this.camLeaf[i]!
        c = { leaf, st: -1 }
        state.set(id, c)
      }
      if (c.leaf < 0) return
      if (c.st >= 0) {
        total[c.leaf]!--
        if (c.st === 0) on[c.leaf]!--
      }
      c.st = codeOf(CAMERA_STATUS, status)
      total[c.leaf]!++
      if (c.st === 0) on[c.leaf]!++
    }
    for (const e of before) set(e.id, e.status)
    // bucket ends, ascending: a transition at or after a bucket's end belongs to later buckets
    const samples: { end: number; hour: boolean; k: number }[] = []
    for (let h = this.curHour - 23; h < this.curHour; h++)
      samples.push({ end: this.clock.hourStart(h + 1), hour: true, k: h })
    for (let d = this.curDay - 29; d < this.curDay; d++)
      samples.push({ end: this.clock.dayStart(d + 1), hour: false, k: d })
    samples.sort((a, b) => a.end - b.end || Number(a.hour) - Number(b.hour))
    const uOn = new Int32Array(U)
    const uTotal = new Int32Array(U)
    let j = 0
    for (const s of samples) {
      while (j < after.length && after[j]!.ts < s.end) {
        set(after[j]!.id, after[j]!.status)
        j++
      }
      uOn.fill(0)
      uTotal.fill(0)
      for (let g = 0; g < U; g++) {
        if (total[g] === 0) continue
        for (let k = 0, n = this.depth[g]!; k < n; k++) {
          const a = this.chain[g * this.D + k]!
          uOn[a]! += on[g]!
          uTotal[a]! += total[g]!
        }
      }
      const rate = s.hour ? this.rateH : this.rateD
      const R = s.hour ? RH : RD
      const slots = s.hour ? this.hourSlot : this.daySlot
      const slot = s.k % R
      if (slots[slot] !== s.k) continue
      for (let u = 0; u < U; u++) rate[u * R + slot] = uTotal[u]! > 0 ? uOn[u]! / uTotal[u]! : NaN
    }
  }

  /** Counting sort on the leaf unit (unknown units first): row k goes to `dest[k]`; `leaf` is in sorted order. */
  private leafOrder(rows: readonly { gridCode: string | null }[]): { dest: Int32Array; leaf: Int32Array } {
    const n = rows.length
    const dest = new Int32Array(n)
    const start = new Int32Array(this.U + 2)
    for (let k = 0; k < n; k++) {
      const u = this.unitOf(rows[k]!.gridCode)
      dest[k] = u
      start[u + 2]!++
    }
    for (let u = 1; u < start.length; u++) start[u]! += start[u - 1]!
    const leaf = new Int32Array(n)
    for (let k = 0; k < n; k++) {
      const u = dest[k]!
      const at = start[u + 1]!++
      dest[k] = at
      leaf[at] = u
    }
    return { dest, leaf }
  }

  /** Rows sorted by leaf unit (counting sort; unknown units first): `rows[order[k]]` has unit `leafOf(k)`. */
  private byLeaf<T extends { gridCode: string | null }>(
    input: Iterable<T>,
    extraOf?: (row: T) => number,
  ): { rows: T[]; order: Int32Array; leafOf: (k: number) => number; extra: Float64Array } {
    const rows = Array.isArray(input) ? (input as T[]) : Array.from(input)
    const n = rows.length
    const leaf = new Int32Array(n)
    const extra = new Float64Array(extraOf ? n : 0)
    const start = new Int32Array(this.U + 2)
    for (let k = 0; k < n; k++) {
      const row = rows[k]!
      const u = this.unitOf(row.gridCode)
      leaf[k] = u
      start[u + 2]!++
      if (extraOf) extra[k] = extraOf(row)
    }
    for (let u = 1; u < start.length; u++) start[u]! += start[u - 1]!
    const order = new Int32Array(n)
    const sortedLeaf = new Int32Array(n)
    for (let k = 0; k < n; k++) {
      const u = leaf[k]!
      const at = start[u + 1]!++
      order[at] = k
      sortedLeaf[at] = u
    }
    return { rows, order, leafOf: (k) => sortedLeaf[k]!, extra }
  }

  /** After a bulk load: grid flags from the grids' own counts, then every unit's counters into its parent. */
  private rollUp(): void {
    const { ctr } = this
    for (let u = 0; u < this.U; u++) {
      ctr[u * NC + C_VOID] = 0
      ctr[u * NC + C_GRIDS_MEETING] = 0
    }
    for (const g of this.tree.grids) {
      this.gridMeets[g] = this.meets(g) ? 1 : 0
      this.gridVoid[g] = ctr[g * NC + C_MEM_ON] === 0 ? 1 : 0
      ctr[g * NC + C_GRIDS_MEETING] = this.gridMeets[g]!
      ctr[g * NC + C_VOID] = this.gridVoid[g]!
    }
    // one loop per array: each stays monomorphic (Float64Array or Int32Array)
    const bottomUp = this.bottomUp
    const parent = (u: number) => (this.depth[u]! < 2 ? -1 : this.chain[u * this.D + 1]!)
    const addF = (a: Float64Array, n: number) => {
      for (let j = 0; j < bottomUp.length; j++) {
        const u = bottomUp[j]!
        const p = parent(u)
        if (p < 0) continue
        const ou = u * n
        const op = p * n
        for (let k = 0; k < n; k++) a[op + k]! += a[ou + k]!
      }
    }
    const addI = (a: Int32Array, n: number) => {
      for (let j = 0; j < bottomUp.length; j++) {
        const u = bottomUp[j]!
        const p = parent(u)
        if (p < 0) continue
        const ou = u * n
        const op = p * n
        for (let k = 0; k < n; k++) a[op + k]! += a[ou + k]!
      }
    }
    addF(this.ctr, NC)
    addF(this.win, W * NX)
    addI(this.hist, W * NB)
    addI(this.cats, W * this.catCap)
    addI(this.trendH, RH * NS)
    addI(this.trendD, RD * NS)
  }

  /** Builds the id → slot maps now (the incremental path otherwise builds each on its first change). */
  indexIds(): void {
    for (const slots of [this.camSlots, this.memSlots, this.caseSlots, this.dispSlots]) slots.get('')
  }

  get entityCounts(): { cameras: number; members: number; cases: number; disputes: number; heap: number } {
    return { cameras: this.camN, members: this.memN, cases: this.caseN, disputes: this.dispN, heap: this.heap.size }
  }

  // ---- figures --------------------------------------------------------------------------------

  /** The live figures of a unit, in KPI_FIELDS order (NaN where undefined). */
  values(u: number, out: Float64Array = new Float64Array(KPI_FIELDS.length), at = 0): Float64Array {
    const c = this.ctr
    const o = u * NC
    const total = c[o + C_CAM_TOTAL]!
    const online = c[o + C_CAM_STATUS]!
    const area = this.tree.area[u]!
    const std = this.tree.urban[u] ? this.urbanStd : this.ruralStd
    const density = area > 0 ? total / area : NaN
    let j = at
    out[j++] = total
    out[j++] = online
    out[j++] = c[o + C_CAM_STATUS + 1]!
    out[j++] = c[o + C_CAM_STATUS + 2]!
    out[j++] = c[o + C_CAM_PUBLIC]!
    out[j++] = c[o + C_CAM_PUBLIC + 1]!
    out[j++] = density
    out[j++] = area > 0 ? online / area : NaN
    out[j++] = std
    out[j++] = std > 0 ? density / std : NaN
    out[j++] = density === density ? (density < std ? 1 : 0) : NaN
    out[j++] = total > 0 ? online / total : NaN
    out[j++] = this.tree.gridCount[u]!
    out[j++] = c[o + C_GRIDS_MEETING]!
    out[j++] = c[o + C_MEM_ON]!
    out[j++] = c[o + C_MEM_OFF]!
    out[j++] = c[o + C_MEM_SILENT]!
    out[j++] = c[o + C_VOID]!
    const rep = c[o + C_CASE_STATUS]!
    const dis = c[o + C_CASE_STATUS + 1]!
    const han = c[o + C_CASE_STATUS + 2]!
    out[j++] = rep
    out[j++] = dis
    out[j++] = han
    out[j++] = rep + dis + han
    out[j++] = c[o + C_CASE_OD_DISPATCH]!
    out[j++] = c[o + C_CASE_OD_RESOLVE]!
    out[j++] = c[o + C_CASE_OD_ANY]!
    const open = c[o + C_DISP_OPEN]!
    out[j++] = open
    out[j++] = c[o + C_DISP_STATUS + D_ESCALATED]!
    out[j++] = open > 0 ? BASE_MS + (c[o + C_DISP_OPEN_SUM]! / open) * 1000 : NaN
    out[j++] = c[o + C_DISP_OLD]!
    for (let w = 0; w < W; w++) {
      const x = (u * W + w) * NX
      const n = this.win[x + X_CASE_NEW]!
      const d = this.win[x + X_CASE_DONE]!
      out[j++] = n
      out[j++] = d
      out[j++] = n > 0 ? this.win[x + X_CASE_NEW_DONE]! / n : NaN
      out[j++] = d > 0 ? this.win[x + X_CASE_HSUM]! / d / 60 : NaN
      out[j++] = this.p90(u, w)
    }
    for (let w = 0; w < W; w++) {
      const x = (u * W + w) * NX
      const res = this.win[x + X_DISP_STATUS + D_RESOLVED]!
      const unres = this.win[x + X_DISP_STATUS + D_UNRESOLVED]!
      out[j++] = this.win[x + X_DISP_NEW]!
      out[j++] = res
      out[j++] = unres
      out[j++] = this.win[x + X_DISP_STATUS + D_ESCALATED]!
      out[j++] = res + unres > 0 ? res / (res + unres) : NaN
    }
    return out
  }

  /** p90 handling time (minutes, the upper edge of its 25 % bin) of the cases resolved in window w */
  private p90(u: number, w: number): number {
    const n = this.win[(u * W + w) * NX + X_CASE_DONE]!
    if (n <= 0) return NaN
    const target = Math.ceil(0.9 * n)
    let cum = 0
    const h = (u * W + w) * NB
    for (let k = 0; k < NB; k++) {
      cum += this.hist[h + k]!
      if (cum >= target) return binUpperMinutes(k)
    }
    return binUpperMinutes(NB - 1)
  }

  /** all units' values, U × KPI_FIELDS */
  allValues(): Float64Array {
    const F = KPI_FIELDS.length
    const out = new Float64Array(this.U * F)
    for (let u = 0; u < this.U; u++) this.values(u, out, u * F)
    return out
  }

  /** the engine's local day number (the clock of the last `advance`) */
  get today(): number {
    return this.curDay
  }

  /**
   * Yesterday's figures from the database after a restart (by unit code, by field name; units or
   * fields not given stay unknown). Ignored once the engine has rolled a day itself.
   */
  setYesterday(day: number, figures: ReadonlyMap<string, Readonly<Record<string, number | null>>>): void {
    if (this.yesterdayDay !== NONE && this.yesterdayDay >= day) return
    const F = KPI_FIELDS.length
    const y = new Float64Array(this.U * F).fill(NaN)
    for (const [code, f] of figures) {
      const u = this.tree.index.get(code)
      if (u === undefined) continue
      KPI_FIELDS.forEach((name, k) => {
        const v = f[name]
        if (typeof v === 'number') y[u * F + k] = v
      })
    }
    this.yesterday = y
    this.yesterdayDay = day
  }

  /** the closing figures kept at the last local midnight, by field name, of unit u (null if none) */
  yesterdayFigures(u: number): Record<string, number | null> | null {
    if (!this.yesterday) return null
    const F = KPI_FIELDS.length
    return Object.fromEntries(
      KPI_FIELDS.map((name, k) => {
        const v = this.yesterday![u * F + k]!
        return [name, v === v ? v : null]
      }),
    )
  }

  /** yesterday's (last local midnight's) value of field f for unit u, or null when not known */
  yesterdayValue(u: number, f: number): number | null {
    if (!this.yesterday) return null
    const v = this.yesterday[u * KPI_FIELDS.length + f]!
    return v === v ? v : null
  }

  /** counts by current status over all disputes, cases (not windowed) */
  statusCounts(u: number): { cases: Record<string, number>; disputes: Record<string, number> } {
    const o = u * NC
    return {
      cases: Object.fromEntries(CASE_STATUS.map((s, k) => [s, this.ctr[o + C_CASE_STATUS + k]!])),
      disputes: Object.fromEntries(DISPUTE_STATUS.map((s, k) => [s, this.ctr[o + C_DISP_STATUS + k]!])),
    }
  }

  /** disputes accepted in the window by status and by category (non-zero only) */
  disputeWindow(
    u: number,
    window: KpiWindow,
  ): { byStatus: Record<string, number>; byCategory: Record<string, number> } {
    const w = KPI_WINDOWS.indexOf(window)
    const x = (u * W + w) * NX
    const byCategory: Record<string, number> = {}
    const base = (u * W + w) * this.catCap
    this.categories.forEach((name, k) => {
      const v = this.cats[base + k]!
      if (v !== 0) byCategory[name] = v
    })
    return {
      byStatus: Object.fromEntries(DISPUTE_STATUS.map((s, k) => [s, this.win[x + X_DISP_STATUS + k]!])),
      byCategory,
    }
  }

  /** first day (local day number) of a window at the engine's clock */
  windowStartDay(window: KpiWindow): number {
    return this.winStart[KPI_WINDOWS.indexOf(window)]!
  }

  /**
   * Trends: 24 hourly buckets (oldest first, ending with the current hour) and 30 daily ones.
   * The online rate is the latest value seen in each bucket (null before the server started).
   */
  trends(u: number): {
    hourly: { start: number; starts: number[]; series: Record<string, number[]>; cameraOnlineRate: (number | null)[] }
    daily: { start: number; starts: number[]; series: Record<string, number[]>; cameraOnlineRate: (number | null)[] }
  } {
    const take = (
      ring: Int32Array,
      rate: Float32Array,
      slots: Int32Array,
      R: number,
      last: number,
      count: number,
    ): { series: Record<string, number[]>; cameraOnlineRate: (number | null)[] } => {
      const series: Record<string, number[]> = {}
      TREND_SERIES.forEach((name) => (series[name] = []))
      const r: (number | null)[] = []
      for (let k = last - count + 1; k <= last; k++) {
        const slot = k % R
        const ok = slots[slot] === k
        TREND_SERIES.forEach((name, s) => series[name]!.push(ok ? ring[(u * R + slot) * NS + s]! : 0))
        const v = ok ? rate[u * R + slot]! : NaN
        r.push(v === v ? v : null)
      }
      return { series, cameraOnlineRate: r }
    }
    const hours = Array.from({ length: 24 }, (_, k) => this.clock.hourStart(this.curHour - 23 + k))
    const days = Array.from({ length: 30 }, (_, k) => this.clock.dayStart(this.curDay - 29 + k))
    return {
      hourly: {
        start: hours[0]!,
        starts: hours,
        ...take(this.trendH, this.rateH, this.hourSlot, RH, this.curHour, 24),
      },
      daily: { start: days[0]!, starts: days, ...take(this.trendD, this.rateD, this.daySlot, RD, this.curDay, 30) },
    }
  }

  /** Approximate bytes held by the per-unit counters and per-entity arrays. */
  memoryBytes(): number {
    const arrays: Typed[] = [
      this.ctr,
      this.win,
      this.hist,
      this.cats,
      this.trendH,
      this.trendD,
      this.rateH,
      this.rateD,
      this.camLeaf,
      this.camStatus,
      this.camKind,
      this.memLeaf,
      this.memOn,
      this.memSilent,
      this.memTs,
      this.memSched,
    ]
    let n = 0
    for (const a of arrays) n += a.byteLength
    // cases and disputes: ~90 and ~60 bytes per slot in their columns
    n += this.caseLeaf.length * 90 + this.dispLeaf.length * 60
    return n
  }

  /** hours in ms, exported for tests */
  static readonly HOUR_MS = HOUR_MS
}
