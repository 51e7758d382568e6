/**
 * Local time in the region's zone (day and hour numbers for buckets and windows)
 * and the working calendar used by the case SLAs.
 */
import { dayOfDate, type KpiConfig } from './config.ts'

export const DAY_MS = 86_400_000
export const HOUR_MS = 3_600_000

/** Epoch ms ↔ local day/hour numbers in one IANA zone. */
export class ZoneClock {
  readonly timeZone: string
  /** the zone's offset when it has only one (Asia/Shanghai), else null */
  private readonly fixed: number | null
  private readonly fmt: Intl.DateTimeFormat
  private readonly cache = new Map<number, number>()

  constructor(timeZone: string) {
    this.timeZone = timeZone
    this.fmt = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
    const probes = [Date.UTC(2020, 0, 1), Date.UTC(2020, 6, 1), Date.UTC(2026, 0, 1), Date.UTC(2026, 6, 1)]
    const offsets = new Set(probes.map((t) => this.compute(t)))
    this.fixed = offsets.size === 1 ? [...offsets][0]! : null
  }

  private compute(ts: number): number {
    const p: Record<string, number> = {}
    for (const part of this.fmt.formatToParts(new Date(ts))) p[part.type] = Number(part.value)
    const local = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!)
    return local - Math.floor(ts / 1000) * 1000
  }

  /** UTC → local offset at ts, ms */
  offset(ts: number): number {
    if (this.fixed !== null) return this.fixed
    const h = Math.floor(ts / HOUR_MS)
    let o = this.cache.get(h)
    if (o === undefined) {
      o = this.compute(h * HOUR_MS)
      if (this.cache.size > 100_000) this.cache.clear()
      this.cache.set(h, o)
    }
    return o
  }

  /** local day number (days since 1970-01-01 local) */
  day(ts: number): number {
    return Math.floor((ts + this.offset(ts)) / DAY_MS)
  }

  /** local hour number */
  hour(ts: number): number {
    return Math.floor((ts + this.offset(ts)) / HOUR_MS)
  }

  /** epoch ms of the start of a local day */
  dayStart(day: number): number {
    const guess = day * DAY_MS - this.offset(day * DAY_MS)
    return day * DAY_MS - this.offset(guess)
  }

  hourStart(hour: number): number {
    const guess = hour * HOUR_MS - this.offset(hour * HOUR_MS)
    return hour * HOUR_MS - this.offset(guess)
  }

  /** the local day number of 1 January of the day's year */
  yearStartDay(day: number): number {
    return Date.UTC(new Date(day * DAY_MS).getUTCFullYear(), 0, 1) / DAY_MS
  }

  /** 'YYYY-MM-DD' of a local day number */
  static dateOf(day: number): string {
    return new Date(day * DAY_MS).toISOString().slice(0, 10)
  }
}

/** Which local days are working days: weekends off, holidays off, make-up workdays (调休) on. */
export class WorkCalendar {
  readonly clock: ZoneClock
  private readonly weekend = new Uint8Array(7)
  private readonly holidays: Set<number>
  private readonly workdays: Set<number>

  constructor(clock: ZoneClock, cal: KpiConfig['calendar']) {
    this.clock = clock
    for (const d of cal.weekend) this.weekend[d] = 1
    this.holidays = new Set(cal.holidays.map((d) => dayOfDate(d)!))
    this.workdays = new Set(cal.workdays.map((d) => dayOfDate(d)!))
  }

  isWorkday(day: number): boolean {
    if (this.workdays.has(day)) return true
    if (this.holidays.has(day)) return false
    // 1970-01-01 was a Thursday (4)
    return this.weekend[(((day + 4) % 7) + 7) % 7] === 0
  }

  /**
   * The instant `workingDays` × 24 h of working-day time after `from`: only time on working days
   * counts (whole local days, 00:00–24:00). 1.5 working days from Friday 10:00 before a normal
   * weekend ends on Monday 22:00.
   */
  addWorkingTime(from: number, workingDays: number): number {
    let remaining = workingDays * DAY_MS
    let t = from
    for (let guard = 0; guard < 3660; guard++) {
      const d = this.clock.day(t)
      const end = this.clock.dayStart(d + 1)
      if (this.isWorkday(d)) {
        const avail = end - t
        if (remaining <= avail) return t + remaining
        remaining -= avail
      }
      t = end
    }
    return Infinity
  }
}
