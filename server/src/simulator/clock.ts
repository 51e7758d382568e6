/**
 * China Standard Time helpers (UTC+8, no DST): local hour of day, ISO stamps with +08:00, working
 * time (工作日 08:30–12:00, 13:30–17:30, Monday–Friday) for the 1.5-working-day deadline, and the
 * handling time of cases, which goes on at a slower pace outside it.
 */
export const SECOND = 1000
export const MINUTE = 60 * SECOND
export const HOUR = 60 * MINUTE
export const DAY = 24 * HOUR
const CST = 8 * HOUR

/** Local (CST) hour of day as a fraction, 0 ≤ h < 24. */
export function cstHour(ms: number): number {
  const d = (((ms + CST) % DAY) + DAY) % DAY
  return d / HOUR
}

/** Local (CST) day number since 1970-01-01. */
export function cstDay(ms: number): number {
  return Math.floor((ms + CST) / DAY)
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0')

/** The local date of a day number as [yyyy, mm, dd] strings (the simulator stamps ~100,000 items a second). */
let dateDay = Number.NaN
let datePart: [string, string, string] = ['', '', '']
function dateOf(day: number): [string, string, string] {
  if (day !== dateDay) {
    const d = new Date(day * DAY)
    dateDay = day
    datePart = [String(d.getUTCFullYear()), pad(d.getUTCMonth() + 1), pad(d.getUTCDate())]
  }
  return datePart
}

/** ISO 8601 in CST with an explicit offset, e.g. 2026-11-22T09:30:00.000+08:00. */
export function cstIso(ms: number): string {
  const t = Math.round(ms) + CST
  const day = Math.floor(t / DAY)
  const [y, mo, d] = dateOf(day)
  let rest = t - day * DAY
  const h = Math.floor(rest / HOUR)
  rest -= h * HOUR
  const mi = Math.floor(rest / MINUTE)
  rest -= mi * MINUTE
  const sec = Math.floor(rest / SECOND)
  return `${y}-${mo}-${d}T${pad(h)}:${pad(mi)}:${pad(sec)}.${pad(rest - sec * SECOND, 3)}+08:00`
}

/** yyyymmdd of the CST date, for case numbers. */
export function cstDate(ms: number): string {
  const [y, mo, d] = dateOf(Math.floor((ms + CST) / DAY))
  return `${y}${mo}${d}`
}

/** Working periods of a working day, as [start, end) offsets from local midnight. */
const PERIODS: readonly [number, number][] = [
  [8.5 * HOUR, 12 * HOUR],
  [13.5 * HOUR, 17.5 * HOUR],
]
export const WORKING_DAY_MS = PERIODS.reduce((s, [a, b]) => s + b - a, 0)

const isWeekday = (day: number) => {
  const dow = (day + 4) % 7 // 1970-01-01 was a Thursday; 0 = Sunday
  return dow >= 1 && dow <= 5
}

/** The instant when `workMs` of working time has passed after `from`. */
export function addWorkingTime(from: number, workMs: number): number {
  let left = workMs
  let day = cstDay(from)
  for (let guard = 0; guard < 3660; guard++, day++) {
    if (!isWeekday(day)) continue
    const midnight = day * DAY - CST
    for (const [a, b] of PERIODS) {
      const start = Math.max(midnight + a, from)
      const end = midnight + b
      if (start >= end) continue
      if (start + left <= end) return start + left
      left -= end - start
    }
  }
  return from + workMs
}

/** Working time between two instants. */
export function workingTimeBetween(from: number, to: number): number {
  let sum = 0
  for (let day = cstDay(from); day <= cstDay(to); day++) {
    if (!isWeekday(day)) continue
    const midnight = day * DAY - CST
    for (const [a, b] of PERIODS) {
      const s = Math.max(midnight + a, from)
      const e = Math.min(midnight + b, to)
      if (e > s) sum += e - s
    }
  }
  return sum
}

/**
 * The pace at which cases are handled in each half hour of the day (1: a working period's), on a
 * working day and on a weekend day. Outside office hours work goes on more slowly — members on
 * evening and weekend duty, 城管 on weekend shifts, the 12345 hotline around the clock — so a
 * weekend gets about 40 % of a working day's handling and its cases are not all left to Monday
 * morning. Never below 1 in a working period: a case is never done later than the same handling
 * in working time alone (its deadline is in working time).
 */
const PACE_WORKDAY = halfHours([
  [0, 0.03],
  [6, 0.08],
  [7, 0.3],
  [8, 0.6],
  [8.5, 1],
  [12, 0.35],
  [13.5, 1],
  [17.5, 0.6],
  [18.5, 0.35],
  [20, 0.15],
  [22, 0.05],
])
const PACE_WEEKEND = halfHours([
  [0, 0.03],
  [7, 0.1],
  [8, 0.4],
  [12, 0.2],
  [13.5, 0.4],
  [17.5, 0.2],
  [20, 0.08],
  [22, 0.03],
])

/** 48 half-hour paces from [from hour, pace] steps. */
function halfHours(steps: readonly [number, number][]): Float64Array {
  const out = new Float64Array(48)
  for (let k = 0; k < 48; k++) out[k] = steps.filter(([h]) => h <= k / 2).at(-1)![1]
  return out
}

/** The instant when `effortMs` of handling (at a working period's pace) is done after `from`. */
export function addHandlingTime(from: number, effortMs: number): number {
  const HALF = 30 * MINUTE
  let t = from
  let left = effortMs
  for (let guard = 0; guard < 48 * 3660; guard++) {
    const day = cstDay(t)
    const slot = Math.floor((t + CST - day * DAY) / HALF)
    const pace = (isWeekday(day) ? PACE_WORKDAY : PACE_WEEKEND)[slot]!
    const end = day * DAY - CST + (slot + 1) * HALF
    if (pace * (end - t) >= left) return t + left / pace
    left -= pace * (end - t)
    t = end
  }
  return from + effortMs
}
