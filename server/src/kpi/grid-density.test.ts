import { describe, expect, it } from 'vitest'
import { mulberry32, PointIndex } from '@gridsight/shared'
import { readUnits } from '@gridsight/geo-data'
import { GridBuckets, gridCameraFigures } from './grid-density.ts'

const grids = readUnits('330402', 'grid').features

describe('GridBuckets', () => {
  const buckets = new GridBuckets(grids.map((g) => g.geometry))
  const shared = new PointIndex(grids.map((g) => g.geometry))

  it('gives every point the owner the shared PointIndex gives, vertices and edges included', () => {
    const rand = mulberry32(11)
    const pts: [number, number][] = []
    let minX = Infinity
    let minY = Infinity
    let maxX = -Infinity
    let maxY = -Infinity
    for (const g of grids) {
      const rings = g.geometry.type === 'Polygon' ? [g.geometry.coordinates] : g.geometry.coordinates
      for (const ring of rings.flat()) {
        for (const [x, y] of ring as number[][]) {
          pts.push([x!, y!])
          minX = Math.min(minX, x!)
          minY = Math.min(minY, y!)
          maxX = Math.max(maxX, x!)
          maxY = Math.max(maxY, y!)
        }
      }
    }
    for (let i = 0; i < 50_000; i++) {
      pts.push([minX - 0.01 + rand() * (maxX - minX + 0.02), minY - 0.01 + rand() * (maxY - minY + 0.02)])
    }
    let inside = 0
    for (const [x, y] of pts) {
      const a = buckets.locate(x, y)
      expect(a).toBe(shared.locate(x, y))
      if (a >= 0) inside++
    }
    expect(inside).toBeGreaterThan(pts.length / 3)
    expect(buckets.locate(NaN, 30)).toBe(-1)
  })

  it('counts cameras per grid with densities and the standard', () => {
    const g0 = grids[0]!
    const g1 = grids[1]!
    // a point of each grid, found by sampling its bounding box
    const inside = (u: number): [number, number] => {
      const rand = mulberry32(u + 1)
      const geom = grids[u]!.geometry
      const ring = (geom.type === 'Polygon' ? geom.coordinates[0] : geom.coordinates[0]![0]) as number[][]
      const xs = ring.map((p) => p[0]!)
      const ys = ring.map((p) => p[1]!)
      for (;;) {
        const x = Math.min(...xs) + rand() * (Math.max(...xs) - Math.min(...xs))
        const y = Math.min(...ys) + rand() * (Math.max(...ys) - Math.min(...ys))
        if (buckets.locate(x, y) === u) return [x, y]
      }
    }
    const [ax, ay] = inside(0)
    const [bx, by] = inside(1)
    const area = Float64Array.from(grids.map((g) => g.properties.areaKm2))
    const standard = new Float64Array(grids.length).fill(1)
    const f = gridCameraFigures(
      buckets,
      Float64Array.from([ax, ax, bx, 0]),
      Float64Array.from([ay, ay, by, 0]),
      Uint8Array.from([1, 0, 1, 1]),
      area,
      standard,
    )
    expect([f.total[0], f.online[0], f.total[1], f.online[1], f.outside]).toEqual([2, 1, 1, 1, 1])
    expect(f.density[0]).toBeCloseTo(2 / g0.properties.areaKm2)
    expect(f.onlineDensity[1]).toBeCloseTo(1 / g1.properties.areaKm2)
    expect(f.meets[0]).toBe(2 / g0.properties.areaKm2 >= 1 ? 1 : 0)
    expect(f.total.reduce((a, b) => a + b, 0)).toBe(3)
  })
})
