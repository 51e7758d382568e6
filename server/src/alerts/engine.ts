/**
 * The alert rules engine. It keeps just enough state per entity and unit to decide every rule,
 * updated from each committed change (with the previous row); rules that need time to pass
 * ("offline longer than N minutes", SLAs, duty hours) put their due time in a deadline heap and
 * are looked at again when it comes — the database is never polled.
 *
 * Each rule is a condition on one subject (a camera, member, case, dispute or unit) that yields
 * the instant the alert is due, or null when it does not hold. `check` turns that into the
 * lifecycle: due → raise (once while open), not holding → auto-resolve, later → schedule.
 * Only "possible duplicate" is edge-triggered: each new report near an open case counts.
 */
import type { AlertRule, AlertSubject } from '@gridsight/shared'
import type { CameraRow, CaseRow, DisputeRow, MemberRow, StoredChange } from '../db/index.ts'
import { DAY_MS, WorkCalendar, ZoneClock } from '../kpi/calendar.ts'
import type { KpiConfig } from '../kpi/config.ts'
import { DeadlineHeap } from '../kpi/deadline-heap.ts'
import { minutesOf, type RulesConfig } from './config.ts'
import type { AlertBook } from './lifecycle.ts'
import { messageOf, type MessageParams } from './messages.ts'

const MINUTE = 60_000
const HOUR = 3_600_000

export interface AlertUnit {
  code: string
  name: string
  level: 'district' | 'street' | 'community' | 'grid'
  parent: string | null
  urban: boolean
  areaKm2: number
  /** where the map flies for a unit alert */
  centre: [number, number]
}

export interface AlertEngineOptions {
  units: readonly AlertUnit[]
  regionCode: string
  densityStandards: { urbanPerKm2: number; ruralPerKm2: number }
  rules: RulesConfig
  kpi: KpiConfig
  book: AlertBook
  /** finest grid containing a WGS-84 point, or null */
  locate: (lon: number, lat: number) => string | null
}

interface Cam {
  grid: string | null
  comm: string | null
  status: string
  since: number
  name: string | null
  lon: number
  lat: number
}
interface Mem {
  grid: string | null
  onDuty: boolean
  sos: boolean
  ts: number
  role: string | null
  name: string | null
  lon: number
  lat: number
  outsideSince: number | null
}
interface Case {
  status: string
  priority: number | null
  type: string
  reportedAt: number
  resolveDue: number
  lon: number
  lat: number
  grid: string | null
  title: string | null
  cell: string | null
}
interface Dispute {
  status: string
  acceptedAt: number
  lon: number
  lat: number
  grid: string | null
  title: string | null
}
interface UnitCams {
  total: number
  offline: number
  online: number
  cams: Set<string>
}

const CASE_OPEN = new Set(['reported', 'dispatched', 'handling'])
const DISPUTE_OPEN = new Set(['accepted', 'assigned', 'mediating', 'escalated'])
const CAMERA_RULES: readonly AlertRule[] = ['cameraOffline']
const UNIT_RULES: readonly AlertRule[] = ['clusterOutage', 'gridBelowDensity', 'coverageVoid']
const MEMBER_RULES: readonly AlertRule[] = ['memberSos', 'memberSilent', 'memberOutsideGrid']
const CASE_RULES: readonly AlertRule[] = ['caseNotDispatched', 'caseNotResolved', 'caseP1', 'caseDuplicate']
const DISPUTE_RULES: readonly AlertRule[] = ['disputeEscalated', 'disputeOpenLong']
/** the heap entry that re-checks every grid at the start and end of duty hours */
const DUTY_BOUNDARY = '*'

/** ~110 m cells for the duplicate search (cases within `metres` are in the 3 × 3 block around one) */
const CELL_DEG = 0.001

export class AlertEngine {
  private readonly o: AlertEngineOptions
  private readonly rules: RulesConfig
  private readonly clock: ZoneClock
  private readonly calendar: WorkCalendar
  private readonly units = new Map<string, AlertUnit>()
  private readonly heap = new DeadlineHeap()
  private readonly refs: [AlertRule, string][] = []
  private readonly refOf = new Map<string, number>()
  private readonly sched = new Map<number, number>()
  private bootAt = 0

  private readonly cams = new Map<string, Cam>()
  private readonly unitCams = new Map<string, UnitCams>()
  /** units whose share of offline cameras is at or above the cluster threshold */
  private readonly clusterRaw = new Set<string>()
  private readonly belowSince = new Map<string, number>()
  private readonly mems = new Map<string, Mem>()
  private readonly gridMembers = new Map<string, number>()
  private readonly gridOnDuty = new Map<string, number>()
  private readonly voidSince = new Map<string, number>()
  private readonly cases = new Map<string, Case>()
  private readonly cells = new Map<string, Set<string>>()
  private readonly disputes = new Map<string, Dispute>()

  constructor(options: AlertEngineOptions) {
    this.o = options
    this.rules = options.rules
    this.clock = new ZoneClock(options.kpi.timeZone)
    this.calendar = new WorkCalendar(this.clock, options.kpi.calendar)
    for (const u of options.units) this.units.set(u.code, u)
  }

  /** heap entries waiting (for /metrics and tests) */
  get pending(): number {
    return this.heap.size
  }

  /** the earliest instant something may become due (Infinity when nothing is waiting) */
  nextDeadline(): number {
    return this.heap.peek()
  }

  /**
   * Loads the state at start (after the book holds the open alerts from the database) and
   * evaluates every rule once: conditions that hold and are due raise, open alerts whose
   * condition cleared while the server was down are resolved.
   */
  start(
    state: {
      cameras: Iterable<CameraRow>
      members: Iterable<MemberRow>
      cases: Iterable<CaseRow>
      disputes: Iterable<DisputeRow>
    },
    now: number,
  ): void {
    this.bootAt = now
    for (const u of this.units.values()) if (u.level === 'grid') this.voidSince.set(u.code, now)
    for (const row of state.cameras) this.putCamera(row, undefined)
    for (const row of state.members) this.putMember(row)
    for (const row of state.cases) this.putCase(row)
    for (const row of state.disputes) this.putDispute(row)
    for (const code of [...this.unitCams.keys()].sort((a, b) => a.length - b.length)) this.updateUnit(code, now)
    for (const id of this.cams.keys()) this.checkAll(CAMERA_RULES, id, now)
    for (const id of this.mems.keys()) this.checkAll(MEMBER_RULES, id, now)
    for (const id of this.cases.keys()) this.checkAll(CASE_RULES, id, now)
    for (const id of this.disputes.keys()) this.checkAll(DISPUTE_RULES, id, now)
    for (const u of this.units.values()) if (u.level !== 'district') this.checkAll(UNIT_RULES, u.code, now)
    // open alerts of subjects that are gone (or rules switched off) resolve here
    for (const a of [...this.o.book.open.values()]) this.check(a.rule, a.subject.id, now)
    this.scheduleDutyBoundary(now)
  }

  /** Committed changes, in commit order. */
  apply(applied: readonly { change: StoredChange }[], now: number): void {
    this.advance(now)
    for (const { change } of applied) {
      switch (change.kind) {
        case 'camera':
          this.onCamera(change.row)
          break
        case 'member':
          this.onMember(change.row, now)
          break
        case 'case':
          this.onCase(change.row, now)
          break
        case 'dispute':
          this.onDispute(change.row, now)
          break
      }
    }
    if (this.touchedCams.size > 0) this.flushCameras(now)
  }

  /** Looks again at everything due by `now`. */
  advance(now: number): void {
    while (this.heap.size > 0 && this.heap.peek() <= now) {
      const t = this.heap.peek()
      const ref = this.heap.pop()
      if (this.sched.get(ref) === t) this.sched.delete(ref)
      const [rule, id] = this.refs[ref]!
      if (id === DUTY_BOUNDARY) {
        this.scheduleDutyBoundary(now)
        for (const code of this.gridMembers.keys()) this.check('coverageVoid', code, now)
      } else this.check(rule, id, now)
    }
  }

  // ---- lifecycle glue ---------------------------------------------------------------------------

  private check(rule: AlertRule, id: string, now: number): void {
    const book = this.o.book
    if (!this.rules[rule].enabled) return book.clear(rule, id, now)
    if (rule === 'caseDuplicate') {
      // raised on arrival of a report (onCase); it stands while the original case is open
      if (!CASE_OPEN.has(this.cases.get(id)?.status ?? '')) book.clear(rule, id, now)
      return
    }
    const due = this.due(rule, id, now)
    if (due === null) return book.clear(rule, id, now)
    if (due <= now) {
      if (!book.isOpen(rule, id)) book.raise(rule, this.describe(rule, id), now)
      return
    }
    // not due (any more): e.g. a silent member reported again, which restarts the clock
    book.clear(rule, id, now)
    this.schedule(due, rule, id)
  }

  private checkAll(rules: readonly AlertRule[], id: string, now: number): void {
    for (const r of rules) this.check(r, id, now)
  }

  private schedule(due: number, rule: AlertRule, id: string): void {
    const key = `${rule}|${id}`
    let ref = this.refOf.get(key)
    if (ref === undefined) {
      ref = this.refs.length
      this.refs.push([rule, id])
      this.refOf.set(key, ref)
    }
    // an earlier entry already in the heap will look again (and reschedule) when it comes
    const cur = this.sched.get(ref)
    if (cur !== undefined && cur <= due) return
    this.sched.set(ref, due)
    this.heap.push(due, ref)
  }

  private scheduleDutyBoundary(now: number): void {
    const { dutyStart, dutyEnd } = this.rules.coverageVoid
    const day = this.clock.day(now)
    const candidates = [day, day + 1].flatMap((d) => {
      const s = this.clock.dayStart(d)
      return [s + minutesOf(dutyStart) * MINUTE, s + minutesOf(dutyEnd) * MINUTE]
    })
    const next = candidates.find((t) => t > now)!
    this.schedule(next, 'coverageVoid', DUTY_BOUNDARY)
  }

  // ---- conditions ---------------------------------------------------------------------------

  /** When the rule's alert for this subject is due, or null when its condition does not hold. */
  private due(rule: AlertRule, id: string, now: number): number | null {
    const r = this.rules
    switch (rule) {
      case 'cameraOffline': {
        const c = this.cams.get(id)
        if (!c || !(r.cameraOffline.statuses as string[]).includes(c.status)) return null
        if (this.covered(c)) return null
        return c.since + r.cameraOffline.minutes * MINUTE
      }
      case 'clusterOutage': {
        if (!this.clusterRaw.has(id)) return null
        const parent = this.units.get(id)?.parent
        // a grid inside a community that is out as a whole is part of that one alert
        return parent && this.clusterRaw.has(parent) ? null : 0
      }
      case 'gridBelowDensity': {
        const since = this.belowSince.get(id)
        return since === undefined ? null : since + r.gridBelowDensity.minutes * MINUTE
      }
      case 'coverageVoid': {
        if ((this.gridMembers.get(id) ?? 0) === 0 || (this.gridOnDuty.get(id) ?? 0) > 0) return null
        const startToday = this.dutyStartOf(now)
        if (startToday === null) return null
        return Math.max(this.voidSince.get(id) ?? now, startToday) + r.coverageVoid.minutes * MINUTE
      }
      case 'memberSos':
        return this.mems.get(id)?.sos ? 0 : null
      case 'memberSilent': {
        const m = this.mems.get(id)
        if (!m?.onDuty) return null
        // the server cannot have heard from anyone while it was down
        return Math.max(m.ts, this.bootAt) + r.memberSilent.minutes * MINUTE
      }
      case 'memberOutsideGrid': {
        const m = this.mems.get(id)
        if (!m?.onDuty || m.outsideSince === null) return null
        return m.outsideSince + r.memberOutsideGrid.minutes * MINUTE
      }
      case 'caseNotDispatched': {
        const c = this.cases.get(id)
        if (c?.status !== 'reported') return null
        return c.reportedAt + this.sla(c.type).dispatchMinutes * MINUTE
      }
      case 'caseNotResolved': {
        const c = this.cases.get(id)
        return c && CASE_OPEN.has(c.status) ? c.resolveDue : null
      }
      case 'caseP1': {
        const c = this.cases.get(id)
        return c?.priority === 1 && c.status === 'reported' ? 0 : null
      }
      case 'disputeEscalated':
        return this.disputes.get(id)?.status === 'escalated' ? 0 : null
      case 'disputeOpenLong': {
        const d = this.disputes.get(id)
        return d && DISPUTE_OPEN.has(d.status) ? d.acceptedAt + r.disputeOpenLong.days * DAY_MS : null
      }
      case 'caseDuplicate':
        return null
    }
  }

  private covered(c: Cam): boolean {
    return (c.grid !== null && this.clusterRaw.has(c.grid)) || (c.comm !== null && this.clusterRaw.has(c.comm))
  }

  private sla(type: string) {
    const s = this.o.kpi.caseSla
    return s.byType[type] ?? s.default
  }

  /** the start of today's duty hours when `now` is within them, else null */
  private dutyStartOf(now: number): number | null {
    const { dutyStart, dutyEnd } = this.rules.coverageVoid
    const midnight = this.clock.dayStart(this.clock.day(now))
    const start = midnight + minutesOf(dutyStart) * MINUTE
    const end = midnight + minutesOf(dutyEnd) * MINUTE
    return now >= start && now < end ? start : null
  }

  // ---- what an alert says ---------------------------------------------------------------------

  private unitName(code: string | null): string {
    if (code === null) return this.units.get(this.o.regionCode)?.name ?? this.o.regionCode
    return this.units.get(code)?.name ?? code
  }

  private describe(rule: AlertRule, id: string) {
    const r = this.rules
    const severity = r[rule].severity
    let subject: AlertSubject
    let unitCode: string | null
    let lon: number | null = null
    let lat: number | null = null
    const p: MessageParams = { label: id, unit: '' }
    switch (rule) {
      case 'cameraOffline': {
        const c = this.cams.get(id)!
        subject = { kind: 'camera', id }
        ;({ lon, lat } = c)
        unitCode = c.grid
        p.label = c.name ? `${c.name}（${id}）` : id
        p.minutes = r.cameraOffline.minutes
        break
      }
      case 'clusterOutage':
      case 'gridBelowDensity':
      case 'coverageVoid': {
        subject = { kind: 'unit', id }
        unitCode = id
        const u = this.units.get(id)
        if (u) [lon, lat] = u.centre
        const uc = this.unitCams.get(id)
        p.offline = uc?.offline ?? 0
        p.total = uc?.total ?? 0
        p.percent = p.total > 0 ? Math.round((100 * p.offline) / p.total) : 0
        p.minutes = rule === 'gridBelowDensity' ? r.gridBelowDensity.minutes : r.coverageVoid.minutes
        break
      }
      case 'memberSos':
      case 'memberSilent':
      case 'memberOutsideGrid': {
        const m = this.mems.get(id)!
        subject = { kind: 'member', id }
        ;({ lon, lat } = m)
        unitCode = m.grid
        p.label = m.name ? `${m.name}（${id}）` : id
        p.minutes = rule === 'memberSilent' ? r.memberSilent.minutes : r.memberOutsideGrid.minutes
        break
      }
      case 'disputeEscalated':
      case 'disputeOpenLong': {
        const d = this.disputes.get(id)!
        subject = { kind: 'dispute', id }
        ;({ lon, lat } = d)
        unitCode = d.grid
        p.label = d.title ? `${id} ${d.title}` : id
        p.days = r.disputeOpenLong.days
        break
      }
      default: {
        const c = this.cases.get(id)!
        subject = { kind: 'case', id }
        ;({ lon, lat } = c)
        unitCode = c.grid
        p.label = c.title ? `${id} ${c.title}` : id
        p.minutes = this.sla(c.type).dispatchMinutes
        p.metres = r.caseDuplicate.metres
        p.hours = r.caseDuplicate.hours
        p.count = 1
      }
    }
    p.unit = this.unitName(unitCode)
    return {
      severity,
      unitCode: unitCode ?? this.o.regionCode,
      subject,
      lon,
      lat,
      message: messageOf(rule, p),
    }
  }

  // ---- cameras ------------------------------------------------------------------------------

  private unitCamsOf(code: string): UnitCams {
    let u = this.unitCams.get(code)
    if (!u) this.unitCams.set(code, (u = { total: 0, offline: 0, online: 0, cams: new Set() }))
    return u
  }

  private count(c: Cam, id: string, sign: 1 | -1): void {
    for (const code of [c.grid, c.comm]) {
      if (code === null) continue
      const u = this.unitCamsOf(code)
      u.total += sign
      if (c.status === 'offline') u.offline += sign
      if (c.status === 'online') u.online += sign
      if (sign > 0) u.cams.add(id)
      else u.cams.delete(id)
    }
  }

  private putCamera(row: CameraRow, prev: Cam | undefined): Cam {
    const grid = row.gridCode
    const comm = grid === null ? null : (this.units.get(grid)?.parent ?? null)
    const since = prev && prev.status === row.status ? prev.since : row.ts
    const c: Cam = { grid, comm, status: row.status, since, name: row.name, lon: row.lon, lat: row.lat }
    if (prev) this.count(prev, row.id, -1)
    this.count(c, row.id, 1)
    this.cams.set(row.id, c)
    return c
  }

  /** Units and cameras touched by the batch being applied: decided once the whole batch is in. */
  private readonly touchedUnits = new Set<string>()
  private readonly touchedCams = new Set<string>()

  private onCamera(row: CameraRow): void {
    const prev = this.cams.get(row.id)
    const c = this.putCamera(row, prev)
    for (const code of [prev?.grid, prev?.comm, c.grid, c.comm]) if (code) this.touchedUnits.add(code)
    this.touchedCams.add(row.id)
  }

  /** A power cut arrives as one batch: its grids and community cross the threshold together. */
  private flushCameras(now: number): void {
    // communities first: a grid's outage folds into its community's
    const units = [...this.touchedUnits].sort((a, b) => a.length - b.length)
    for (const code of units) this.updateUnit(code, now)
    for (const id of this.touchedCams) this.check('cameraOffline', id, now)
    this.touchedUnits.clear()
    this.touchedCams.clear()
  }

  private updateClusterRaw(code: string): boolean {
    const u = this.unitCams.get(code)
    const cfg = this.rules.clusterOutage
    const on = !!u && u.total >= cfg.minCameras && u.offline * 100 >= cfg.percent * u.total
    const was = this.clusterRaw.has(code)
    if (on) this.clusterRaw.add(code)
    else this.clusterRaw.delete(code)
    return on !== was
  }

  private updateUnit(code: string, now: number): void {
    const unit = this.units.get(code)
    if (this.updateClusterRaw(code)) {
      this.check('clusterOutage', code, now)
      // cameras inside an outage are covered by it (and uncovered when it ends)
      for (const id of this.unitCams.get(code)?.cams ?? []) this.check('cameraOffline', id, now)
      if (unit?.level === 'community') {
        for (const [g, gu] of this.units) if (gu.parent === code) this.check('clusterOutage', g, now)
      }
    }
    if (unit?.level === 'grid') {
      const u = this.unitCams.get(code)
      const std = unit.urban ? this.o.densityStandards.urbanPerKm2 : this.o.densityStandards.ruralPerKm2
      const below = !!u && unit.areaKm2 > 0 && u.total / unit.areaKm2 >= std && u.online / unit.areaKm2 < std
      if (below && !this.belowSince.has(code)) this.belowSince.set(code, now)
      else if (!below) this.belowSince.delete(code)
      this.check('gridBelowDensity', code, now)
    }
  }

  // ---- members ------------------------------------------------------------------------------

  private putMember(row: MemberRow): Mem {
    const prev = this.mems.get(row.id)
    if (prev) this.countMember(prev, -1)
    const m: Mem = {
      grid: row.gridCode,
      onDuty: row.onDuty,
      sos: row.sos === true,
      ts: row.ts,
      role: row.role,
      name: row.name,
      lon: row.lon,
      lat: row.lat,
      outsideSince: null,
    }
    const cfg = this.rules.memberOutsideGrid
    if (cfg.enabled && m.onDuty && m.grid !== null && (cfg.roles as string[]).includes(m.role ?? 'full_time')) {
      // locate only when the answer can differ from the last one
      const same = prev && prev.onDuty && prev.lon === m.lon && prev.lat === m.lat && prev.grid === m.grid
      const outside = same && prev.role === m.role ? prev.outsideSince !== null : this.o.locate(m.lon, m.lat) !== m.grid
      m.outsideSince = outside ? (prev?.outsideSince ?? row.ts) : null
    }
    this.countMember(m, 1)
    this.mems.set(row.id, m)
    return m
  }

  private countMember(m: Mem, sign: 1 | -1): void {
    if (m.grid === null) return
    this.gridMembers.set(m.grid, (this.gridMembers.get(m.grid) ?? 0) + sign)
    if (m.onDuty) this.gridOnDuty.set(m.grid, (this.gridOnDuty.get(m.grid) ?? 0) + sign)
  }

  private onMember(row: MemberRow, now: number): void {
    const prev = this.mems.get(row.id)
    const before = new Map<string, number>()
    for (const g of [prev?.grid, row.gridCode]) if (g) before.set(g, this.gridOnDuty.get(g) ?? 0)
    this.putMember(row)
    for (const [g, n] of before) {
      const after = this.gridOnDuty.get(g) ?? 0
      if ((n === 0) !== (after === 0)) {
        if (after === 0) this.voidSince.set(g, now)
        this.check('coverageVoid', g, now)
      }
    }
    this.checkAll(MEMBER_RULES, row.id, now)
  }

  // ---- cases --------------------------------------------------------------------------------

  private cellOf(lon: number, lat: number): [number, number] {
    return [Math.floor(lon / CELL_DEG), Math.floor(lat / CELL_DEG)]
  }

  private putCase(row: CaseRow): Case {
    const prev = this.cases.get(row.id)
    if (prev?.cell) this.cells.get(prev.cell)?.delete(row.id)
    const resolveDue =
      prev && prev.reportedAt === row.reportedAt && prev.type === row.type
        ? prev.resolveDue
        : this.calendar.addWorkingTime(row.reportedAt, this.sla(row.type).resolveWorkingDays)
    const open = CASE_OPEN.has(row.status)
    const [cx, cy] = this.cellOf(row.lon, row.lat)
    const cell = open ? `${cx}:${cy}` : null
    const c: Case = {
      status: row.status,
      priority: row.priority,
      type: row.type,
      reportedAt: row.reportedAt,
      resolveDue,
      lon: row.lon,
      lat: row.lat,
      grid: row.gridCode,
      title: row.title,
      cell,
    }
    if (cell) {
      let set = this.cells.get(cell)
      if (!set) this.cells.set(cell, (set = new Set()))
      set.add(row.id)
    }
    this.cases.set(row.id, c)
    return c
  }

  /** The earliest-reported other open case within the duplicate radius and time window. */
  private duplicateOf(id: string, c: Case): string | null {
    const cfg = this.rules.caseDuplicate
    const [cx, cy] = this.cellOf(c.lon, c.lat)
    const mPerDegLat = 111_320
    const mPerDegLon = 111_320 * Math.cos((c.lat * Math.PI) / 180)
    const reach = Math.ceil(cfg.metres / (CELL_DEG * mPerDegLon))
    let best: string | null = null
    let bestAt = Infinity
    for (let dx = -reach; dx <= reach; dx++) {
      for (let dy = -reach; dy <= reach; dy++) {
        for (const other of this.cells.get(`${cx + dx}:${cy + dy}`) ?? []) {
          if (other === id) continue
          const o = this.cases.get(other)!
          if (Math.abs(o.reportedAt - c.reportedAt) > cfg.hours * HOUR) continue
          const d = Math.hypot((o.lon - c.lon) * mPerDegLon, (o.lat - c.lat) * mPerDegLat)
          if (d <= cfg.metres && o.reportedAt < bestAt) {
            best = other
            bestAt = o.reportedAt
          }
        }
      }
    }
    return best
  }

  private onCase(row: CaseRow, now: number): void {
    const isNew = !this.cases.has(row.id)
    const c = this.putCase(row)
    this.checkAll(CASE_RULES, row.id, now)
    if (isNew && CASE_OPEN.has(c.status) && this.rules.caseDuplicate.enabled) {
      const orig = this.duplicateOf(row.id, c)
      if (orig !== null) {
        const info = this.describe('caseDuplicate', orig)
        const open = [...this.o.book.open.values()].find((a) => a.rule === 'caseDuplicate' && a.subject.id === orig)
        const n = (open?.count ?? 0) + 1
        const o = this.cases.get(orig)!
        const r = this.rules.caseDuplicate
        info.message = messageOf('caseDuplicate', {
          label: o.title ? `${orig} ${o.title}` : orig,
          unit: this.unitName(o.grid),
          metres: r.metres,
          hours: r.hours,
          count: n,
        })
        this.o.book.repeat('caseDuplicate', info, now)
      }
    }
  }

  // ---- disputes -----------------------------------------------------------------------------

  private putDispute(row: DisputeRow): void {
    this.disputes.set(row.id, {
      status: row.status,
      acceptedAt: row.acceptedAt,
      lon: row.lon,
      lat: row.lat,
      grid: row.gridCode,
      title: row.title,
    })
  }

  private onDispute(row: DisputeRow, now: number): void {
    this.putDispute(row)
    this.checkAll(DISPUTE_RULES, row.id, now)
  }

  // ---- dispatch support ---------------------------------------------------------------------

  /** On-duty members (not in SOS) as candidates for a case: own grid first, then nearest. */
  dispatchCandidates(caseId: string, limit: number) {
    const c = this.cases.get(caseId)
    if (!c) return null
    const mPerDegLat = 111_320
    const mPerDegLon = 111_320 * Math.cos((c.lat * Math.PI) / 180)
    const out: { id: string; m: Mem; ownGrid: boolean; distanceM: number }[] = []
    for (const [id, m] of this.mems) {
      if (!m.onDuty || m.sos) continue
      const distanceM = Math.round(Math.hypot((m.lon - c.lon) * mPerDegLon, (m.lat - c.lat) * mPerDegLat))
      out.push({ id, m, ownGrid: c.grid !== null && m.grid === c.grid, distanceM })
    }
    out.sort((a, b) => Number(b.ownGrid) - Number(a.ownGrid) || a.distanceM - b.distanceM)
    return out.slice(0, limit).map(({ id, m, ownGrid, distanceM }) => ({
      id,
      name: m.name,
      role: m.role,
      gridCode: m.grid,
      ownGrid,
      distanceM,
      lon: m.lon,
      lat: m.lat,
    }))
  }
}
