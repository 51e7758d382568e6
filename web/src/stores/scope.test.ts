import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { useScopeStore, type ScopeUnit } from './scope.ts'

const unit = (code: string, level: ScopeUnit['level'], parent: string | null): ScopeUnit => ({
  code,
  name: `u${code}`,
  level,
  parent,
  urban: true,
  areaKm2: 1,
  bbox: [0, 0, 1, 1],
})

const UNITS = [
  unit('330402', 'district', null),
  unit('330402001', 'street', '330402'),
  unit('330402002', 'street', '330402'),
  unit('330402001001', 'community', '330402001'),
  unit('330402001001001', 'grid', '330402001001'),
]

describe('scope store', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('starts at the region, drills down along the parent chain and goes back up', () => {
    const s = useScopeStore()
    s.load(UNITS)
    expect(s.code).toBe('330402')
    expect(s.childLevel).toBe('street')
    expect(s.drillTo('330402001001001')).toBe(true)
    expect(s.path.map((u) => u.code)).toEqual(['330402', '330402001', '330402001001', '330402001001001'])
    expect(s.childLevel).toBeNull()
    s.up()
    expect(s.code).toBe('330402001001')
    expect(s.drillTo('330402002')).toBe(true)
    expect(s.path.map((u) => u.level)).toEqual(['district', 'street'])
  })

  it('refuses an unknown code and keeps the scope', () => {
    const s = useScopeStore()
    s.load(UNITS, '330402001')
    expect(s.drillTo('999999')).toBe(false)
    expect(s.code).toBe('330402001')
    s.up()
    s.up()
    expect(s.code).toBe('330402')
  })

  it('a street jurisdiction is the floor: starts there, cannot go up past it nor drill outside it', () => {
    const s = useScopeStore()
    s.load(UNITS, undefined, '330402001')
    expect(s.code).toBe('330402001')
    expect(s.floor).toBe('330402001')
    expect(s.drillTo('330402002')).toBe(false)
    expect(s.drillTo('330402')).toBe(false)
    expect(s.drillTo('330402001001')).toBe(true)
    s.up()
    s.up()
    expect(s.code).toBe('330402001')
    // ?scope= outside the jurisdiction is ignored, inside it is honoured
    s.load(UNITS, '330402002', '330402001')
    expect(s.code).toBe('330402001')
    s.load(UNITS, '330402001001', '330402001')
    expect(s.code).toBe('330402001001')
  })

  it('falls back to the region for an unknown initial scope', () => {
    const s = useScopeStore()
    s.load(UNITS, 'nope')
    expect(s.code).toBe('330402')
    expect(s.children('330402').map((u) => u.code)).toEqual(['330402001', '330402002'])
  })
})
