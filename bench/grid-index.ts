/**
 * Point → grid assignment: 100,000 points against the 605 demo grids of 南湖 and a generated
 * 10,000-grid city. GridSight's index (flatbush bbox R-tree + exact even–odd test, shared/) against
 * two baselines in the same run:
 * - turf `booleanPointInPolygon` over all grids, first hit wins, on a sample of the points (up to
 *   2,000 or 5 s) extrapolated to all of them: the full 100k × 10k run would take hours;
 * - PostGIS `ST_Contains` with a GiST index on a throw-away local PostgreSQL, all points in one
 *   query (arrays in, one row per point out), the way a server would batch it. Skipped with a
 *   notice when PostgreSQL or PostGIS is not installed.
 */
import { createRequire } from 'node:module'
import { performance } from 'node:perf_hooks'
import { mulberry32, PointIndex } from '@gridsight/shared'
import type { PolygonalGeometry } from '@gridsight/shared'
import { generateCity, readUnits } from '../geo-data/src/index.ts'
import { startTempPostgres } from '../server/src/db/test-postgres.ts'

// turf is a devDependency of @gridsight/geo-data and pg a dependency of the server: the bench has
// no package of its own, so they are resolved from those packages
const requireFromGeoData = createRequire(new URL('../geo-data/package.json', import.meta.url))
const requireFromServer = createRequire(new URL('../server/package.json', import.meta.url))
interface PgClient {
  connect(): Promise<void>
  query(sql: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>
  end(): Promise<void>
}
const { Client } = requireFromServer('pg') as { Client: new (options: { connectionString: string }) => PgClient }
const booleanPointInPolygon = (
  requireFromGeoData('@turf/boolean-point-in-polygon') as {
    booleanPointInPolygon: (pt: number[], poly: unknown) => boolean
  }
).booleanPointInPolygon

export interface MethodResult {
  /** measured points (fewer than `points` when sampled) */
  measuredPoints: number
  /** time for all points (extrapolated when sampled), ms */
  ms: number
  pointsPerSec: number
  /** share of measured points assigned to the same grid as GridSight (1 = all) */
  agreement: number
}

export interface GridIndexResult {
  dataset: string
  grids: number
  points: number
  /** share of points inside some grid */
  insideShare: number
  buildMs: number
  gridsight: MethodResult
  turf: MethodResult
  postgis: MethodResult | null
  turfRatio: number
  postgisRatio: number | null
}

export interface GridIndexBench {
  results: GridIndexResult[]
  /** why PostGIS was skipped, if it was */
  postgisNotice: string | null
}

interface Dataset {
  name: string
  geometries: PolygonalGeometry[]
  bbox: [number, number, number, number]
}

function demoGrids(): Dataset {
  const grids = readUnits('330402', 'grid').features
  const b: Dataset['bbox'] = [Infinity, Infinity, -Infinity, -Infinity]
  for (const g of grids) {
    const polys = g.geometry.type === 'Polygon' ? [g.geometry.coordinates] : g.geometry.coordinates
    for (const p of polys)
      for (const [x, y] of p[0]!) {
        b[0] = Math.min(b[0], x)
        b[1] = Math.min(b[1], y)
        b[2] = Math.max(b[2], x)
        b[3] = Math.max(b[3], y)
      }
  }
  return { name: '南湖 demo grids', geometries: grids.map((g) => g.geometry), bbox: b }
}

/** The generated 10,000-grid city of `SIM_SCALE=city` (geo-data generateCity, 100 × 100 jittered lattice). */
function generatedCity(): Dataset {
  const { grids, meta } = generateCity()
  return { name: 'generated city', geometries: grids.map((g) => g.geometry), bbox: meta.bounds }
}

function points(bbox: Dataset['bbox'], count: number): Float64Array {
  const rand = mulberry32(4)
  const xy = new Float64Array(count * 2)
  for (let i = 0; i < count; i++) {
    xy[2 * i] = bbox[0] + rand() * (bbox[2] - bbox[0])
    xy[2 * i + 1] = bbox[1] + rand() * (bbox[3] - bbox[1])
  }
  return xy
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

function result(measured: number, total: number, ms: number, agree: number): MethodResult {
  const full = (ms * total) / measured
  return { measuredPoints: measured, ms: full, pointsPerSec: (total / full) * 1000, agreement: agree / measured }
}

async function postgisSession() {
  const pg = await startTempPostgres()
  const client = new Client({ connectionString: pg.url })
  await client.connect()
  try {
    await client.query('create extension postgis')
  } catch (err) {
    await client.end()
    await pg.stop()
    throw err
  }
  return {
    async run(ds: Dataset, xy: Float64Array, reference: Int32Array): Promise<MethodResult> {
      await client.query('drop table if exists grids')
      await client.query('create table grids (id int primary key, geom geometry(Geometry, 4326) not null)')
      const batch = 1000
      for (let k = 0; k < ds.geometries.length; k += batch) {
        const slice = ds.geometries.slice(k, k + batch)
        await client.query(
          `insert into grids select k - 1 + $1, st_setsrid(st_geomfromgeojson(g), 4326)
             from unnest($2::text[]) with ordinality as t(g, k)`,
          [k, slice.map((g) => JSON.stringify(g))],
        )
      }
      await client.query('create index grids_geom on grids using gist (geom)')
      await client.query('analyze grids')
      const n = xy.length / 2
      const xs = Array.from({ length: n }, (_, i) => xy[2 * i]!)
      const ys = Array.from({ length: n }, (_, i) => xy[2 * i + 1]!)
      const sql = `select p.i, g.id from unnest($1::float8[], $2::float8[]) with ordinality as p(x, y, i)
          left join lateral (select id from grids where st_contains(geom, st_setsrid(st_makepoint(p.x, p.y), 4326))
                             order by id limit 1) g on true`
      const times: number[] = []
      let rows: Record<string, unknown>[] = []
      for (let r = 0; r < 3; r++) {
        const t0 = performance.now()
        rows = (await client.query(sql, [xs, ys])).rows
        times.push(performance.now() - t0)
      }
      let agree = 0
      for (const row of rows) if (((row.id as number | null) ?? -1) === reference[Number(row.i) - 1]) agree++
      return result(n, n, median(times), agree)
    },
    async stop() {
      await client.end()
      await pg.stop()
    },
  }
}

export async function benchGridIndex(
  count = 100_000,
  turfSample = 2_000,
  turfBudgetMs = 5_000,
  log = (s: string) => console.log(s),
): Promise<GridIndexBench> {
  let pg: Awaited<ReturnType<typeof postgisSession>> | null = null
  let postgisNotice: string | null = null
  try {
    pg = await postgisSession()
  } catch (err) {
    postgisNotice = `PostGIS baseline skipped: ${(err as Error).message.split('\n')[0]}`
    log(postgisNotice)
  }
  const results: GridIndexResult[] = []
  try {
    for (const ds of [demoGrids(), generatedCity()]) {
      const xy = points(ds.bbox, count)
      const t0 = performance.now()
      const index = new PointIndex(ds.geometries)
      const buildMs = performance.now() - t0
      const owner = new Int32Array(count)
      const assign = () => {
        for (let i = 0; i < count; i++) owner[i] = index.locate(xy[2 * i]!, xy[2 * i + 1]!)
      }
      assign() // warm-up
      const times: number[] = []
      for (let r = 0; r < 7; r++) {
        const t = performance.now()
        assign()
        times.push(performance.now() - t)
      }
      const gridsight = result(count, count, median(times), count)
      const inside = owner.reduce((s, o) => s + (o >= 0 ? 1 : 0), 0) / count

      // turf: every grid in turn until one contains the point
      const features = ds.geometries.map((g) => ({ type: 'Feature', properties: {}, geometry: g }))
      // sampled: up to turfSample points or turfBudgetMs, whichever comes first
      let sample = 0
      let agree = 0
      const tt = performance.now()
      for (let i = 0; i < Math.min(turfSample, count); i++) {
        if (i >= 100 && performance.now() - tt > turfBudgetMs) break
        sample++
        const pt = [xy[2 * i]!, xy[2 * i + 1]!]
        let hit = -1
        for (let g = 0; g < features.length; g++)
          if (booleanPointInPolygon(pt, features[g])) {
            hit = g
            break
          }
        if (hit === owner[i]) agree++
      }
      const turf = result(sample, count, performance.now() - tt, agree)

      const postgis = pg ? await pg.run(ds, xy, owner) : null
      const r: GridIndexResult = {
        dataset: ds.name,
        grids: ds.geometries.length,
        points: count,
        insideShare: inside,
        buildMs,
        gridsight,
        turf,
        postgis,
        turfRatio: turf.ms / gridsight.ms,
        postgisRatio: postgis ? postgis.ms / gridsight.ms : null,
      }
      log(
        `grid index ${ds.name} (${r.grids} grids, ${count} points): GridSight ${gridsight.ms.toFixed(1)} ms ` +
          `(build ${buildMs.toFixed(1)} ms); turf ${turf.ms.toFixed(0)} ms (${sample} sampled, ${r.turfRatio.toFixed(0)}×)` +
          (postgis ? `; PostGIS ${postgis.ms.toFixed(0)} ms (${r.postgisRatio!.toFixed(1)}×)` : ''),
      )
      results.push(r)
    }
  } finally {
    await pg?.stop()
  }
  return { results, postgisNotice }
}
