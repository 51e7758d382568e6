/**
 * When the live streams are compacted (LiveHub.compact): at start, then once a day at a local hour
 * of the walls' clock (China Standard Time, like the screen's clock), by default a quiet one.
 */
import { DAY_MS, ZoneClock } from '../kpi/calendar.ts'

export const COMPACT_TIME_ZONE = 'Asia/Shanghai'
const clock = new ZoneClock(COMPACT_TIME_ZONE)

/** The next instant after `now` (epoch ms) at `hour`:00 local time. */
export function nextCompactionAt(now: number, hour: number): number {
  const day = clock.day(now)
  const today = clock.hourStart(day * 24 + hour)
  return today > now ? today : clock.hourStart((day + 1) * 24 + hour)
}

/** The time before which finished cases and disputes leave the live streams. */
export function retentionCutoff(now: number, retentionDays: number): number {
  return now - retentionDays * DAY_MS
}
