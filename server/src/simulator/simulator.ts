/**
 * The GridSight simulator core: a deterministic discrete-event model of a district's cameras,
 * grid members, cases and disputes that produces ingest batches. Pure: no I/O, no wall clock —
 * the caller steps simulated time with `step(toMs)`.
 *
 * Every random draw happens while processing an event, and events are processed in (time, key)
 * order from one seeded PRNG, so the concatenated item stream depends only on the seed, the
 * options and the pack — not on how the caller slices time into steps.
 */
import {
  mulberry32,
  PointIndex,
  type CameraItem,
  type CaseItem,
  type CaseStatus,
  type DisputeItem,
  type DisputeStatus,
  type MemberItem,
  type MemberRole,
} from '@gridsight/shared'
import type { Camera, Member, UnitFeature } from '@gridsight/geo-data'
import {
  CASE_HOURLY,
  CASE_TYPES,
  CASES_PER_DAY,
  DISPUTE_CATEGORIES,
  DISPUTES_PER_DAY,
  HOT_SPOT_SHARE,
  HOT_SPOTS,
  type CaseType,
} from './catalog.ts'
import {
  addHandlingTime,
  addWorkingTime,
  cstDate,
  cstDay,
  cstHour,
  cstIso,
  DAY,
  HOUR,
  MINUTE,
  SECOND,
  WORKING_DAY_MS,
} from './clock.ts'
import { EventQueue } from './event-queue.ts'

/** What the simulator needs from a region pack. */
export interface SimPack {
  grids: UnitFeature[]
  communities: UnitFeature[]
  cameras: Camera[]
  members: Member[]
}

export interface SimOptions {
  seed: number
  /** simulated start instant, epoch ms */
  start: number
  /**
   * Multiplies member report intervals (use SIM_SPEED): at 60× members still report every ~5–10
   * real seconds, so the load on the server does not grow with the speed.
   */
  reportScale?: number
  /**
   * On-duty report interval: `base + spread × U(0, 1)` seconds (default [5, 5]: every 5–10 s; the
   * city profile uses [5, 0]: every 5 s). Off duty a phone reports every 5–10 minutes.
   */
  memberReportSeconds?: readonly [number, number]
  /** maps a simulated instant to the `ts` written on items (default: identity) */
  stamp?: (simMs: number) => number
  /**
   * Cases and disputes are pre-rolled from this long before `start` (default CASE_HISTORY_MS and
   * DISPUTE_HISTORY_MS): the first step carries their history, each item at its own past instant.
   */
  caseHistoryMs?: number
  disputeHistoryMs?: number
  /**
   * Cameras are registered this long before `start` (default CAMERA_HISTORY_MS) and their status
   * history is pre-rolled to `start`: each camera's registration and every change since, as one
   * group (0: registered at `start`, no history).
   */
  cameraHistoryMs?: number
  /**
   * At most about this many history items per step (default: all in the first step). While
   * history is left, a step delivers only history and simulated time waits at `start`; the items
   * (and the random draws) are the same whatever the budget, only cut into steps differently.
   * Member registrations count against the first step's budget; cameras are registered with
   * their history (all in the first step when there is no camera history).
   */
  historyItemsPerStep?: number
  /** distinguishes case/dispute numbers of different runs against one database (default '') */
  runTag?: string
  /** overrides of the catalogue rates (tests, other regions) */
  casesPerDay?: number
  disputesPerDay?: number
  /**
   * Demo incidents (the in-process simulator turns them on): one of each kind of alert within
   * minutes of the start — SOS, a priority-1 case, a duplicate report, a case left undispatched,
   * an escalated dispute, a silent phone, a member out of their grid, a grid left without anyone
   * on duty, a power cut — then one every ~10 minutes (docs/alerts.md).
   */
  incidents?: boolean
  /**
   * Cases and disputes an earlier run left open (a restart against the same database): the
   * simulator takes them over and moves them on from their status and its instant (`ts`, epoch
   * ms, read as a simulated instant: a runner's stamp is the identity before `start`), with the
   * delays it draws for its own. One whose next step is already due moves within
   * ADOPT_CATCH_UP_MS of `start`, each at its own instant. Only the simulator's own ids are taken
   * (SIM_CASE_ID, SIM_DISPUTE_ID): other sources' items are left alone. Taken in id order at the
   * first step, so the run stays deterministic for a seed and a set of open items.
   */
  adopt?: { cases: readonly OpenCase[]; disputes: readonly OpenDispute[] }
}

/** A case as an earlier run left it (the fields of a stored case row that the simulator needs). */
export interface OpenCase {
  id: string
  type: string
  status: string
  priority?: number | null
  assignee?: string | null
  gridCode?: string | null
  lon: number
  lat: number
  /** when it reached its status, epoch ms */
  ts: number
}

/** A dispute as an earlier run left it. */
export interface OpenDispute {
  id: string
  category: string
  status: string
  lon: number
  lat: number
  /** when it reached its status, epoch ms */
  ts: number
  /**
   * Its status history holds an escalation (督办): one back in mediation is then never escalated
   * again, as the run's own are not. The row shows only the status now, so the caller reads this
   * from the stored history.
   */
  escalated?: boolean
}

/**
 * The simulator's case and dispute numbers: SJ/MD, the local date, the run tag (base 36, see
 * SimRunner) and a sequence number. What another source sends rarely looks like this, and is not
 * the simulator's to move on.
 */
export const SIM_CASE_ID = /^SJ\d{8}[0-9A-Z]{0,4}\d{6}$/
export const SIM_DISPUTE_ID = /^MD\d{8}[0-9A-Z]{0,4}\d{5}$/
/**
 * Adopted items whose next step fell due while the server was down move within this long of the
 * start, spread over it: a restart shows a centre catching up, not 200 cases changing at once.
 */
export const ADOPT_CATCH_UP_MS = 30 * MINUTE

export interface SimBatches {
  cameras: CameraItem[]
  members: MemberItem[]
  cases: CaseItem[]
  disputes: DisputeItem[]
}

export const CASE_FLOW: readonly CaseStatus[] = ['reported', 'dispatched', 'handling', 'resolved', 'closed']
export const DISPUTE_NEXT: Readonly<Record<DisputeStatus, readonly DisputeStatus[]>> = {
  accepted: ['assigned'],
  assigned: ['mediating'],
  mediating: ['resolved', 'unresolved', 'escalated'],
  escalated: ['mediating'],
  resolved: [],
  unresolved: [],
}
/**
 * History pre-rolled by the first step: 33 days of cases, so that the 30-day window and the 30
 * daily trend buckets are full from the first second (the 3 extra days settle the oldest buckets'
 * resolutions, weekends included), and 45 days of disputes, whose mediation takes up to a month.
 */
export const CASE_HISTORY_MS = 33 * DAY
export const DISPUTE_HISTORY_MS = 45 * DAY
/** Dispatch deadline (派遣时限) and resolution deadline (办结时限, working time). */
export const DISPATCH_DEADLINE_MS = 30 * MINUTE
export const RESOLVE_DEADLINE_WORK_MS = 1.5 * WORKING_DAY_MS

/**
 * Camera status history pre-rolled by the first steps: 30 days, so that the online rate of the 30
 * daily trend buckets (and of the 24 hourly ones) comes from stored transitions from the first
 * second. Cameras are registered at its start.
 */
export const CAMERA_HISTORY_MS = 30 * DAY

// Camera model, the same before and after `start` (no daily rhythm: cameras do not sleep). A
// camera has an episode every ~40 days: a fault (故障) repaired within 6 h–7 days (mean ~2 days),
// or its link down (离线) for 20 min–3 days (mean ~6 h); ~97 % are online. A few (0.3 %) are
// flaky: offline for 2–20 minutes every 2–12 hours. About once in 60 days a community loses
// power (more often where it has more cameras): most of its cameras go offline for 1–10 hours
// (mean ~3 h) and reboot within two minutes of the power coming back.
const CAM_EPISODE_GAP = 40 * DAY
const CAM_FAULT_SHARE = 0.4
const CAM_FAULT_MIN = 6 * HOUR
const CAM_FAULT_MEAN = 42 * HOUR
const CAM_FAULT_MAX = 7 * DAY
const CAM_LINK_MIN = 20 * MINUTE
const CAM_LINK_MEAN = 6 * HOUR
const CAM_LINK_MAX = 3 * DAY
const FLAKY_SHARE = 0.003
const POWER_CUTS_PER_COMMUNITY_DAY = 1 / 60
const POWER_CUT_MIN = HOUR
const POWER_CUT_MEAN = 2 * HOUR
const POWER_CUT_MAX = 10 * HOUR

const ROLE_CODE: Record<MemberRole, number> = { full_time: 0, part_time: 1, police: 2, auxiliary: 3 }
const SOS_PER_HOUR = 0.25

// Event keys: kind * 2^32 + index (exact in a float64).
const K = 2 ** 32
const EV_MEMBER = 1
const EV_CAMERA = 2
const EV_POWER_RESTORE = 3
const EV_CASE = 4
const EV_DISPUTE = 5
const EV_GEN_CASE = 6
const EV_GEN_DISPUTE = 7
const EV_GEN_POWER = 8
const EV_GEN_SOS = 9
const EV_INCIDENT = 10
const EV_HEARTBEAT = 11
/** adopted cases and disputes are numbered from here, apart from the run's own (1, 2, …) */
const ADOPTED = 2 ** 31

const INCIDENTS = [
  'sos',
  'p1',
  'duplicate',
  'lateDispatch',
  'escalation',
  'silent',
  'stray',
  'void',
  'powerCut',
] as const
const INCIDENT_GAP = 10 * MINUTE

const CAM_STATUS = ['online', 'offline', 'fault'] as const
/**
 * A reachable camera (online, or reporting a fault) tells the platform it is alive every
 * 5 minutes of wall time (the simulated period is this times reportScale, so the rate does not
 * grow with SIM_SPEED); an offline one is silent. Without these, a camera that kept its status
 * read as not heard from since its registration: "last heartbeat 30 d ago" beside "online", and
 * the whole layer faded as stale. Camera c beats at (c + ½)/n of the period, spread evenly.
 */
export const CAMERA_HEARTBEAT_MS = 5 * MINUTE

// The case generator's rates, by day (0) and night (1, 20:00–06:00): the type weights and their mean.
const CASE_MEAN_RATE = CASE_HOURLY.reduce((s, v) => s + v, 0) / 24
const CASE_TYPE_W = [0, 1].map((night) => CASE_TYPES.map((ct) => ct.weight * (night ? ct.night : 1)))
const CASE_TYPE_MEAN = CASE_TYPE_W.map(
  (w) => w.reduce((s, v) => s + v, 0) / CASE_TYPES.reduce((s, ct) => s + ct.weight, 0),
)

interface SimCase {
  item: CaseItem
  /** its grid */
  g: number
  step: number
  /** true when this case was drawn to overrun a deadline (for tests and the log) */
  late: boolean
}
interface SimDispute {
  item: DisputeItem
  escalations: number
  /** the time of its pending transition: an event for another time is stale */
  due: number
}

/** A seed for a random stream of its own (a camera's, the power cuts'), from the run's seed. */
const seedOf = (seed: number, stream: number, i: number) => Math.floor(hash01(seed, stream, i) * 4294967296)

/** Stateless hash of integers to [0, 1), for schedules that must not consume the PRNG. */
function hash01(a: number, b: number, c: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x632be5ab, 0xc2b2ae35) ^ Math.imul(c, 0x27d4eb2f)
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d)
  h = Math.imul(h ^ (h >>> 12), 0x297a2d39)
  return ((h ^ (h >>> 15)) >>> 0) / 4294967296
}

export class Simulator {
  /** simulated time reached by the last step */
  now: number
  private readonly rnd: () => number
  private readonly q = new EventQueue()
  private readonly o: Required<SimOptions>
  private out: SimBatches = { cameras: [], members: [], cases: [], disputes: [] }
  private started = false
  /** while pre-rolling: the items of each case and dispute not finished yet, by id */
  private history: { cases: Map<string, CaseItem[]>; disputes: Map<string, DisputeItem[]> } | null = null

  // geometry
  private readonly gridIndex: PointIndex
  private readonly commIndex: PointIndex
  private readonly gridBox: Float64Array
  private readonly commBox: Float64Array
  private readonly gridComm: Int32Array
  private readonly gridCode: string[]
  private readonly gridUrban: Uint8Array
  private readonly gridByCode = new Map<string, number>()
  private readonly mPerDegLat: number
  private readonly mPerDegLon: number

  // cameras
  private readonly cams: Camera[]
  private readonly camStatus: Uint8Array
  /** when the camera in cameraGroup last changed status (its history is built one camera at a time) */
  private camChangedAt = 0
  /** 0 none, 1 link down, 2 fault */
  private readonly camEpisode: Uint8Array
  private readonly camNext: Float64Array
  private readonly camPowerUntil: Float64Array
  private readonly camFlaky: Uint8Array
  private readonly camsByComm: number[][]
  /** each camera's community (−1: none) */
  private readonly camComm: Int32Array
  private readonly commCamTotal: Float64Array
  /** mean time between power cuts in the area (Infinity: no community has cameras) */
  private readonly powerCutGap: number
  /** the next camera whose group (registration and history) the pre-roll makes */
  private camCursor = Infinity
  private cutsByComm: { at: number; end: number; share: number }[][] | null = null

  // members
  private readonly mem: Member[]
  private readonly mRole: Uint8Array
  private readonly mGrid: Int32Array
  /** 0: patrols its grid, 1: roams its community */
  private readonly mRoam: Uint8Array
  private readonly mX0: Float64Array
  private readonly mY0: Float64Array
  private readonly mX1: Float64Array
  private readonly mY1: Float64Array
  private readonly mDep: Float64Array
  private readonly mArr: Float64Array
  private readonly mLeave: Float64Array
  private readonly mVel: Float32Array
  private readonly mHeading: Float32Array
  private readonly mOnDuty: Uint8Array
  private readonly mShift: Float32Array
  private readonly mSosUntil: Float64Array
  private readonly mLastX: Float64Array
  private readonly mLastY: Float64Array
  /** last reported position (inside the area) */
  private readonly mOkX: Float64Array
  private readonly mOkY: Float64Array
  private readonly membersByGrid: number[][]
  /** the time of each member's next report: an event for another time is stale */
  private readonly mNext: Float64Array
  private readonly mSilentUntil: Float64Array
  private readonly mStrayUntil: Float64Array
  private readonly mStrayX: Float64Array
  private readonly mStrayY: Float64Array
  private readonly mOffUntil: Float64Array
  private incidentN = 0

  // cases and disputes
  private readonly cases = new Map<number, SimCase>()
  private readonly disputes = new Map<number, SimDispute>()
  private caseSeq = 0
  private disputeSeq = 0
  private readonly caseGridCum: Float64Array
  private readonly hotComms: number[]
  private readonly caseRateMax: number

  constructor(pack: SimPack, options: SimOptions) {
    this.o = {
      reportScale: 1,
      memberReportSeconds: [5, 5],
      stamp: (t) => t,
      caseHistoryMs: CASE_HISTORY_MS,
      disputeHistoryMs: DISPUTE_HISTORY_MS,
      cameraHistoryMs: CAMERA_HISTORY_MS,
      historyItemsPerStep: Infinity,
      runTag: '',
      casesPerDay: CASES_PER_DAY,
      disputesPerDay: DISPUTES_PER_DAY,
      incidents: false,
      adopt: { cases: [], disputes: [] },
      ...options,
    }
    this.now = options.start
    this.rnd = mulberry32(options.seed)
    const { grids, communities } = pack

    // --- geometry
    this.gridIndex = new PointIndex(grids.map((g) => g.geometry))
    this.commIndex = new PointIndex(communities.map((c) => c.geometry))
    this.gridBox = boxes(grids)
    this.commBox = boxes(communities)
    const commByCode = new Map(communities.map((c, i) => [c.properties.code, i]))
    this.gridComm = Int32Array.from(grids, (g) => commByCode.get(g.properties.parent ?? '') ?? -1)
    this.gridCode = grids.map((g) => g.properties.code)
    this.gridUrban = Uint8Array.from(grids, (g) => (g.properties.urban ? 1 : 0))
    this.gridCode.forEach((c, i) => this.gridByCode.set(c, i))
    const midLat = (this.gridBox[1]! + this.gridBox[3]!) / 2
    this.mPerDegLat = 110_574 + 1_110 * Math.sin((midLat * Math.PI) / 180) ** 2
    this.mPerDegLon = 111_320 * Math.cos((midLat * Math.PI) / 180)

    // --- cameras
    this.cams = pack.cameras
    const C = this.cams.length
    this.camStatus = new Uint8Array(C)
    this.camEpisode = new Uint8Array(C)
    this.camNext = new Float64Array(C)
    this.camPowerUntil = new Float64Array(C)
    this.camFlaky = new Uint8Array(C)
    this.camsByComm = communities.map(() => [])
    this.camComm = new Int32Array(C)
    this.cams.forEach((cam, c) => {
      const g = this.gridByCode.get(cam.grid)
      const comm = g === undefined ? -1 : this.gridComm[g]!
      this.camComm[c] = comm
      if (comm >= 0) this.camsByComm[comm]!.push(c)
    })
    this.commCamTotal = new Float64Array(communities.length)
    let acc = 0
    this.camsByComm.forEach((list, i) => (this.commCamTotal[i] = acc += list.length))
    const powered = this.camsByComm.filter((list) => list.length > 0).length
    this.powerCutGap = powered > 0 ? DAY / (powered * POWER_CUTS_PER_COMMUNITY_DAY) : Infinity

    // --- members
    this.mem = pack.members
    const M = this.mem.length
    this.mRole = new Uint8Array(M)
    this.mGrid = new Int32Array(M)
    this.mRoam = new Uint8Array(M)
    this.mX0 = new Float64Array(M)
    this.mY0 = new Float64Array(M)
    this.mX1 = new Float64Array(M)
    this.mY1 = new Float64Array(M)
    this.mDep = new Float64Array(M)
    this.mArr = new Float64Array(M)
    this.mLeave = new Float64Array(M)
    this.mVel = new Float32Array(M)
    this.mHeading = new Float32Array(M)
    this.mOnDuty = new Uint8Array(M)
    this.mShift = new Float32Array(M)
    this.mSosUntil = new Float64Array(M)
    this.mLastX = new Float64Array(M)
    this.mLastY = new Float64Array(M)
    this.mOkX = new Float64Array(M)
    this.mOkY = new Float64Array(M)
    this.membersByGrid = grids.map(() => [])
    this.mNext = new Float64Array(M)
    this.mSilentUntil = new Float64Array(M)
    this.mStrayUntil = new Float64Array(M)
    this.mStrayX = new Float64Array(M)
    this.mStrayY = new Float64Array(M)
    this.mOffUntil = new Float64Array(M)
    this.mem.forEach((m, i) => {
      const g = this.gridByCode.get(m.grid)
      if (g === undefined) throw new Error(`member ${m.id}: grid ${m.grid} is not in the pack`)
      this.mGrid[i] = g
      this.mRole[i] = ROLE_CODE[m.role]
      this.membersByGrid[g]!.push(i)
    })

    // --- cases: grid weights (urban grids see far more cases per grid)
    this.caseGridCum = new Float64Array(grids.length)
    acc = 0
    grids.forEach((g, i) => (this.caseGridCum[i] = acc += g.properties.urban ? 3 : 1))
    const maxNight = Math.max(...CASE_TYPES.map((t) => t.night))
    this.caseRateMax = (Math.max(...CASE_HOURLY) / CASE_MEAN_RATE) * (this.o.casesPerDay / DAY) * Math.max(1, maxNight)

    // --- dispute hot spots: two in 七星街道 (the report's focus area), the rest anywhere
    const qixing = communities.flatMap((c, i) => (c.properties.parent === '330402015' ? [i] : []))
    const others = communities.map((_, i) => i).filter((i) => !qixing.includes(i))
    this.hotComms = [...this.pick(qixing, Math.min(2, qixing.length)), ...this.pick(others, HOT_SPOTS)].slice(
      0,
      HOT_SPOTS,
    )
  }

  /** true once the pre-rolled history has been delivered in full (see `historyItemsPerStep`) */
  get historyDone(): boolean {
    return this.started && this.history === null
  }

  /** Communities where disputes concentrate (indexes into pack.communities). */
  get hotSpotCommunities(): readonly number[] {
    return this.hotComms
  }

  /**
   * Advances simulated time to `toMs` and returns the items produced, per kind, in event order.
   * The first step also carries the pre-rolled history (see `preroll`).
   */
  step(toMs: number): SimBatches {
    this.out = { cameras: [], members: [], cases: [], disputes: [] }
    if (!this.started) {
      this.begin()
      this.history = { cases: new Map(), disputes: new Map() }
    }
    if (this.history && !this.preroll()) return this.out
    const q = this.q
    while (q.peekTime() <= toMs) {
      const t = q.peekTime()
      const key = q.pop()
      const kind = Math.floor(key / K)
      const i = key - kind * K
      this.handle(kind, i, t)
    }
    this.now = Math.max(this.now, toMs)
    return this.out
  }

  // ------------------------------------------------------------------ start

  private begin(): void {
    this.started = true
    const t = this.o.start
    const r = this.rnd
    // cameras: each registered with its history by the pre-roll (see cameraGroup); without a
    // history, all of them here, at `start`, with a status drawn from the steady state
    if (this.o.cameraHistoryMs > 0) this.camCursor = 0
    else for (let c = 0; c < this.cams.length; c++) this.cameraGroup(c)
    // members: placed in their grid, on or off duty by their shift
    for (let m = 0; m < this.mem.length; m++) {
      const role = this.mRole[m]!
      this.mRoam[m] = role >= 2 && this.gridComm[this.mGrid[m]!]! >= 0 && r() < 0.7 ? 1 : 0
      const ebike = role >= 2 ? r() < 0.6 : r() < 0.2
      this.mVel[m] = ebike ? 4 + 2.5 * r() : 1.0 + 0.4 * r()
      this.mShift[m] = r()
      const [x, y] = this.randomInGrid(this.mGrid[m]!)
      this.mX0[m] = this.mX1[m] = this.mLastX[m] = this.mOkX[m] = x
      this.mY0[m] = this.mY1[m] = this.mLastY[m] = this.mOkY[m] = y
      this.mDep[m] = this.mArr[m] = t
      this.mLeave[m] = t + r() * 60 * SECOND
      const on = this.dutyAt(m, t)
      this.mOnDuty[m] = on ? 1 : 0
      const mem = this.mem[m]!
      this.out.members.push({
        id: mem.id,
        lon: x,
        lat: y,
        ts: this.ts(t),
        accuracy: 5,
        speed: 0,
        heading: 0,
        onDuty: on,
        name: mem.name,
        role: mem.role,
        gridCode: mem.grid,
      })
      this.pushReport(m, t + r() * this.reportInterval(m))
    }
    // generators; cases and disputes are pre-rolled so the screen starts with a realistic backlog
    this.q.push(t - this.o.caseHistoryMs, EV_GEN_CASE * K)
    this.q.push(t - this.o.disputeHistoryMs, EV_GEN_DISPUTE * K)
    const powerCutIn = expo(r, 1) * this.powerCutGap // drawn even without cameras: the same cases and disputes
    if (powerCutIn < Infinity) this.q.push(t + powerCutIn, EV_GEN_POWER * K)
    this.q.push(t + expo(r, HOUR / SOS_PER_HOUR), EV_GEN_SOS * K)
    if (this.o.incidents) this.q.push(t + 20 * SECOND, EV_INCIDENT * K)
    this.adopt(t)
  }

  /** Takes over the open cases and disputes of an earlier run (see SimOptions.adopt). */
  private adopt(t: number): void {
    const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
    const due = (at: number) => (at > t ? at : t + SECOND + this.rnd() * ADOPT_CATCH_UP_MS)
    let n = 0
    for (const open of [...this.o.adopt.cases].sort(byId)) {
      const step = CASE_FLOW.indexOf(open.status as CaseStatus)
      const ct = CASE_TYPES.find((x) => x.type === open.type)
      if (!SIM_CASE_ID.test(open.id) || step < 0 || step >= CASE_FLOW.length - 1 || !ct) continue
      const since = Math.min(open.ts, t)
      const g = this.gridByCode.get(open.gridCode ?? '') ?? -1
      const item: CaseItem = {
        id: open.id,
        type: open.type,
        status: CASE_FLOW[step]!,
        lon: open.lon,
        lat: open.lat,
        ts: this.ts(since),
      }
      if (open.priority) item.priority = open.priority
      // a case not dispatched yet gets its member as the run's own do (sent with the dispatch)
      const assignee = open.assignee ?? (step === 0 && g >= 0 ? this.drawAssignee(g) : undefined)
      if (assignee) item.assignee = assignee
      const c: SimCase = { item, g, step, late: false }
      const idx = ADOPTED + n++
      this.cases.set(idx, c)
      this.q.push(due(this.nextCaseTime(c, ct, since)), EV_CASE * K + idx)
    }
    n = 0
    for (const open of [...this.o.adopt.disputes].sort(byId)) {
      const status = open.status as DisputeStatus
      const next = Object.hasOwn(DISPUTE_NEXT, status) ? DISPUTE_NEXT[status] : []
      if (!SIM_DISPUTE_ID.test(open.id) || next.length === 0) continue
      // one escalated before is not escalated again (the outcome's draw and the demo incident skip
      // it); the wait of its status is drawn as it always was, so the schedule stays the same
      const escalations = status === 'escalated' || open.escalated === true ? 1 : 0
      const since = Math.min(open.ts, t)
      const item: DisputeItem = {
        id: open.id,
        category: open.category,
        status,
        lon: open.lon,
        lat: open.lat,
        ts: this.ts(since),
      }
      const d: SimDispute = { item, escalations, due: due(since + this.disputeWait(status, 0)) }
      const idx = ADOPTED + n++
      this.disputes.set(idx, d)
      this.q.push(d.due, EV_DISPUTE * K + idx)
    }
  }

  /**
   * Makes the history within this step's budget; returns true when it is done. First each
   * camera's registration and status history (see `cameraGroup`), then the events before `start`
   * — only cases' and disputes' generators and lifecycles are scheduled there. Items are
   * delivered per entity, whole: a camera with all its past together, a case or dispute with all
   * its past items together, when its lifecycle ends, and the ones still open at `start` at the
   * end. An ingest call (see `chunks`) then commits each one's past at once, and the server's
   * listeners see it as it stands (closed long ago, or still open; a camera as it is at `start`)
   * instead of 30 days of alerts raised and cleared again at start.
   */
  private preroll(): boolean {
    const h = this.history!
    const start = this.o.start
    const q = this.q
    const out = this.out
    const budget = this.o.historyItemsPerStep
    const used = () => out.cameras.length + out.members.length + out.cases.length + out.disputes.length
    // first the cameras, one whole group each (their history does not touch the event queue's past)
    while (this.camCursor < this.cams.length) {
      if (used() >= budget) return false
      this.cameraGroup(this.camCursor++)
    }
    while (q.peekTime() < start) {
      if (used() >= budget) return false
      const t = q.peekTime()
      const key = q.pop()
      const kind = Math.floor(key / K)
      this.handle(kind, key - kind * K, t)
    }
    for (const items of h.cases.values()) for (const it of items) out.cases.push(it)
    for (const items of h.disputes.values()) for (const it of items) out.disputes.push(it)
    this.history = null
    return true
  }

  /** An item of case or dispute `id`; `last`: its lifecycle ends with it. */
  private emitCase(item: CaseItem, last: boolean): void {
    const h = this.history
    if (!h) return void this.out.cases.push(item)
    const group = h.cases.get(item.id)
    if (!group) {
      if (last) this.out.cases.push(item)
      else h.cases.set(item.id, [item])
      return
    }
    group.push(item)
    if (last) {
      for (const it of group) this.out.cases.push(it)
      h.cases.delete(item.id)
    }
  }

  private emitDispute(item: DisputeItem, last: boolean): void {
    const h = this.history
    if (!h) return void this.out.disputes.push(item)
    const group = h.disputes.get(item.id)
    if (!group) {
      if (last) this.out.disputes.push(item)
      else h.disputes.set(item.id, [item])
      return
    }
    group.push(item)
    if (last) {
      for (const it of group) this.out.disputes.push(it)
      h.disputes.delete(item.id)
    }
  }

  private pushReport(m: number, at: number): void {
    this.mNext[m] = at
    this.q.push(at, EV_MEMBER * K + m)
  }

  private handle(kind: number, i: number, t: number): void {
    switch (kind) {
      case EV_MEMBER:
        return this.memberReport(i, t)
      case EV_CAMERA:
        if (this.camNext[i] === t) this.cameraEpisode(i, t)
        return
      case EV_POWER_RESTORE:
        if (this.camPowerUntil[i] === t) {
          this.camPowerUntil[i] = 0
          this.updateCamera(i, t)
        }
        return
      case EV_CASE:
        return this.advanceCase(i, t)
      case EV_DISPUTE:
        return this.advanceDispute(i, t)
      case EV_GEN_CASE:
        return this.genCase(t)
      case EV_GEN_DISPUTE:
        return this.genDispute(t)
      case EV_GEN_POWER:
        return this.genPowerCut(t)
      case EV_GEN_SOS:
        return this.genSos(t)
      case EV_INCIDENT:
        return this.incident(t)
      case EV_HEARTBEAT:
        this.beat(i, t)
        return this.q.push(t + this.heartbeatMs, EV_HEARTBEAT * K + i)
    }
  }

  // ------------------------------------------------------------------ cameras

  private cameraEpisode(c: number, t: number): void {
    this.camNext[c] = this.nextEpisode(c, t, this.rnd)
    this.q.push(this.camNext[c]!, EV_CAMERA * K + c)
    this.updateCamera(c, t)
  }

  /** Ends camera c's episode (or starts one) at `t`; returns when the next one starts or ends. */
  private nextEpisode(c: number, t: number, r: () => number): number {
    if (this.camFlaky[c]) {
      // flapping: offline 2–20 min, online 2–12 h
      if (this.camEpisode[c] === 0) {
        this.camEpisode[c] = 1
        return t + (2 + 18 * r()) * MINUTE
      }
      this.camEpisode[c] = 0
      return t + (2 + 10 * r()) * HOUR
    }
    if (this.camEpisode[c] === 0) {
      if (r() < CAM_FAULT_SHARE) {
        this.camEpisode[c] = 2
        return t + Math.min(CAM_FAULT_MIN + expo(r, CAM_FAULT_MEAN), CAM_FAULT_MAX)
      }
      this.camEpisode[c] = 1
      return t + Math.min(CAM_LINK_MIN + expo(r, CAM_LINK_MEAN), CAM_LINK_MAX)
    }
    this.camEpisode[c] = 0
    return t + expo(r, CAM_EPISODE_GAP)
  }

  /** Camera c's episode and its next boundary at `t`, drawn from the steady state. */
  private initCamera(c: number, t: number, r: () => number): void {
    this.camPowerUntil[c] = 0
    if (r() < FLAKY_SHARE) {
      this.camFlaky[c] = 1
      this.camEpisode[c] = 0
      this.camNext[c] = t + r() * 12 * HOUR
      return
    }
    const meanFault = CAM_FAULT_MIN + CAM_FAULT_MEAN
    const meanLink = CAM_LINK_MIN + CAM_LINK_MEAN
    const cycle = CAM_EPISODE_GAP + CAM_FAULT_SHARE * meanFault + (1 - CAM_FAULT_SHARE) * meanLink
    const downFault = (CAM_FAULT_SHARE * meanFault) / cycle
    const downLink = ((1 - CAM_FAULT_SHARE) * meanLink) / cycle
    const u = r()
    // the time left of the episode under way: uniform, with the episode's mean
    if (u < downFault) {
      this.camEpisode[c] = 2
      this.camNext[c] = t + r() * meanFault * 2
    } else if (u < downFault + downLink) {
      this.camEpisode[c] = 1
      this.camNext[c] = t + r() * meanLink * 2
    } else {
      this.camEpisode[c] = 0
      this.camNext[c] = t + expo(r, CAM_EPISODE_GAP)
    }
  }

  /**
   * Camera c's registration and, with a camera history, every status change from then until
   * `start`: one group, in order, from a random stream of its own (and the history's power cuts),
   * so that the groups are the same whatever the budget per step and the order they are made in.
   * Its episode and power state at `start` then go on in the event queue.
   */
  private cameraGroup(c: number): void {
    const start = this.o.start
    const from = start - Math.max(0, this.o.cameraHistoryMs)
    const r = mulberry32(seedOf(this.o.seed, 0xca3e7a, c))
    this.initCamera(c, from, r)
    this.camStatus[c] = this.camEpisode[c]!
    this.camChangedAt = from
    const cam = this.cams[c]!
    this.out.cameras.push({
      id: cam.id,
      status: CAM_STATUS[this.camStatus[c]!]!,
      ts: this.ts(from),
      name: `${cam.kind === 'public' ? '公安' : '社会'}监控-${cam.id.slice(-6)}`,
      lon: cam.lon,
      lat: cam.lat,
      kind: cam.kind,
    })
    if (from < start) {
      const cuts = this.historyCuts()[this.camComm[c]!] ?? []
      let k = 0
      for (;;) {
        const tCut = k < cuts.length ? cuts[k]!.at : Infinity
        const tUp = this.camPowerUntil[c]! > 0 ? this.camPowerUntil[c]! : Infinity
        const t = Math.min(tCut, tUp, this.camNext[c]!)
        if (t >= start) break
        if (t === tUp) this.camPowerUntil[c] = 0
        else if (t === tCut) {
          const cut = cuts[k++]!
          // cameras drop within seconds of each other and reboot over up to two minutes after power returns
          if (r() < cut.share) this.camPowerUntil[c] = Math.max(this.camPowerUntil[c]!, cut.end + r() * 2 * MINUTE)
        } else this.camNext[c] = this.nextEpisode(c, t, r)
        this.updateCamera(c, t)
      }
    }
    this.q.push(this.camNext[c]!, EV_CAMERA * K + c)
    if (this.camPowerUntil[c]! > 0) this.q.push(this.camPowerUntil[c]!, EV_POWER_RESTORE * K + c)
    // its last heartbeat before the start (history keeps real instants), then the live ones
    const phase = (c + 0.5) / this.cams.length
    const lastBeat = start - (1 - phase) * CAMERA_HEARTBEAT_MS
    if (lastBeat > from && lastBeat > this.camChangedAt) this.beat(c, lastBeat)
    this.q.push(start + phase * this.heartbeatMs, EV_HEARTBEAT * K + c)
  }

  private get heartbeatMs(): number {
    return CAMERA_HEARTBEAT_MS * (this.o.reportScale ?? 1)
  }

  /** A heartbeat: the camera's status again, unless it is offline (then it is silent). */
  private beat(c: number, t: number): void {
    if (this.camStatus[c] === 1) return
    this.out.cameras.push({ id: this.cams[c]!.id, status: CAM_STATUS[this.camStatus[c]!]!, ts: this.ts(t) })
  }

  /** The power cuts of the camera history, by community, in time order (from a stream of their own). */
  private historyCuts(): { at: number; end: number; share: number }[][] {
    if (this.cutsByComm) return this.cutsByComm
    const out: { at: number; end: number; share: number }[][] = this.camsByComm.map(() => [])
    const start = this.o.start
    if (this.powerCutGap < Infinity) {
      const r = mulberry32(seedOf(this.o.seed, 0xc075, 0))
      for (
        let t = start - this.o.cameraHistoryMs + expo(r, this.powerCutGap);
        t < start;
        t += expo(r, this.powerCutGap)
      ) {
        const cut = this.drawPowerCut(t, r)
        out[cut.comm]!.push({ at: t, end: cut.end, share: cut.share })
      }
    }
    return (this.cutsByComm = out)
  }

  /** A power cut at `t`: its community (weighted by cameras), the share of cameras it takes down, its end. */
  private drawPowerCut(t: number, r: () => number): { comm: number; share: number; end: number } {
    const total = this.commCamTotal[this.commCamTotal.length - 1]!
    const comm = upperBound(this.commCamTotal, r() * total)
    const share = 0.7 + 0.25 * r()
    const end = t + Math.min(POWER_CUT_MIN + expo(r, POWER_CUT_MEAN), POWER_CUT_MAX)
    return { comm, share, end }
  }

  private genPowerCut(t: number): void {
    this.q.push(t + expo(this.rnd, this.powerCutGap), EV_GEN_POWER * K)
    this.powerCut(t)
  }

  private powerCut(t: number): void {
    if (this.powerCutGap === Infinity) return
    const r = this.rnd
    const { comm, share, end } = this.drawPowerCut(t, r)
    for (const c of this.camsByComm[comm] ?? []) {
      if (r() >= share) continue
      // cameras drop within seconds of each other and reboot over up to two minutes after power returns
      const until = end + r() * 2 * MINUTE
      this.camPowerUntil[c] = Math.max(this.camPowerUntil[c]!, until)
      this.q.push(this.camPowerUntil[c]!, EV_POWER_RESTORE * K + c)
      this.updateCamera(c, t)
    }
  }

  private updateCamera(c: number, t: number): void {
    const ep = this.camEpisode[c]!
    const status = ep === 2 ? 2 : ep === 1 || this.camPowerUntil[c]! > 0 ? 1 : 0
    if (status === this.camStatus[c]) return
    this.camStatus[c] = status
    this.camChangedAt = t
    this.out.cameras.push({ id: this.cams[c]!.id, status: CAM_STATUS[status]!, ts: this.ts(t) })
  }

  // ------------------------------------------------------------------ members

  /** Shift schedule, a pure function of the member, the day and the hour (no PRNG). */
  private dutyAt(m: number, t: number): boolean {
    const h = cstHour(t)
    const day = cstDay(t)
    const seed = this.o.seed
    const j = this.mShift[m]! // personal offset
    const off = (d: number, p: number) => hash01(seed, m, d) < p
    switch (this.mRole[m]) {
      case 0: // 专职网格员: 08:00–17:30 ± 20 min, one rest day in ~6
        return !off(day, 0.15) && h >= 8 + (j - 0.5) * 0.66 && h < 17.5 + (j - 0.5) * 0.66
      case 1: {
        // 兼职网格员: a 2–3 h walk on about half of the days
        const start = 8 + 9 * hash01(seed ^ 0x55, m, day)
        return !off(day, 0.5) && h >= start && h < start + 2 + j
      }
      case 2: // 社区民警: day shift 08:00–18:00, every fourth day also the evening to 23:00
        return !off(day, 0.2) && h >= 8 && h < (hash01(seed ^ 0x77, m, day) < 0.25 ? 23 : 18)
      default: {
        // 辅警/特勤: three 8-hour shifts (06–14, 14–22, 22–06), rest one day in five
        const s = Math.floor(j * 3)
        if (s === 2) return h >= 22 ? !off(day, 0.2) : h < 6 && !off(day - 1, 0.2)
        const start = s === 0 ? 6 : 14
        return !off(day, 0.2) && h >= start && h < start + 8
      }
    }
  }

  private reportInterval(m: number): number {
    const scale = this.o.reportScale
    const [base, spread] = this.o.memberReportSeconds
    const on = (base + spread * this.rnd()) * SECOND * scale
    return this.mOnDuty[m] ? on : Math.max((300 + 300 * this.rnd()) * SECOND, on)
  }

  private memberReport(m: number, t: number): void {
    if (this.mNext[m] !== t) return
    const r = this.rnd
    const was = this.mOnDuty[m]!
    const on = this.dutyAt(m, t) && !(this.mOffUntil[m]! > t)
    this.mOnDuty[m] = on ? 1 : 0
    const sos = this.mSosUntil[m]! > 0
    let x: number
    let y: number
    let speed = 0
    if (on && !was) {
      // back on duty: walk on from where the phone last was
      this.mX1[m] = this.mLastX[m]!
      this.mY1[m] = this.mLastY[m]!
      this.mDep[m] = this.mArr[m] = t
      this.mLeave[m] = t + r() * 30 * SECOND
    }
    if (on && !sos) {
      this.advance(m, t)
      const dep = this.mDep[m]!
      const arr = this.mArr[m]!
      if (t < arr) {
        const f = (t - dep) / (arr - dep)
        x = this.mX0[m]! + (this.mX1[m]! - this.mX0[m]!) * f
        y = this.mY0[m]! + (this.mY1[m]! - this.mY0[m]!) * f
        speed = this.mVel[m]! * (0.85 + 0.3 * r())
      } else {
        x = this.mX1[m]!
        y = this.mY1[m]!
        speed = 0.3 * r()
      }
    } else {
      x = this.mLastX[m]!
      y = this.mLastY[m]!
    }
    this.mLastX[m] = x
    this.mLastY[m] = y
    // GPS noise of a few metres; what is reported (rounded to 0.1 m) stays inside the member's area
    const accuracy = 3 + Math.floor(8 * r())
    let rx = round6(x + (gauss(r) * accuracy * 0.5) / this.mPerDegLon)
    let ry = round6(y + (gauss(r) * accuracy * 0.5) / this.mPerDegLat)
    if (!this.containsArea(m, rx, ry)) {
      rx = round6(x)
      ry = round6(y)
      if (!this.containsArea(m, rx, ry)) {
        rx = this.mOkX[m]!
        ry = this.mOkY[m]!
      }
    }
    this.mOkX[m] = rx
    this.mOkY[m] = ry
    if (this.mStrayUntil[m]! > t) {
      // a demo incident: standing somewhere outside the own grid
      rx = round6(this.mStrayX[m]! + (gauss(r) * accuracy * 0.5) / this.mPerDegLon)
      ry = round6(this.mStrayY[m]! + (gauss(r) * accuracy * 0.5) / this.mPerDegLat)
    }
    if (this.mSilentUntil[m]! > t) {
      // a demo incident: the phone is silent (no report), the schedule goes on
      this.pushReport(m, t + this.reportInterval(m))
      return
    }
    const item: MemberItem = {
      id: this.mem[m]!.id,
      lon: rx,
      lat: ry,
      ts: this.ts(t),
      accuracy,
      speed: Math.round(speed * 10) / 10,
      heading: Math.round(this.mHeading[m]!),
      onDuty: on,
    }
    if (sos) {
      item.sos = true
      if (this.mSosUntil[m]! <= t) {
        this.mSosUntil[m] = 0
        item.sos = false
        // walk on from here
        this.mX1[m] = x
        this.mY1[m] = y
        this.mDep[m] = this.mArr[m] = this.mLeave[m] = t
      }
    }
    this.out.members.push(item)
    this.pushReport(m, t + (sos ? 5 * SECOND : this.reportInterval(m)))
  }

  /** Moves member m along its waypoint path up to time t. */
  private advance(m: number, t: number): void {
    const r = this.rnd
    for (let guard = 0; t >= this.mLeave[m]! && guard < 1000; guard++) {
      const x0 = this.mX1[m]!
      const y0 = this.mY1[m]!
      const [x1, y1] = this.nextWaypoint(m, x0, y0)
      const dx = (x1 - x0) * this.mPerDegLon
      const dy = (y1 - y0) * this.mPerDegLat
      const dist = Math.hypot(dx, dy)
      const dep = this.mLeave[m]!
      this.mX0[m] = x0
      this.mY0[m] = y0
      this.mX1[m] = x1
      this.mY1[m] = y1
      this.mDep[m] = dep
      this.mArr[m] = dep + (dist / this.mVel[m]!) * SECOND
      if (dist > 0.5) this.mHeading[m] = ((Math.atan2(dx, dy) * 180) / Math.PI + 360) % 360
      // a stop at each waypoint: a few seconds to minutes, sometimes a household visit
      const dwell = r() < 0.1 ? (5 + 10 * r()) * MINUTE : (5 + 90 * r()) * SECOND
      this.mLeave[m] = this.mArr[m]! + dwell
    }
  }

  /** A waypoint 40–250 m away (farther by e-bike) reachable in a straight line inside the area. */
  private nextWaypoint(m: number, x0: number, y0: number): [number, number] {
    const r = this.rnd
    const fast = this.mVel[m]! > 3
    for (let attempt = 0; attempt < 12; attempt++) {
      const d = (fast ? 80 + 500 * r() : 40 + 210 * r()) / (attempt < 6 ? 1 : 4)
      const a = r() * 2 * Math.PI
      const x1 = x0 + (Math.sin(a) * d) / this.mPerDegLon
      const y1 = y0 + (Math.cos(a) * d) / this.mPerDegLat
      if (this.segmentInside(m, x0, y0, x1, y1, d)) return [x1, y1]
    }
    return [x0, y0]
  }

  private segmentInside(m: number, x0: number, y0: number, x1: number, y1: number, metres: number): boolean {
    const n = Math.min(24, Math.max(2, Math.ceil(metres / 10)))
    for (let k = 1; k <= n; k++) {
      const f = k / n
      if (!this.containsArea(m, x0 + (x1 - x0) * f, y0 + (y1 - y0) * f)) return false
    }
    return true
  }

  private containsArea(m: number, x: number, y: number): boolean {
    const g = this.mGrid[m]!
    if (this.mRoam[m]) {
      const c = this.gridComm[g]!
      return inBox(this.commBox, c, x, y) && this.commIndex.contains(c, x, y)
    }
    return inBox(this.gridBox, g, x, y) && this.gridIndex.contains(g, x, y)
  }

  private genSos(t: number): void {
    this.q.push(t + expo(this.rnd, HOUR / SOS_PER_HOUR), EV_GEN_SOS * K)
    this.startSos(t)
  }

  private startSos(t: number): void {
    const r = this.rnd
    const M = this.mem.length
    const start = Math.floor(r() * M)
    for (let k = 0; k < M; k++) {
      const m = (start + k) % M
      if (this.mOnDuty[m] && this.mSosUntil[m] === 0) {
        this.mSosUntil[m] = t + (3 + 7 * r()) * MINUTE
        this.pushReport(m, t + r() * SECOND)
        return
      }
    }
  }

  // ------------------------------------------------------------------ cases

  private genCase(t: number): void {
    const r = this.rnd
    // thinning of a non-homogeneous Poisson process with the daily rhythm
    this.q.push(t + expo(r, 1 / this.caseRateMax), EV_GEN_CASE * K)
    const h = cstHour(t)
    const night = h >= 20 || h < 6 ? 1 : 0
    const rate = (CASE_HOURLY[Math.floor(h)]! / CASE_MEAN_RATE) * (this.o.casesPerDay / DAY) * CASE_TYPE_MEAN[night]!
    if (r() * this.caseRateMax >= rate) return
    const ct = CASE_TYPES[weighted(r, CASE_TYPE_W[night]!)]!
    const g = upperBound(this.caseGridCum, r() * this.caseGridCum[this.caseGridCum.length - 1]!)
    const [lon, lat] = this.randomInGrid(g)
    const u = r()
    this.makeCase(t, ct, g, lon, lat, u < ct.p1 ? 1 : u < ct.p1 + ct.p2 ? 2 : 3)
  }

  /** A new case; `reportedAgoMs` back-dates its report (a demo case close to its dispatch deadline). */
  private makeCase(
    t: number,
    ct: CaseType,
    g: number,
    lon: number,
    lat: number,
    priority: number,
    reportedAgoMs = 0,
  ): void {
    const r = this.rnd
    const source = (['app', 'hotline', 'patrol', 'video'] as const)[weighted(r, ct.sources)]!
    const assignee = this.drawAssignee(g)
    const idx = ++this.caseSeq
    const item: CaseItem = {
      id: `SJ${cstDate(t)}${this.o.runTag}${String(idx).padStart(6, '0')}`,
      type: ct.type,
      status: 'reported',
      lon: round6(lon),
      lat: round6(lat),
      ts: this.ts(t - reportedAgoMs),
      priority,
      title: ct.titles[Math.floor(r() * ct.titles.length)]!,
      source,
    }
    const c: SimCase = { item, g, step: 0, late: reportedAgoMs > 0 }
    this.cases.set(idx, c)
    this.emitCase({ ...item }, false)
    if (assignee) item.assignee = assignee
    const next = reportedAgoMs > 0 ? t + (5 + 20 * r()) * MINUTE : this.nextCaseTime(c, ct, t)
    this.q.push(next, EV_CASE * K + idx)
  }

  /** The member a case in grid g goes to: a full-time 网格员 of the grid mostly. */
  private drawAssignee(g: number): string | undefined {
    const r = this.rnd
    const candidates = this.membersByGrid[g] ?? []
    const fullTime = candidates.filter((m) => this.mRole[m] === 0)
    const pool = r() < 0.75 && fullTime.length > 0 ? fullTime : candidates
    return pool.length > 0 ? this.mem[pool[Math.floor(r() * pool.length)]!]!.id : undefined
  }

  private nextCaseTime(c: SimCase, ct: CaseType, t: number): number {
    const r = this.rnd
    const p = c.item.priority ?? 3
    switch (c.step) {
      case 0: {
        // reported → dispatched: minutes, 5 % past the 30-minute deadline (more at night)
        const h = cstHour(t)
        const lateP = (h >= 22 || h < 7 ? 0.12 : 0.04) * (p === 1 ? 0.3 : 1)
        if (r() < lateP) {
          c.late = true
          return t + (31 + 90 * r()) * MINUTE
        }
        return t + Math.min(lognormal(r, p === 1 ? 2 : 6, 0.7), 28) * MINUTE
      }
      case 1: // dispatched → handling: the member gets there
        return t + (p === 1 ? 3 + 10 * r() : 8 + 50 * r()) * MINUTE
      case 2: {
        // handling → resolved: urgent ones in calendar time; the rest at the pace of the hour
        // (slower in the evening and at weekends, see addHandlingTime), within 80 % of the
        // deadline; the few overdue ones past it, in working time
        if (p === 1) return t + (20 + 100 * r()) * MINUTE
        const overdue = r() < (ct.type === '违章搭建' ? 0.15 : 0.05)
        if (overdue) {
          c.late = true
          return addWorkingTime(t, RESOLVE_DEADLINE_WORK_MS * (1.1 + 1.5 * r()))
        }
        return addHandlingTime(t, Math.min(lognormal(r, 2.5, 0.9) * HOUR, RESOLVE_DEADLINE_WORK_MS * 0.8))
      }
      default: // resolved → closed: 回访核查 within a day
        return t + (30 + 20 * 60 * r()) * MINUTE
    }
  }

  private advanceCase(idx: number, t: number): void {
    const c = this.cases.get(idx)
    if (!c) return
    c.step++
    c.item.status = CASE_FLOW[c.step]!
    c.item.ts = this.ts(t)
    // later updates carry only what changed, as a real 平台 would
    const update: CaseItem = {
      id: c.item.id,
      type: c.item.type,
      status: c.item.status,
      lon: c.item.lon,
      lat: c.item.lat,
      ts: c.item.ts,
    }
    if (c.step === 1 && c.item.assignee) update.assignee = c.item.assignee
    this.emitCase(update, c.step >= CASE_FLOW.length - 1)
    if (c.step >= CASE_FLOW.length - 1) {
      this.cases.delete(idx)
      return
    }
    const ct = CASE_TYPES.find((x) => x.type === c.item.type)!
    this.q.push(this.nextCaseTime(c, ct, t), EV_CASE * K + idx)
  }

  // ------------------------------------------------------------------ disputes

  private genDispute(t: number): void {
    const r = this.rnd
    this.q.push(t + expo(r, DAY / this.o.disputesPerDay), EV_GEN_DISPUTE * K)
    // office hours mostly: skip half of the night arrivals
    const h = cstHour(t)
    if ((h < 7 || h >= 21) && r() < 0.7) return
    const hot = r() < HOT_SPOT_SHARE && this.hotComms.length > 0
    let g: number
    if (hot) {
      const comm = this.hotComms[Math.floor(r() * this.hotComms.length)]!
      const grids = this.gridComm.reduce<number[]>((a, c, i) => (c === comm ? (a.push(i), a) : a), [])
      g = grids[Math.floor(r() * grids.length)]!
    } else {
      g = Math.floor(r() * this.gridCode.length)
    }
    const urban = this.gridUrban[g] === 1
    const weights = DISPUTE_CATEGORIES.map((d) => (urban ? d.urban : d.rural) * (hot ? d.hot : 1))
    const cat = DISPUTE_CATEGORIES[weighted(r, weights)]!
    const [lon, lat] = this.randomInGrid(g)
    const [pmin, pmax] = cat.parties
    const idx = ++this.disputeSeq
    const item: DisputeItem = {
      id: `MD${cstDate(t)}${this.o.runTag}${String(idx).padStart(5, '0')}`,
      category: cat.category,
      status: 'accepted',
      lon: round6(lon),
      lat: round6(lat),
      ts: this.ts(t),
      title: cat.titles[Math.floor(r() * cat.titles.length)]!,
      parties: pmin + Math.floor((pmax - pmin + 1) * r() ** 3),
    }
    const due = t + this.disputeWait('accepted', 0)
    this.disputes.set(idx, { item, escalations: 0, due })
    this.emitDispute({ ...item }, false)
    this.q.push(due, EV_DISPUTE * K + idx)
  }

  /** How long a dispute stays in `status` (0 for an outcome: nothing follows). */
  private disputeWait(status: DisputeStatus, escalations: number): number {
    const r = this.rnd
    switch (status) {
      case 'accepted':
        return (0.5 + 7.5 * r()) * HOUR
      case 'assigned':
        return (4 + 44 * r()) * HOUR // 调解员 start within two days
      case 'mediating':
        return (1 + 9 * r()) * DAY * (escalations > 0 ? 1.5 : 1)
      case 'escalated':
        return (1 + 3 * r()) * DAY
      default:
        return 0
    }
  }

  private advanceDispute(idx: number, t: number): void {
    const d = this.disputes.get(idx)
    if (!d || d.due !== t) return
    const r = this.rnd
    const s = d.item.status
    let next: DisputeStatus
    if (s === 'accepted') next = 'assigned'
    else if (s === 'assigned' || s === 'escalated') next = 'mediating'
    else {
      // mediating → outcome: about 93 % resolved in the end
      const u = r()
      if (d.escalations === 0) next = u < 0.9 ? 'resolved' : u < 0.94 ? 'escalated' : 'unresolved'
      else next = u < 0.8 ? 'resolved' : 'unresolved'
      if (next === 'escalated') d.escalations++
    }
    const wait = this.disputeWait(next, d.escalations)
    d.item.status = next
    d.item.ts = this.ts(t)
    this.emitDispute(
      { id: d.item.id, category: d.item.category, status: next, lon: d.item.lon, lat: d.item.lat, ts: d.item.ts },
      DISPUTE_NEXT[next].length === 0,
    )
    if (DISPUTE_NEXT[next].length === 0) this.disputes.delete(idx)
    else {
      d.due = t + wait
      this.q.push(d.due, EV_DISPUTE * K + idx)
    }
  }

  // ------------------------------------------------------------------ demo incidents

  private incident(t: number): void {
    const r = this.rnd
    const n = this.incidentN++
    const kind = INCIDENTS[n % INCIDENTS.length]!
    // the first round quickly (every ~30–45 s), then one every ~10 minutes
    this.q.push(t + (n + 1 < INCIDENTS.length ? (30 + 15 * r()) * SECOND : expo(r, INCIDENT_GAP)), EV_INCIDENT * K)
    const M = this.mem.length
    const onDuty = (pred: (m: number) => boolean = () => true): number => {
      const start = Math.floor(r() * M)
      for (let k = 0; k < M; k++) {
        const m = (start + k) % M
        if (this.mOnDuty[m] && this.mSosUntil[m] === 0 && pred(m)) return m
      }
      return -1
    }
    switch (kind) {
      case 'sos':
        return this.startSos(t)
      case 'p1':
      case 'lateDispatch': {
        const ct = CASE_TYPES[Math.floor(r() * CASE_TYPES.length)]!
        const g = upperBound(this.caseGridCum, r() * this.caseGridCum[this.caseGridCum.length - 1]!)
        const [lon, lat] = this.randomInGrid(g)
        return kind === 'p1' ? this.makeCase(t, ct, g, lon, lat, 1) : this.makeCase(t, ct, g, lon, lat, 3, 28 * MINUTE)
      }
      case 'duplicate': {
        // a second report of an open case, 10–30 m from it (another caller, another GPS)
        const open = [...this.cases.values()].filter((c) => c.step <= 2)
        const orig = open[Math.floor(r() * open.length)]
        if (!orig) return
        const ct = CASE_TYPES.find((x) => x.type === orig.item.type) ?? CASE_TYPES[0]!
        const g = orig.g
        const d = 10 + 20 * r()
        const a = r() * 2 * Math.PI
        const lon = round6(orig.item.lon + (Math.sin(a) * d) / this.mPerDegLon)
        const lat = round6(orig.item.lat + (Math.cos(a) * d) / this.mPerDegLat)
        return this.makeCase(t, ct, g, lon, lat, orig.item.priority ?? 3)
      }
      case 'escalation': {
        for (const [idx, d] of this.disputes) {
          if (d.item.status !== 'mediating' || d.escalations > 0) continue
          d.escalations++
          d.item.status = 'escalated'
          d.item.ts = this.ts(t)
          const { id, category, status, lon, lat, ts } = d.item
          this.emitDispute({ id, category, status, lon, lat, ts }, false)
          d.due = t + this.disputeWait('escalated', d.escalations)
          this.q.push(d.due, EV_DISPUTE * K + idx)
          return
        }
        return
      }
      case 'silent': {
        const m = onDuty()
        if (m >= 0) this.mSilentUntil[m] = t + (12 + 6 * r()) * MINUTE
        return
      }
      case 'stray': {
        const m = onDuty((k) => this.mRole[k]! <= 1 && this.mRoam[k] === 0)
        if (m < 0) return
        const g = this.mGrid[m]!
        const c = this.gridComm[g]!
        const others = this.gridComm.reduce<number[]>(
          (acc, cc, i) => (cc === c && i !== g ? (acc.push(i), acc) : acc),
          [],
        )
        const other = others[Math.floor(r() * others.length)] ?? (g + 1) % this.gridCode.length
        const [x, y] = this.randomInGrid(other)
        this.mStrayX[m] = x
        this.mStrayY[m] = y
        this.mStrayUntil[m] = t + (17 + 8 * r()) * MINUTE
        return
      }
      case 'void': {
        const m = onDuty()
        if (m < 0) return
        // everyone of that grid called away at once
        const until = t + (15 + 10 * r()) * MINUTE
        for (const k of this.membersByGrid[this.mGrid[m]!] ?? []) {
          this.mOffUntil[k] = until
          if (this.mOnDuty[k]) this.pushReport(k, t + r() * 10 * SECOND)
        }
        return
      }
      case 'powerCut':
        return this.powerCut(t)
    }
  }

  // ------------------------------------------------------------------ helpers

  private ts(t: number): string {
    return cstIso(this.o.stamp(t))
  }

  private randomInGrid(g: number): [number, number] {
    const b = this.gridBox
    const r = this.rnd
    for (let k = 0; k < 200; k++) {
      const x = round6(b[4 * g]! + (b[4 * g + 2]! - b[4 * g]!) * r())
      const y = round6(b[4 * g + 1]! + (b[4 * g + 3]! - b[4 * g + 1]!) * r())
      if (this.gridIndex.contains(g, x, y)) return [x, y]
    }
    throw new Error(`could not place a point in grid ${this.gridCode[g]}`)
  }

  private pick(list: readonly number[], n: number): number[] {
    const a = [...list]
    const out: number[] = []
    while (out.length < n && a.length > 0) out.push(a.splice(Math.floor(this.rnd() * a.length), 1)[0]!)
    return out
  }
}

// -------------------------------------------------------------------- maths

function boxes(units: readonly UnitFeature[]): Float64Array {
  const b = new Float64Array(units.length * 4)
  units.forEach((u, i) => {
    let w = Infinity
    let s = Infinity
    let e = -Infinity
    let n = -Infinity
    const polys = u.geometry.type === 'Polygon' ? [u.geometry.coordinates] : u.geometry.coordinates
    for (const poly of polys)
      for (const [x, y] of poly[0] ?? []) {
        if (x < w) w = x
        if (x > e) e = x
        if (y < s) s = y
        if (y > n) n = y
      }
    b.set([w, s, e, n], i * 4)
  })
  return b
}

const inBox = (b: Float64Array, i: number, x: number, y: number) =>
  x >= b[4 * i]! && x <= b[4 * i + 2]! && y >= b[4 * i + 1]! && y <= b[4 * i + 3]!

const round6 = (v: number) => Math.round(v * 1e6) / 1e6

/** Exponential with the given mean. */
function expo(r: () => number, mean: number): number {
  return -Math.log(1 - r()) * mean
}

/** Standard normal (Box–Muller, one value). */
function gauss(r: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r())
}

function lognormal(r: () => number, median: number, sigma: number): number {
  return median * Math.exp(sigma * gauss(r))
}

function weighted(r: () => number, weights: readonly number[]): number {
  let total = 0
  for (const w of weights) total += w
  let u = r() * total
  for (let i = 0; i < weights.length; i++) {
    u -= weights[i]!
    if (u < 0) return i
  }
  return weights.length - 1
}

/** First index whose cumulative value exceeds v. */
function upperBound(cum: Float64Array, v: number): number {
  let lo = 0
  let hi = cum.length - 1
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (cum[mid]! > v) hi = mid
    else lo = mid + 1
  }
  return lo
}
