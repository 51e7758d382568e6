/**
 * Writes the import CLI's input fixtures (geo-data/fixtures/import/*.geojson) from the 南湖 pack
 * and a synthetic region. Deterministic; run `node geo-data/scripts/make-import-fixtures.ts` after
 * changing it, then `UPDATE=1` the golden test (server/src/cli/import.test.ts).
 */
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import pc from 'polygon-clipping'
import * as prettier from 'prettier'
import { wgs84ToGcj02 } from '@gridsight/shared'
import { readUnits } from '../src/index.ts'
import type { UnitFeature } from '../src/pack.ts'

const DIR = new URL('../fixtures/import/', import.meta.url)
type P = [number, number]
const r6 = (v: number): number => Math.round(v * 1e6) / 1e6

/** Written as `pnpm format` formats them (the fixtures are not prettier-ignored). */
async function write(name: string, features: unknown[]): Promise<void> {
  const file = fileURLToPath(new URL(name, DIR))
  const options = await prettier.resolveConfig(file)
  const text = JSON.stringify({ type: 'FeatureCollection', features })
  writeFileSync(file, await prettier.format(text, { ...options, parser: 'json' }))
  console.log(`wrote ${name} (${features.length} features)`)
}

const grids = readUnits('330402', 'grid').features
const gridsOf = (community: string): UnitFeature[] => grids.filter((g) => g.properties.parent === community)
function ring0(f: UnitFeature): P[] {
  return f.geometry.type === 'Polygon' ? f.geometry.coordinates[0]! : f.geometry.coordinates[0]![0]!
}
function props(code: string, name: string, parent: string, extra: object = {}): object {
  return { code, name, level: 'grid', parent, ...extra }
}

// 1. grids-wgs84: 百福弄社区 (330402007024, 4 grids) regridded: grids 1 and 2 merged, so 3 grids
{
  const c = '330402007024'
  const [g1, g2, g3, g4] = gridsOf(c)
  const merged = pc.union(g1!.geometry.coordinates as pc.Geom, g2!.geometry.coordinates as pc.Geom)
  const geom = (m: pc.MultiPolygon) =>
    m.length === 1 ? { type: 'Polygon', coordinates: m[0] } : { type: 'MultiPolygon', coordinates: m }
  await write('grids-wgs84.geojson', [
    { type: 'Feature', properties: props(`${c}101`, '百福弄社区东网格', c), geometry: geom(merged) },
    { type: 'Feature', properties: props(`${c}102`, '百福弄社区中网格', c), geometry: g3!.geometry },
    { type: 'Feature', properties: props(`${c}103`, '百福弄社区西网格', c, { urban: true }), geometry: g4!.geometry },
  ])
}

// 2. grids-gcj02: the 5 grids of 丁家桥社区 (330402007030) as a Chinese web map would deliver them
{
  const c = '330402007030'
  const toGcj = (coords: unknown): unknown =>
    Array.isArray(coords) && typeof coords[0] === 'number'
      ? wgs84ToGcj02(coords[0], coords[1] as number).map(r6)
      : (coords as unknown[]).map(toGcj)
  await write(
    'grids-gcj02.geojson',
    gridsOf(c).map((g) => ({
      type: 'Feature',
      properties: props(g.properties.code, g.properties.name, c),
      geometry: { type: g.geometry.type, coordinates: toGcj(g.geometry.coordinates) },
    })),
  )
}

// 3. bad-grids: 湘湖社区 (330402015001, 6 grids) with one problem per feature, and a few more
{
  const c = '330402015001'
  const gs = gridsOf(c)
  const f = (p: object, geometry: unknown) => ({ type: 'Feature', properties: p, geometry })
  const poly = (r: P[]) => ({ type: 'Polygon', coordinates: [r] })
  const ring = (i: number) => ring0(gs[i]!)
  const [cx, cy] = ring(3)
    .slice(1)
    .reduce(([x, y], p, _, a) => [x + p[0] / a.length, y + p[1] / a.length], [0, 0])
  const grown = ring(3).map(([x, y]): P => [r6(cx + 1.3 * (x - cx)), r6(cy + 1.3 * (y - cy))])
  const sq = (x: number, y: number, d: number): P[] => [
    [x, y],
    [x + d, y],
    [x + d, y + d],
    [x, y + d],
    [x, y],
  ]
  const [sx, sy] = ring(0)[0]!
  const bowtie: P[] = [
    [sx, sy],
    [sx + 0.001, sy + 0.001],
    [sx + 0.001, sy],
    [sx, sy + 0.001],
    [sx, sy],
  ]
  const metres: P[] = sq(13_447_000, 3_600_000, 300)
  await write('bad-grids.geojson', [
    f(props(`${c}001`, '湘湖社区第1网格', c), gs[0]!.geometry), // fine
    f(props(`${c}002`, '湘湖社区第2网格', c), { type: 'LineString', coordinates: ring(1) }),
    f(props(`${c}003`, '湘湖社区第3网格', c), poly(ring(2).slice(0, -1))), // not closed
    f(props(`${c}004`, '湘湖社区第4网格', c), poly(grown)), // outside parent, overlaps siblings
    f(props(`${c}005`, '湘湖社区第5网格', c), gs[4]!.geometry),
    f(props(`${c}005`, '湘湖社区第6网格', c), gs[5]!.geometry), // duplicate code
    f(props(`${c}007`, '湘湖社区第7网格', c), poly(bowtie)), // self-intersection
    f(props(`${c}008`, '湘湖社区第8网格', c), poly(metres)), // projected metres
    f(props('330402999999001', '无名网格', '330402999999'), poly(sq(120.8, 30.75, 0.001))), // no such parent
    f(props('330402015901', '错层网格', '330402015'), poly(sq(120.8, 30.75, 0.001))), // parent is a street
    f({ code: `${c}009`, level: 'grid', parent: c }, poly(sq(120.8, 30.75, 0.001))), // no name
  ])
}

// 4. town: a whole synthetic region (fake adcode 990001) in CGCS2000: 1 district, 2 streets,
//    3 communities, 6 grids, all rectangles; town-small-gap: one grid 1 m short of its neighbour
{
  const box = (w: number, s: number, e: number, n: number) => ({
    type: 'Polygon',
    coordinates: [
      [
        [w, s],
        [e, s],
        [e, n],
        [w, n],
        [w, s],
      ],
    ],
  })
  const u = (code: string, name: string, level: string, parent: string | null, g: unknown, extra: object = {}) => ({
    type: 'Feature',
    properties: { code, name, level, parent, ...extra },
    geometry: g,
  })
  const town = (gap: number) => [
    u('990001', '示范区', 'district', null, box(120, 30, 120.04, 30.03)),
    u('990001001', '东街道', 'street', '990001', box(120.02, 30, 120.04, 30.03), { urban: true }),
    u('990001100', '西镇', 'street', '990001', box(120, 30, 120.02, 30.03), { urban: false }),
    u('990001001001', '东一社区', 'community', '990001001', box(120.02, 30, 120.04, 30.015)),
    u('990001001002', '东二社区', 'community', '990001001', box(120.02, 30.015, 120.04, 30.03)),
    u('990001100200', '西村', 'community', '990001100', box(120, 30, 120.02, 30.03)),
    u('990001001001001', '东一社区第1网格', 'grid', '990001001001', box(120.02, 30, 120.03, 30.015)),
    u('990001001001002', '东一社区第2网格', 'grid', '990001001001', box(120.03, 30, 120.04, 30.015)),
    u('990001001002001', '东二社区第1网格', 'grid', '990001001002', box(120.02, 30.015, 120.03 - gap, 30.03)),
    u('990001001002002', '东二社区第2网格', 'grid', '990001001002', box(120.03, 30.015, 120.04, 30.03)),
    u('990001100200001', '西村第1网格', 'grid', '990001100200', box(120, 30, 120.02, 30.015)),
    u('990001100200002', '西村第2网格', 'grid', '990001100200', box(120, 30.015, 120.02, 30.03)),
  ]
  await write('town.geojson', town(0))
  await write('town-small-gap.geojson', town(0.00001))
}

// 5. not JSON at all (a .txt: prettier would choke on a broken .geojson)
writeFileSync(new URL('broken-json.txt', DIR), '{"type":"FeatureCollection","features":[\n')
console.log('wrote broken-json.txt')
