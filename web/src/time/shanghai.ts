/**
 * Wall clock in China Standard Time, whatever the time zone of the machine that
 * drives the wall (often UTC in a server room).
 */
export const SCREEN_TIME_ZONE = 'Asia/Shanghai'

export interface ClockParts {
  /** YYYY-MM-DD */
  date: string
  /** HH:mm:ss, 24-hour */
  time: string
  /** 0 = Sunday … 6 = Saturday */
  weekday: number
}

const formatter = new Intl.DateTimeFormat('en-US', {
  timeZone: SCREEN_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
  weekday: 'short',
})

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']

export function clockParts(epochMs: number): ClockParts {
  const p: Record<string, string> = {}
  for (const part of formatter.formatToParts(epochMs)) p[part.type] = part.value
  return {
    date: `${p.year}-${p.month}-${p.day}`,
    time: `${p.hour}:${p.minute}:${p.second}`,
    weekday: Math.max(0, WEEKDAYS.indexOf(p.weekday ?? '')),
  }
}
