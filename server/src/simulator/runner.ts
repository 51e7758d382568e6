/**
 * Couples the simulator core to a clock: simulated time runs `speed` times faster than the wall
 * clock from the moment the runner is created. Items are stamped on the wall clock (a simulated
 * instant maps to start + elapsed / speed), because servers reject timestamps from the future;
 * at speed 1 the two clocks are the same. The history the first step pre-rolls (before the start)
 * is stamped at its own instants, uncompressed. Used by the in-process plugin and `gridsight simulate`.
 */
import { CASES_PER_DAY, DISPUTES_PER_DAY } from './catalog.ts'
import { Simulator, type SimBatches, type SimOptions, type SimPack } from './simulator.ts'

export type SimScale = 'district' | 'city'

/** Grids of the district the catalogue's rates were set for (南湖). */
const CATALOGUE_GRIDS = 605

/**
 * What a scale changes in the simulator. city: members report every 5 s on duty (the issue's
 * profile), cases and disputes at the catalogue's per-grid rates (×10,000 / 605).
 */
export function scaleProfile(scale: SimScale, pack: SimPack): Partial<SimOptions> {
  if (scale === 'district') return {}
  const f = pack.grids.length / CATALOGUE_GRIDS
  return {
    memberReportSeconds: [5, 0],
    // the city is the load profile: its report cadence stays exact (no demo incidents)
    incidents: false,
    casesPerDay: Math.round(CASES_PER_DAY * f),
    disputesPerDay: Math.round(DISPUTES_PER_DAY * f),
  }
}

/**
 * History items per tick (member registrations count in the first): the district's 30 days of
 * camera history (its 7,880 cameras' registrations and ~25,000 status changes) and 33 days of
 * cases and disputes (~31,000 items) go with the first tick, so its KPIs and trends are whole from
 * the first second; the city's (~430,000 camera items, then ~530,000 of cases and disputes) follow
 * over the next ~12 ticks, its first tick holding its 20,000 members and the first ~14,000
 * cameras. While history is left, the simulated clock waits at the start.
 */
export const HISTORY_ITEMS_PER_TICK = 80_000

export interface RunnerOptions {
  seed: number
  /** simulated seconds per real second */
  speed: number
  /** wall-clock start, epoch ms (default: now) */
  start?: number
  /** overrides for the simulator core (see scaleProfile) */
  profile?: Partial<SimOptions>
}

export const INGEST_KINDS = ['cameras', 'members', 'cases', 'disputes'] as const

export class SimRunner {
  readonly sim: Simulator
  readonly start: number
  readonly speed: number

  constructor(pack: SimPack, o: RunnerOptions) {
    this.start = o.start ?? Date.now()
    this.speed = o.speed
    const start = this.start
    this.sim = new Simulator(pack, {
      // a runner feeds a live server: show every kind of alert early (tests of the core leave them off)
      incidents: true,
      historyItemsPerStep: HISTORY_ITEMS_PER_TICK,
      ...o.profile,
      seed: o.seed,
      start,
      reportScale: Math.max(1, o.speed),
      // the pre-rolled history keeps its real instants (a 30-day window stays 30 days at any speed)
      stamp: (t) => (t < start ? t : start + (t - start) / o.speed),
      // case/dispute numbers stay unique across restarts against the same database
      runTag: Math.floor(start / 1000)
        .toString(36)
        .slice(-4)
        .toUpperCase(),
    })
  }

  /** Simulated instant for a wall-clock instant. */
  simTime(wallMs: number): number {
    return this.start + (wallMs - this.start) * this.speed
  }

  /**
   * Steps the simulation up to the wall-clock instant `wallMs`. While history is left, a tick
   * delivers history only, up to the budget, and the one that finishes it nothing else: every item
   * of a tick is history or none is (what the history's progress counts, see progress.ts).
   */
  tick(wallMs = Date.now()): SimBatches {
    return this.sim.step(this.sim.historyDone ? this.simTime(wallMs) : this.start - 1)
  }

  /** true once the history is delivered in full */
  get historyDone(): boolean {
    return this.sim.historyDone
  }
}

/**
 * Splits a batch into requests of about `size` items, never between two items of one entity
 * (the same `id`): a case's pre-rolled past is committed in one call (see Simulator.preroll).
 */
export function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  const idOf = (k: number) => (items[k] as { id?: unknown } | undefined)?.id
  for (let i = 0; i < items.length;) {
    let end = Math.min(i + size, items.length)
    while (end < items.length && idOf(end) !== undefined && idOf(end) === idOf(end - 1)) end++
    yield items.slice(i, end)
    i = end
  }
}
