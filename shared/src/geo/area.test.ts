import { describe, expect, it } from 'vitest'
import { AUTHALIC_RADIUS_M, geometryArea, geometryAreaKm2, polygonArea, ringAreaSigned } from './area.ts'

describe('geodesic area (WGS-84)', () => {
  it('authalic radius is the published 6 371 007.2 m', () => {
    expect(AUTHALIC_RADIUS_M).toBeCloseTo(6371007.181, 2)
  })
  it('the whole ellipsoid is the published 510 065 621.724 km²', () => {
    const north = [
      [-180, 0],
      [180, 0],
      [180, 90],
      [-180, 90],
      [-180, 0],
    ]
    const south = [
      [-180, -90],
      [180, -90],
      [180, 0],
      [-180, 0],
      [-180, -90],
    ]
    expect((polygonArea([north]) + polygonArea([south])) / 1e6).toBeCloseTo(510065621.724, 2)
  })
  it('1°×1° cells shrink with latitude like the ellipsoidal formula', () => {
    const cell = (lat: number): number =>
      polygonArea([
        [
          [0, lat],
          [1, lat],
          [1, lat + 1],
          [0, lat + 1],
          [0, lat],
        ],
      ]) / 1e6
    expect(cell(0)).toBeCloseTo(12308.46, 1)
    expect(cell(30)).toBeLessThan(cell(0) * Math.cos((30 * Math.PI) / 180) * 1.01)
    expect(cell(30)).toBeGreaterThan(cell(0) * Math.cos((31 * Math.PI) / 180))
  })
  it('ring orientation gives the sign; holes subtract; open rings work', () => {
    const ccw = [
      [120, 30],
      [120.1, 30],
      [120.1, 30.1],
      [120, 30.1],
      [120, 30],
    ]
    const cw = [...ccw].reverse()
    expect(ringAreaSigned(ccw)).toBeGreaterThan(0)
    expect(ringAreaSigned(cw)).toBeCloseTo(-ringAreaSigned(ccw), 6)
    expect(ringAreaSigned(ccw.slice(0, 4))).toBeCloseTo(ringAreaSigned(ccw), 6)
    const hole = [
      [120.02, 30.02],
      [120.04, 30.02],
      [120.04, 30.04],
      [120.02, 30.04],
      [120.02, 30.02],
    ]
    expect(polygonArea([ccw, hole])).toBeCloseTo(polygonArea([ccw]) - polygonArea([hole]), 3)
  })
  it('MultiPolygon sums its parts; other types are 0', () => {
    const sq = [
      [
        [120, 30],
        [120.01, 30],
        [120.01, 30.01],
        [120, 30.01],
        [120, 30],
      ],
    ]
    const one = geometryArea({ type: 'Polygon', coordinates: sq })
    expect(geometryArea({ type: 'MultiPolygon', coordinates: [sq, sq] })).toBeCloseTo(2 * one, 6)
    expect(geometryAreaKm2({ type: 'Polygon', coordinates: sq })).toBeCloseTo(one / 1e6, 12)
    expect(geometryArea({ type: 'Point', coordinates: [1, 2] })).toBe(0)
    // ~1.112 km × 0.957 km at 30°N
    expect(one / 1e6).toBeGreaterThan(1.05)
    expect(one / 1e6).toBeLessThan(1.08)
  })
})
