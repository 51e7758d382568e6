import { describe, expect, it } from 'vitest'
import { CHOROPLETH_SCALES, levelOfCode, niceCeil, rampColor, rampExpression } from './choropleth-scale.ts'

describe('compliance scale', () => {
  const s = CHOROPLETH_SCALES.compliance
  it('is diverging around 1.0: below standard on the red side, above on the blue/green side', () => {
    expect(s.kind).toBe('diverging')
    expect(s.t(1, 0)).toBe(0.5)
    expect(s.t(0.5, 0)).toBe(0.25)
    expect(s.t(2, 0)).toBe(0.75)
    expect(s.t(0, 0)).toBe(0)
    expect(s.t(100, 0)).toBe(1)
    const [r0, , b0] = rampColor(s.ramp, s.t(0.3, 0))
    const [r1, , b1] = rampColor(s.ramp, s.t(3, 0))
    expect(r0).toBeGreaterThan(b0)
    expect(b1).toBeGreaterThan(r1)
  })
  it('puts the 1.0 tick in the middle', () => {
    expect(s.ticks(0).find((k) => k.value === 1)!.t).toBe(0.5)
  })
})

describe('count scales', () => {
  it('scale to the level maximum', () => {
    const s = CHOROPLETH_SCALES.disputes
    expect(s.dynamic).toBe(true)
    expect(s.t(5, 10)).toBe(0.5)
    expect(s.t(20, 10)).toBe(1)
    expect(s.ticks(10).map((k) => k.value)).toEqual([0, 5, 10])
  })
})

describe('online rate scale', () => {
  it('spends the ramp on 80–100 %', () => {
    const s = CHOROPLETH_SCALES.onlineRate
    expect(s.t(0.5, 0)).toBe(0)
    expect(s.t(0.9, 0)).toBeCloseTo(0.5)
    expect(s.t(1, 0)).toBe(1)
  })
})

describe('helpers', () => {
  it('niceCeil rounds up to 1, 2, 5 × 10^k', () => {
    expect([0, 0.4, 1, 1.2, 3, 7, 10, 11, 240].map(niceCeil)).toEqual([1, 1, 1, 2, 5, 10, 10, 20, 500])
  })
  it('rampColor interpolates between stops', () => {
    const ramp = [
      [0, '#000000'],
      [1, '#ff0080'],
    ] as const
    expect(rampColor(ramp, 0)).toEqual([0, 0, 0])
    expect(rampColor(ramp, 0.5)).toEqual([128, 0, 64])
    expect(rampColor(ramp, 2)).toEqual([255, 0, 128])
  })
  it('rampExpression flattens the stops into an interpolate expression', () => {
    expect(
      rampExpression([
        [0, '#000000'],
        [1, '#ffffff'],
      ]),
    ).toEqual(['interpolate', ['linear'], ['coalesce', ['feature-state', 't'], 0], 0, '#000000', 1, '#ffffff'])
  })
  it('levelOfCode goes by code length', () => {
    expect(['330402', '330402001', '330402001001', '330402001001001', '12'].map(levelOfCode)).toEqual([
      'district',
      'street',
      'community',
      'grid',
      null,
    ])
  })
})
