import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../config.ts'
import { WorkCalendar, ZoneClock } from './calendar.ts'
import { loadKpiConfig, validateKpiConfig } from './config.ts'

const base = () => structuredClone(loadKpiConfig()) as unknown as Record<string, unknown>

describe('KPI config', () => {
  it('ships the 2026 China holiday schedule with its make-up workdays', () => {
    const cfg = loadKpiConfig()
    expect(cfg.timeZone).toBe('Asia/Shanghai')
    expect(cfg.caseSla.default).toEqual({ dispatchMinutes: 30, resolveWorkingDays: 1.5 })
    expect(cfg.consistencyCheck).toEqual({ everyMinutes: 60, atStart: true })
    expect(cfg.calendar.holidays).toContain('2026-02-17') // 春节
    expect(cfg.calendar.workdays).toEqual([
      '2026-01-04',
      '2026-02-14',
      '2026-02-28',
      '2026-05-09',
      '2026-09-20',
      '2026-10-10',
    ])
  })

  it('names the field of a bad value', () => {
    const bad = base()
    ;(bad.caseSla as { default: { dispatchMinutes: number } }).default.dispatchMinutes = -5
    expect(() => validateKpiConfig(bad, 'kpi.json')).toThrow(
      /kpi\.json: caseSla\.default\.dispatchMinutes must be a positive number of minutes \(got -5\)/,
    )
    const date = base()
    ;(date.calendar as { holidays: string[] }).holidays.push('2026-02-30')
    expect(() => validateKpiConfig(date, 'kpi.json')).toThrow(
      /calendar\.holidays\.\d+ is not a real date \(got "2026-02-30"\)/,
    )
    const check = { ...base(), consistencyCheck: { everyMinutes: -1, atStart: true } }
    expect(() => validateKpiConfig(check, 'kpi.json')).toThrow(
      /consistencyCheck\.everyMinutes must be minutes between checks \(0: never\), default 60 \(got -1\)/,
    )
    const zone = { ...base(), timeZone: 'Mars/Olympus' }
    expect(() => validateKpiConfig(zone, 'kpi.json')).toThrow(/timeZone must be an IANA time zone/)
    const both = base()
    ;(both.calendar as { workdays: string[] }).workdays.push('2026-10-01')
    expect(() => validateKpiConfig(both, 'kpi.json')).toThrow(
      /calendar\.workdays\.6 is also listed in calendar\.holidays/,
    )
  })

  it('stops the boot with one line naming the file and field (KPI_CONFIG)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gridsight-kpi-cfg-'))
    const file = join(dir, 'kpi.json')
    writeFileSync(file, JSON.stringify({ ...base(), memberSilentMinutes: 'ten' }))
    expect(() => loadConfig({ KPI_CONFIG: file, DATA_DIR: dir })).toThrow(
      /memberSilentMinutes must be a positive number of minutes \(got "ten"\)/,
    )
    expect(() => loadConfig({ KPI_CONFIG: join(dir, 'missing.json'), DATA_DIR: dir })).toThrow(
      /KPI_CONFIG must name a readable JSON file/,
    )
  })
})

describe('working calendar', () => {
  const cal = new WorkCalendar(new ZoneClock('Asia/Shanghai'), loadKpiConfig().calendar)
  const at = (s: string) => Date.parse(s)
  it('skips weekends and holidays and counts make-up workdays (调休)', () => {
    // Friday 10:00 + 1.5 working days → Monday 22:00 … but 2026-02-13 (Fri) precedes the Saturday
    // make-up workday 02-14 and the Spring Festival (02-15 … 02-23)
    expect(cal.addWorkingTime(at('2026-03-06T10:00:00+08:00'), 1.5)).toBe(at('2026-03-09T22:00:00+08:00'))
    expect(cal.addWorkingTime(at('2026-02-13T10:00:00+08:00'), 1.5)).toBe(at('2026-02-14T22:00:00+08:00'))
    expect(cal.addWorkingTime(at('2026-02-14T12:00:00+08:00'), 1.5)).toBe(at('2026-02-25T00:00:00+08:00'))
    // reported on a holiday: the clock starts on the next working day
    expect(cal.addWorkingTime(at('2026-10-03T09:00:00+08:00'), 0.5)).toBe(at('2026-10-08T12:00:00+08:00'))
  })
})
