import { describe, expect, it } from 'vitest'
import { clockParts } from './shanghai.ts'

describe('clockParts', () => {
  it('shows China Standard Time (UTC+8) regardless of the host zone', () => {
    expect(clockParts(Date.UTC(2026, 10, 22, 10, 41, 5))).toEqual({
      date: '2026-11-22',
      time: '18:41:05',
      weekday: 0,
    })
  })

  it('rolls the date over at midnight Beijing time, with a 24-hour clock', () => {
    expect(clockParts(Date.UTC(2026, 11, 31, 16, 0, 0))).toEqual({ date: '2027-01-01', time: '00:00:00', weekday: 5 })
    expect(clockParts(Date.UTC(2026, 11, 31, 15, 59, 59))).toMatchObject({ date: '2026-12-31', time: '23:59:59' })
  })
})
