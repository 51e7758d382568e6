import { describe, expect, it } from 'vitest'
import type { Alert } from '@gridsight/shared'
import {
  ageParts,
  ALERT_ZOOM,
  alertDetailTarget,
  alertFocus,
  alertText,
  canDispatch,
  distanceParts,
  scrollSeconds,
  takeNew,
  TICKER_MAX,
  tickerSelection,
} from './useAlertFormat.ts'

const alert = (id: string, raisedAt: number, over: Partial<Alert> = {}): Alert => ({
  id,
  rule: 'caseP1',
  severity: 'P1',
  state: 'raised',
  unitCode: '330402001001001',
  subject: { kind: 'case', id: `c-${id}` },
  lon: 120.7,
  lat: 30.7,
  raisedAt,
  lastAt: raisedAt,
  count: 1,
  message: { zh: '紧急', en: 'urgent' },
  ackBy: null,
  ackAt: null,
  resolvedAt: null,
  resolvedBy: null,
  note: null,
  ...over,
})

describe('alert formatting', () => {
  it('ages: seconds under a minute, minutes under an hour, hours and minutes under a day, then days', () => {
    expect(ageParts(-5000)).toEqual({ unit: 's', n: 0 })
    expect(ageParts(59_999)).toEqual({ unit: 's', n: 59 })
    expect(ageParts(60_000)).toEqual({ unit: 'm', n: 1 })
    expect(ageParts(3_599_999)).toEqual({ unit: 'm', n: 59 })
    expect(ageParts(3_600_000 + 5 * 60_000)).toEqual({ unit: 'hm', n: 1, m: 5 })
    expect(ageParts(86_400_000 * 3 + 1)).toEqual({ unit: 'd', n: 3 })
  })

  it('picks the message of the language, zh-CN for anything but en', () => {
    const a = alert('a', 1)
    expect(alertText(a, 'en')).toBe('urgent')
    expect(alertText(a, 'zh-CN')).toBe('紧急')
  })

  it('distances: metres under a kilometre, else km with one decimal', () => {
    expect(distanceParts(12.4)).toEqual({ unit: 'm', n: 12 })
    expect(distanceParts(999.4)).toEqual({ unit: 'm', n: 999 })
    expect(distanceParts(1260)).toEqual({ unit: 'km', n: 1.3 })
  })

  it('offers dispatch for open case alerts that wait for a dispatch only', () => {
    expect(canDispatch(alert('a', 1))).toBe(true)
    expect(canDispatch(alert('a', 1, { rule: 'caseNotDispatched', state: 'acknowledged' }))).toBe(true)
    expect(canDispatch(alert('a', 1, { rule: 'caseNotResolved' }))).toBe(false)
    expect(canDispatch(alert('a', 1, { state: 'resolved' }))).toBe(false)
    expect(canDispatch(alert('a', 1, { subject: { kind: 'member', id: 'm' } }))).toBe(false)
  })

  it("routes an alert to its subject's detail panel: a dispute's, like a case's, camera's, member's or unit's", () => {
    const about = (kind: Alert['subject']['kind'], id: string) =>
      alertDetailTarget(alert('a', 1, { subject: { kind, id } }))
    expect(about('dispute', 'D-1')).toEqual({ kind: 'disputes', id: 'D-1' })
    expect(about('case', 'C-1')).toEqual({ kind: 'cases', id: 'C-1' })
    expect(about('camera', 'K-1')).toEqual({ kind: 'cameras', id: 'K-1' })
    expect(about('member', 'M-1')).toEqual({ kind: 'members', id: 'M-1' })
    expect(about('unit', '330402001')).toEqual({ kind: 'unit', id: '330402001' })
  })

  it("flies to the subject's position at street zoom, or nowhere without one", () => {
    expect(alertFocus(alert('a', 1, { lon: 120.75, lat: 30.76 }))).toEqual({
      kind: 'point',
      lon: 120.75,
      lat: 30.76,
      zoom: ALERT_ZOOM,
    })
    expect(alertFocus(alert('a', 1, { lon: null, lat: null }))).toBeNull()
  })

  it('announces each urgent alert once, oldest first, also when it leaves and comes back (scope change)', () => {
    const seen = new Set<string>()
    expect(takeNew(seen, [alert('b', 2), alert('a', 1)]).map((a) => a.id)).toEqual(['a', 'b'])
    expect(takeNew(seen, [alert('c', 3), alert('b', 2), alert('a', 1)]).map((a) => a.id)).toEqual(['c'])
    expect(takeNew(seen, [])).toEqual([])
    expect(takeNew(seen, [alert('c', 3), alert('a', 1)])).toEqual([])
    expect(takeNew(seen, [alert('d', 4), alert('c', 3)]).map((a) => a.id)).toEqual(['d'])
  })

  it('remembers a bounded number of ids on a wall left on for days, never forgetting an urgent one', () => {
    const seen = new Set<string>()
    const held = alert('held', 0)
    let announced = 0
    // a week of P1s, each acknowledged before the next, while one stays unacknowledged throughout
    for (let i = 1; i <= 5000; i++) {
      announced += takeNew(seen, [held, alert(`p${i}`, i)], 50).length
      expect(seen.size).toBeLessThanOrEqual(50)
    }
    expect(announced).toBe(5001)
    expect(seen.has('held')).toBe(true)
    expect(takeNew(seen, [held], 50)).toEqual([])
    // the recent ones are still known when a scope change drops and re-sends them
    expect(takeNew(seen, [], 50)).toEqual([])
    expect(takeNew(seen, [alert('p4999', 4999), alert('p5000', 5000), held], 50)).toEqual([])
  })

  it('scroll duration grows with the content, with a floor', () => {
    expect(scrollSeconds(100)).toBe(8)
    expect(scrollSeconds(3500, 70)).toBe(50)
  })

  it('the ticker carries at most TICKER_MAX alerts, most severe first, and counts the rest', () => {
    const open = Array.from({ length: 500 }, (_, i) =>
      alert(`a${i}`, i, { severity: i === 7 ? 'P1' : i % 2 ? 'P2' : 'P3' }),
    )
    const { shown, more } = tickerSelection(open)
    expect(shown).toHaveLength(TICKER_MAX)
    expect(more).toBe(500 - TICKER_MAX)
    expect(shown[0]!.id).toBe('a7')
    // then the P2s, newest first, before any P3
    expect(shown[1]!.id).toBe('a499')
    expect(shown.every((a, i) => i === 0 || a.severity === 'P2')).toBe(true)
    expect(tickerSelection(open.slice(0, 3))).toEqual({
      shown: [open[1], open[2], open[0]],
      more: 0,
    })
  })
})
