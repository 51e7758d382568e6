import { describe, expect, it } from 'vitest'
import { findSelfIntersections, formatIssue, validateUnits } from './validate.ts'
import type { InputFeature } from './validate.ts'

// ~1.1 km × 0.96 km cells near Jiaxing
const X0 = 120.7
const Y0 = 30.7
const D = 0.01
const rect = (x0: number, y0: number, x1: number, y1: number): number[][][] => [
  [
    [X0 + x0 * D, Y0 + y0 * D],
    [X0 + x1 * D, Y0 + y0 * D],
    [X0 + x1 * D, Y0 + y1 * D],
    [X0 + x0 * D, Y0 + y1 * D],
    [X0 + x0 * D, Y0 + y0 * D],
  ],
]
const unit = (
  code: string,
  level: string,
  parent: string | null,
  coordinates: unknown,
  type = 'Polygon',
): InputFeature => ({
  type: 'Feature',
  properties: { code, name: `n${code}`, level, parent },
  geometry: { type, coordinates },
})

/** district 2×2 → two streets 1×2 → street A has two communities → one community has two grids */
const good = (): InputFeature[] => [
  unit('330402', 'district', null, rect(0, 0, 2, 2)),
  unit('330402001', 'street', '330402', rect(0, 0, 1, 2)),
  unit('330402002', 'street', '330402', rect(1, 0, 2, 2)),
  unit('330402001001', 'community', '330402001', rect(0, 0, 1, 1)),
  unit('330402001002', 'community', '330402001', rect(0, 1, 1, 2)),
  unit('330402001001001', 'grid', '330402001001', rect(0, 0, 0.5, 1)),
  unit('330402001001002', 'grid', '330402001001', rect(0.5, 0, 1, 1)),
]

describe('validateUnits', () => {
  it('accepts a consistent hierarchy', () => {
    const r = validateUnits(good())
    expect(r.errors).toEqual([])
    expect(r.warnings).toEqual([])
    expect(r.ok).toBe(true)
  })

  it('accepts MultiPolygons and holes', () => {
    const fs = good()
    // street B as two parts
    fs[2] = unit('330402002', 'street', '330402', [rect(1, 0, 2, 1), rect(1, 1, 2, 2)], 'MultiPolygon')
    expect(validateUnits(fs).ok).toBe(true)
  })

  it('reports every problem at once, with index and code', () => {
    const fs = good()
    fs.push(
      unit('330402001001003', 'grid', '330402001001', [
        [
          [X0, Y0],
          [X0 + D, Y0],
        ],
      ]),
    ) // 7: ring too short
    fs.push({
      type: 'Feature',
      properties: { code: 'P', name: 'p', level: 'grid', parent: '330402001001' },
      geometry: { type: 'Point', coordinates: [X0, Y0] },
    }) // 8
    fs.push(
      unit('X1', 'grid', '330402001001', [
        [
          [X0, Y0],
          [X0 + D, Y0],
          [X0 + D, Y0 + D],
          [X0, Y0 + D],
        ],
      ]),
    ) // 9: unclosed
    fs.push(
      unit('X2', 'grid', '330402001001', [
        [
          [X0, Y0],
          [X0 + D, Y0 + D],
          [X0 + D, Y0],
          [X0, Y0 + D],
          [X0, Y0],
        ],
      ]),
    ) // 10: bow-tie
    fs.push(
      unit(
        'X3',
        'grid',
        '330402001001',
        rect(0, 0, 1, 1).map((r) => r.map(([x, y]) => [x! * 1000, y! * 1000])),
      ),
    ) // 11: metres?
    fs.push(unit('330402001002', 'community', '330402001', rect(0, 1, 1, 2))) // 12: duplicate
    fs.push(unit('X4', 'grid', '999', rect(0, 0, 1, 1))) // 13: unknown parent
    fs.push(unit('X5', 'grid', '330402001', rect(0, 0, 1, 1))) // 14: parent two levels up
    fs.push({ type: 'Feature', properties: { name: 'no code', level: 'grid', parent: null }, geometry: null }) // 15
    const r = validateUnits(fs)
    expect(r.ok).toBe(false)
    const got = r.errors.map((e) => [e.index, e.kind])
    expect(got).toEqual(
      expect.arrayContaining([
        [7, 'ring'],
        [8, 'geometry-type'],
        [9, 'unclosed-ring'],
        [10, 'self-intersection'],
        [11, 'coordinate-range'],
        [12, 'duplicate-code'],
        [13, 'parent-missing'],
        [14, 'parent-level'],
        [15, 'properties'],
      ]),
    )
    expect(r.errors.find((e) => e.index === 12)!.code).toBe('330402001002')
    expect(formatIssue(r.errors[0]!)).toMatch(/^ERROR/)
  })

  it('measures a child sticking out of its parent', () => {
    const fs = good()
    fs[6] = unit('330402001001002', 'grid', '330402001001', rect(0.5, 0, 1.2, 1))
    const r = validateUnits(fs)
    const e = r.errors.find((i) => i.kind === 'outside-parent')!
    expect(e.code).toBe('330402001001002')
    // 0.2 × 1 cell ≈ 0.2 × 1.07 km² ≈ 0.21 km²
    expect(e.areaM2! / 1e6).toBeGreaterThan(0.19)
    expect(e.areaM2! / 1e6).toBeLessThan(0.23)
  })

  it('measures sibling overlaps', () => {
    const fs = good()
    fs[6] = unit('330402001001002', 'grid', '330402001001', rect(0.4, 0, 1, 1))
    const e = validateUnits(fs).errors.find((i) => i.kind === 'sibling-overlap')!
    expect(e.areaM2! / 1e6).toBeGreaterThan(0.09)
    expect(e.areaM2! / 1e6).toBeLessThan(0.12)
  })

  it('small gaps are warnings, large gaps errors', () => {
    const small = good()
    small[6] = unit('330402001001002', 'grid', '330402001001', rect(0.501, 0, 1, 1)) // 0.1 % of the community
    const r1 = validateUnits(small)
    expect(r1.ok).toBe(true)
    expect(r1.warnings.map((w) => [w.kind, w.code])).toEqual([['sibling-gap', '330402001001']])
    const large = good()
    large[6] = unit('330402001001002', 'grid', '330402001001', rect(0.6, 0, 1, 1))
    const r2 = validateUnits(large)
    expect(r2.errors.map((e) => e.kind)).toContain('sibling-gap')
  })

  it('uses context features as parents (import of grids into an existing pack)', () => {
    const all = good()
    const grids = all.slice(5)
    expect(validateUnits(grids).errors.map((e) => e.kind)).toContain('parent-missing')
    const r = validateUnits(grids, { context: all.slice(0, 5) })
    expect(r.errors).toEqual([])
  })
})

describe('findSelfIntersections', () => {
  it('finds a crossing and a ring touching itself, not shared neighbour vertices', () => {
    expect(findSelfIntersections(rect(0, 0, 1, 1) as [number, number][][])).toEqual([])
    const bow = [
      [
        [0, 0],
        [1, 1],
        [1, 0],
        [0, 1],
        [0, 0],
      ],
    ] as [number, number][][]
    expect(findSelfIntersections(bow).length).toBeGreaterThan(0)
    const touch = [
      [
        [0, 0],
        [4, 0],
        [4, 4],
        [2, 4],
        [2, 2],
        [3, 2],
        [3, 3],
        [2, 3],
        [1, 4],
        [0, 4],
        [0, 0],
      ],
    ] as [number, number][][]
    expect(findSelfIntersections(touch).length).toBeGreaterThan(0)
  })
  it('finds a hole crossing its shell', () => {
    const poly = [rect(0, 0, 2, 2)[0]!, rect(1, 1, 3, 1.5)[0]!] as [number, number][][]
    expect(findSelfIntersections(poly).length).toBeGreaterThan(0)
  })
})
