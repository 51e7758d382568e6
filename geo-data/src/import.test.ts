/** planImport and resolveRegionDir in-process; the CLI's golden tests are in server/src/cli/import.test.ts. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { convertGeometryCoordinates, planImport } from './import.ts'
import { regionDir, resolveRegionDir } from './index.ts'

const box = (w: number, s: number, e: number, n: number) => ({
  type: 'Polygon',
  coordinates: [
    [
      [w, s],
      [w, n], // clockwise: the import rewinds outer rings counter-clockwise
      [e, n],
      [e, s],
      [w, s],
    ],
  ],
})
const unit = (code: string, level: string, parent: string | null, g: unknown) => ({
  type: 'Feature',
  properties: { code, name: code, level, parent },
  geometry: g,
})

describe('planImport', () => {
  it('rejects what is not a FeatureCollection', () => {
    const plan = planImport({ type: 'Feature' }, { region: '990001', crs: 'wgs84', base: null, source: 'x' })
    expect(plan.ok).toBe(false)
    expect(plan.errors.map((e) => e.kind)).toEqual(['input'])
  })

  it('needs every level from the top one down to grid', () => {
    const plan = planImport(
      { type: 'FeatureCollection', features: [unit('990001', 'district', null, box(120, 30, 121, 31))] },
      { region: '990001', crs: 'wgs84', base: null, source: 'x' },
    )
    expect(plan.errors.map((e) => e.kind)).toEqual(['levels'])
  })

  it('rewinds rings, inherits urban, sorts by code and writes a whole pack', () => {
    const features = [
      unit('990001', 'district', null, box(120, 30, 120.02, 30.01)),
      unit('990001001', 'street', '990001', box(120, 30, 120.02, 30.01)),
      unit('990001001001', 'community', '990001001', box(120, 30, 120.02, 30.01)),
      unit('990001001001002', 'grid', '990001001001', box(120.01, 30, 120.02, 30.01)),
      unit('990001001001001', 'grid', '990001001001', box(120, 30, 120.01, 30.01)),
    ]
    const plan = planImport(
      { type: 'FeatureCollection', features },
      { region: '990001', crs: 'wgs84', base: null, source: 'x' },
    )
    expect(plan.errors).toEqual([])
    const files = new Map(plan.files)
    expect([...files.keys()].sort()).toEqual(
      [
        'cameras.json',
        'communities.geojson',
        'context.geojson',
        'district.geojson',
        'grids.geojson',
        'members.json',
        'region.json',
        'streets.geojson',
      ].sort(),
    )
    const grids = JSON.parse(files.get('grids.geojson')!).features
    expect(grids.map((g: { properties: { code: string } }) => g.properties.code)).toEqual([
      '990001001001001',
      '990001001001002',
    ])
    expect(grids[0].properties).toMatchObject({ urban: true, level: 'grid', parent: '990001001001' })
    expect(grids[0].geometry.coordinates[0][1]).toEqual([120.01, 30]) // counter-clockwise now
    expect(JSON.parse(files.get('region.json')!).counts).toMatchObject({ street: 1, community: 1, grid: 2 })
  })

  it('converts GCJ-02 to WGS-84 at 6 decimals and leaves malformed positions to the validator', () => {
    const out = convertGeometryCoordinates(
      [
        [
          [120.5, 30.5],
          [120.5, 30.5],
          ['x', 1],
          [1e7, 3e6],
        ],
      ],
      'gcj02',
    ) as number[][][]
    expect(out[0]![0]![0]).toBeCloseTo(120.495, 2) // ~450 m west
    expect(out[0]).toHaveLength(4) // the duplicate dropped
    expect(out[0]![2]).toEqual(['x', 1])
    expect(out[0]![3]).toEqual([1e7, 3e6])
  })
})

describe('resolveRegionDir', () => {
  it('prefers a pack in DATA_DIR and falls back to the bundled one', () => {
    const data = mkdtempSync(join(tmpdir(), 'gridsight-data-'))
    try {
      expect(resolveRegionDir('330402', data)).toBe(regionDir('330402'))
      mkdirSync(join(data, 'regions', '330402'), { recursive: true })
      expect(resolveRegionDir('330402', data)).toBe(regionDir('330402')) // no region.json yet
      writeFileSync(join(data, 'regions', '330402', 'region.json'), '{}')
      expect(resolveRegionDir('330402', data)).toBe(`${join(data, 'regions', '330402')}/`)
      expect(() => resolveRegionDir('33040', data)).toThrow(/6 digits/)
    } finally {
      rmSync(data, { recursive: true, force: true })
    }
  })
})
