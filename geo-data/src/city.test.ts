import { mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { PointIndex } from '@gridsight/shared'
import { CITY_ADCODE, generateCity, writeRegionPack } from './city.ts'
import { readAllUnits, readCameras, readMembers, readRegionLayer, readRegionMeta, readUnits } from './index.ts'
import { validateUnits } from './validate.ts'

// The full city (10,000 grids) is generated once (about 0.2 s) and validated in full (about 2 s);
// a 20 × 20 city (400 grids) built by the same code serves the cheaper checks.
const city = generateCity()
const small = generateCity({ side: 20, streets: [2, 2] })

describe('generateCity', () => {
  it('has the city profile: 1 district, 20 streets, 400 communities, 10,000 grids, 100,000 cameras, 20,000 members', () => {
    expect(city.meta.adcode).toBe(CITY_ADCODE)
    expect(city.meta.counts).toEqual({ street: 20, community: 400, grid: 10_000, camera: 100_000, member: 20_000 })
    expect([city.district.length, city.streets.length, city.communities.length, city.grids.length]).toEqual([
      1, 20, 400, 10_000,
    ])
    expect(city.cameras).toHaveLength(100_000)
    expect(city.members).toHaveLength(20_000)
    expect(city.meta.dataNotes.en).toMatch(/entirely GENERATED/)
    expect(city.meta.dataNotes.zh).toMatch(/完全由程序生成/)
  })

  it('has an urban centre and a rural periphery, both 街道 and 镇, 社区 and 村', () => {
    const urban = city.grids.filter((g) => g.properties.urban)
    expect(urban.length).toBeGreaterThan(3000)
    expect(urban.length).toBeLessThan(7000)
    const byUrban = (u: boolean) => city.grids.filter((g) => g.properties.urban === u).map((g) => g.properties.areaKm2)
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!
    expect(median(byUrban(true))).toBeLessThan(median(byUrban(false)))
    expect(city.streets.some((s) => s.properties.name.endsWith('街道') && s.properties.urban)).toBe(true)
    expect(city.streets.some((s) => s.properties.name.endsWith('镇') && !s.properties.urban)).toBe(true)
    for (const c of city.communities) {
      expect(c.properties.name.endsWith(c.properties.urban ? '社区' : '村')).toBe(true)
      expect(c.properties.code.slice(9, 10)).toBe(c.properties.urban ? '0' : '2')
    }
  })

  it('meets the camera density standards in most grids, about a third social', () => {
    const { stats, densityStandards } = city.meta
    expect(stats.urbanCameraDensity).toBeGreaterThanOrEqual(densityStandards.urbanPerKm2)
    expect(stats.ruralCameraDensity).toBeGreaterThanOrEqual(densityStandards.ruralPerKm2)
    expect(stats.urbanGridsBelowStandard + stats.ruralGridsBelowStandard).toBeLessThan(0.15 * 10_000)
    expect(stats.socialCameras / 100_000).toBeCloseTo(1 / 3, 1)
  })

  it('puts every camera inside its grid and gives every grid a full-time member', () => {
    const index = new PointIndex(city.grids.map((g) => g.geometry))
    const byCode = new Map(city.grids.map((g, i) => [g.properties.code, i]))
    for (const [, lon, lat, grid] of city.cameras.slice(0, 5000)) expect(index.locate(lon, lat)).toBe(byCode.get(grid))
    expect(new Set(city.cameras.map((c) => c[0])).size).toBe(100_000)
    const fullTime = new Set(city.members.filter((m) => m[2] === 'full_time').map((m) => m[3]))
    expect(fullTime.size).toBe(10_000)
    for (const m of city.members) expect(byCode.has(m[3])).toBe(true)
  })

  it('scales down for tests', () => {
    expect(small.meta.counts).toEqual({ street: 4, community: 16, grid: 400, camera: 4000, member: 800 })
  })

  it('is deterministic', () => {
    const again = generateCity({ side: 20, streets: [2, 2] })
    expect(JSON.stringify(again)).toBe(JSON.stringify(small))
    expect(JSON.stringify(generateCity({ side: 20, streets: [2, 2], seed: 1 }).grids)).not.toBe(
      JSON.stringify(small.grids),
    )
  })

  it('passes the validator: codes, parents, no gaps, no overlaps, nothing outside its parent', () => {
    const result = validateUnits([...city.district, ...city.streets, ...city.communities, ...city.grids])
    expect(result.errors).toEqual([])
    expect(result.warnings).toEqual([])
    // children's areas add up to their parent's
    const sum = city.grids.reduce((s, g) => s + g.properties.areaKm2, 0)
    expect(sum).toBeCloseTo(city.district[0]!.properties.areaKm2, 2)
  })

  it('catches a broken tiling (the validator test is able to fail)', () => {
    const broken = structuredClone(small)
    const ring = broken.grids[0]!.geometry.coordinates[0] as [number, number][]
    ring[2] = [ring[2]![0] + 0.002, ring[2]![1]]
    const result = validateUnits([...broken.district, ...broken.streets, ...broken.communities, ...broken.grids])
    expect(result.ok).toBe(false)
  })
})

describe('writeRegionPack', () => {
  it('writes a pack the readers load', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'gridsight-city-')), 'regions', CITY_ADCODE)
    writeRegionPack(small, dir)
    expect(readdirSync(dir).sort()).toEqual([
      'LICENSES.md',
      'cameras.json',
      'communities.geojson',
      'context.geojson',
      'district.geojson',
      'grids.geojson',
      'members.json',
      'region.json',
      'streets.geojson',
    ])
    expect(readRegionMeta(CITY_ADCODE, dir)).toEqual(small.meta)
    expect(readUnits(CITY_ADCODE, 'grid', dir).features).toHaveLength(400)
    expect(readAllUnits(CITY_ADCODE, dir)).toHaveLength(1 + 4 + 16 + 400)
    expect(readCameras(CITY_ADCODE, dir)).toHaveLength(4000)
    expect(readMembers(CITY_ADCODE, dir)[0]).toMatchObject({ role: 'full_time', grid: small.grids[0]!.properties.code })
    expect(readRegionLayer(CITY_ADCODE, 'context', dir)).toEqual({ type: 'FeatureCollection', features: [] })
  })
})
