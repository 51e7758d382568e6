import { describe, expect, it } from 'vitest'
import { itemValidator } from './item-errors.ts'
import { CameraItem, CaseItem, DisputeItem, MemberItem } from './ingest.ts'

const TS = '2026-11-22T09:30:00+08:00'

describe('itemValidator', () => {
  const camera = itemValidator(CameraItem)

  it('accepts a minimal valid item of each kind', () => {
    expect(camera.errors({ id: '33040200001310000001', status: 'online', ts: TS })).toEqual([])
    expect(itemValidator(MemberItem).errors({ id: 'm1', lon: 120.78, lat: 30.75, ts: '2026-11-22T01:30:00Z' })).toEqual(
      [],
    )
    expect(
      itemValidator(CaseItem).errors({ id: 'c1', type: '治安', status: 'reported', lon: 120.78, lat: 30.75, ts: TS }),
    ).toEqual([])
    expect(
      itemValidator(DisputeItem).errors({
        id: 'd1',
        category: '邻里纠纷',
        status: 'accepted',
        lon: 120.78,
        lat: 30.75,
        ts: TS,
      }),
    ).toEqual([])
  })

  it('names every wrong field at once, with what it expected and what it got', () => {
    expect(camera.errors({ id: 'c1', status: 'up', ts: '2026-11-22 10:00', lon: 999, extra: 1 })).toEqual([
      'status must be one of online, offline, fault (got "up")',
      'ts must be an ISO 8601 date-time with offset (e.g. 2026-11-22T09:30:00+08:00) (got "2026-11-22 10:00")',
      'lon must be a number from -180 to 180 (got 999)',
      'extra is not a known field',
    ])
  })

  it('reports missing required fields', () => {
    expect(camera.errors({ status: 'online' })).toEqual(['id is required', 'ts is required'])
  })

  it.each([
    ['lon', 'NaN', 'lon must be a number from -180 to 180 (got "NaN")'],
    ['lat', null, 'lat must be a number from -90 to 90 (got null)'],
    ['lat', 90.0001, 'lat must be a number from -90 to 90 (got 90.0001)'],
    ['accuracy', -1, 'accuracy must be a number from 0 to 10000 (got -1)'],
    ['onDuty', 'yes', 'onDuty must be true or false (got "yes")'],
    ['role', 'boss', 'role must be one of full_time, part_time, police, auxiliary (got "boss")'],
    ['crs', 'epsg:3857', 'crs must be one of wgs84, gcj02, bd09, cgcs2000 (got "epsg:3857")'],
    [
      'ts',
      '2026-11-22T09:30:00',
      'ts must be an ISO 8601 date-time with offset (e.g. 2026-11-22T09:30:00+08:00) (got "2026-11-22T09:30:00")',
    ],
  ])('member field %s = %j is rejected by name', (field, value, message) => {
    const member = itemValidator(MemberItem)
    expect(member.errors({ id: 'm1', lon: 120.78, lat: 30.75, ts: TS, [field]: value })).toEqual([message])
  })

  it('rejects non-objects', () => {
    expect(camera.errors(null)).toEqual(['item must be an object'])
    expect(camera.errors([1, 2])).toEqual(['item must be an object'])
    expect(camera.errors('online')).toEqual(['item must be an object'])
  })

  it('agrees with check()', () => {
    const good = { id: 'c1', status: 'fault', ts: TS, kind: 'social' }
    expect(camera.check(good)).toBe(true)
    expect(camera.check({ ...good, kind: 'private' })).toBe(false)
  })
})
