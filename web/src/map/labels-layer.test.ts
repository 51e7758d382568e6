import { describe, expect, it } from 'vitest'
import type { ScopeUnit } from '../stores/scope.ts'
import { characterSetOf, unitLabels } from './labels-layer.ts'

const u = (code: string, name: string, level: ScopeUnit['level']): ScopeUnit => ({
  code,
  name,
  level,
  parent: null,
  urban: true,
  areaKm2: 1,
  bbox: [120, 30, 121, 31],
})

describe('characterSetOf', () => {
  it('collects each character of the names once, with the digits', () => {
    const set = characterSetOf(['建设街道', '建设社区第1网格'])
    expect(set.filter((c) => c === '建')).toHaveLength(1)
    expect(set).toContain('网')
    expect(set).toContain('7')
  })
})

describe('unitLabels', () => {
  it('labels the units of one level inside the scope at their bbox centre', () => {
    const units = [
      u('330402001', '甲街道', 'street'),
      u('330402001001', '乙社区', 'community'),
      u('330402002001', '丙社区', 'community'),
    ]
    expect(unitLabels(units, '330402001', 'community')).toEqual([
      { code: '330402001001', name: '乙社区', position: [120.5, 30.5] },
    ])
    expect(unitLabels(units, '330402', 'street')).toHaveLength(1)
  })
})
