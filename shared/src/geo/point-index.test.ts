import { describe, expect, it } from 'vitest'
import { PointIndex, UnitLocator } from './point-index.ts'
import type { PolygonalGeometry } from './point-index.ts'

const sq = (x0: number, y0: number, x1: number, y1: number): number[][] => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
  [x0, y0],
]
const poly = (...rings: number[][][]): PolygonalGeometry => ({ type: 'Polygon', coordinates: rings })

/** a 3×3 tiling of unit squares, index = row * 3 + col */
const tiles = (): PolygonalGeometry[] => {
  const out: PolygonalGeometry[] = []
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) out.push(poly(sq(c, r, c + 1, r + 1)))
  return out
}

describe('PointIndex', () => {
  it('finds the containing unit and returns -1 outside', () => {
    const idx = new PointIndex(tiles())
    expect(idx.locate(0.5, 0.5)).toBe(0)
    expect(idx.locate(2.5, 1.5)).toBe(5)
    expect(idx.locate(-0.1, 0.5)).toBe(-1)
    expect(idx.locate(5, 5)).toBe(-1)
    expect(idx.locate(Number.NaN, 1)).toBe(-1)
  })

  it('gives points on shared edges and vertices exactly one deterministic owner', () => {
    const geoms = tiles()
    const idx = new PointIndex(geoms)
    // vertical shared edge x = 1: owned by the unit to the right
    expect(idx.locate(1, 0.5)).toBe(1)
    // horizontal shared edge y = 1: owned by the unit above
    expect(idx.locate(0.5, 1)).toBe(3)
    // interior vertex (1, 1), shared by 4 units: one owner (above-right)
    expect(idx.locate(1, 1)).toBe(4)
    // every point of a fine lattice inside the tiling has exactly one containing unit
    for (let x = 0; x < 3; x += 0.25) {
      for (let y = 0; y < 3; y += 0.25) {
        const owners = geoms.map((_, u) => idx.contains(u, x, y)).filter(Boolean).length
        expect(owners, `(${x}, ${y})`).toBe(1)
      }
    }
  })

  it('shares edges exactly even when neighbours run them in opposite directions, on slanted edges', () => {
    // two triangles sharing the diagonal of a square, one CW one CCW
    const a = poly([
      [0, 0],
      [1, 0],
      [1, 1],
      [0, 0],
    ])
    const b = poly(
      [
        [0, 0],
        [1, 1],
        [0, 1],
        [0, 0],
      ].reverse(),
    )
    const idx = new PointIndex([a, b])
    for (let i = 1; i < 100; i++) {
      const t = i / 100
      const owners = [0, 1].filter((u) => idx.contains(u, t, t))
      expect(owners).toHaveLength(1)
    }
  })

  it('handles holes and MultiPolygons', () => {
    const donut = poly(sq(0, 0, 4, 4), sq(1, 1, 3, 3))
    const island: PolygonalGeometry = {
      type: 'MultiPolygon',
      coordinates: [[sq(1.5, 1.5, 2.5, 2.5)], [sq(10, 10, 11, 11)]],
    }
    const idx = new PointIndex([donut, island])
    expect(idx.locate(0.5, 0.5)).toBe(0)
    expect(idx.locate(2, 2)).toBe(1) // in the hole, on the island
    expect(idx.locate(1.2, 1.2)).toBe(-1) // in the hole, not on the island
    expect(idx.locate(10.5, 10.5)).toBe(1) // second part
  })

  it('resolves overlaps to the lowest index', () => {
    const idx = new PointIndex([poly(sq(0, 0, 2, 2)), poly(sq(1, 1, 3, 3))])
    expect(idx.locate(1.5, 1.5)).toBe(0)
    const rev = new PointIndex([poly(sq(1, 1, 3, 3)), poly(sq(0, 0, 2, 2))])
    expect(rev.locate(1.5, 1.5)).toBe(0)
  })

  it('accepts open rings, empty input and degenerate units', () => {
    const open = new PointIndex([
      poly([
        [0, 0],
        [1, 0],
        [1, 1],
        [0, 1],
      ]),
    ])
    expect(open.locate(0.5, 0.5)).toBe(0)
    expect(new PointIndex([]).locate(0, 0)).toBe(-1)
    expect(new PointIndex([{ type: 'MultiPolygon', coordinates: [] }]).locate(0, 0)).toBe(-1)
  })
})

describe('UnitLocator', () => {
  const unit = (code: string, level: string, parent: string | null, g: PolygonalGeometry) => ({
    properties: { code, level, parent },
    geometry: g,
  })
  const units = [
    unit('D', 'district', null, poly(sq(0, 0, 2, 1))),
    unit('S1', 'street', 'D', poly(sq(0, 0, 1, 1))),
    unit('S2', 'street', 'D', poly(sq(1, 0, 2, 1))),
    unit('C1', 'community', 'S1', poly(sq(0, 0, 1, 1))),
    unit('G1', 'grid', 'C1', poly(sq(0, 0, 0.5, 1))),
    unit('G2', 'grid', 'C1', poly(sq(0.5, 0, 1, 1))),
  ]
  it('locates the finest unit and its ancestors', () => {
    const loc = new UnitLocator(units)
    expect(loc.locate(0.25, 0.5)).toBe('G1')
    expect(loc.locateChain(0.75, 0.5)).toEqual(['G2', 'C1', 'S1', 'D'])
    // S2 has no children: it is a leaf itself
    expect(loc.locateChain(1.5, 0.5)).toEqual(['S2', 'D'])
    expect(loc.locate(3, 3)).toBeNull()
    expect(loc.locateChain(-1, 0)).toBeNull()
  })
})
