/**
 * KPIs at city scale (issue 6): the generated city (geo-data `generateCity`: 10,000 grids in 400
 * communities and 20 streets, 100,000 cameras, 20,000 members) plus 100,000 cases over 30 days and
 * 200,000 disputes over a year, all in memory.
 *
 * - full recompute: `KpiEngine.rebuild` of every figure at every level (median of 5);
 * - incremental: ns per committed change through `KpiEngine.apply`, per kind and mixed
 *   (50 % member positions, 20 % camera status, 20 % case lifecycle, 10 % disputes);
 * - memory: the engine's typed arrays, and the RSS growth while building it;
 * - baseline: PostGIS computing the same per-grid camera figures (total, online, density per km²)
 *   with `ST_Contains` and a GiST index on a throw-away local PostgreSQL, median of 3, in the same run.
 */
import { createRequire } from 'node:module'
import { performance } from 'node:perf_hooks'
import { mulberry32 } from '@gridsight/shared'
import { generateCity } from '../geo-data/src/index.ts'
import type { CameraRow, CaseRow, DisputeRow, MemberRow, StoredChange } from '../server/src/db/index.ts'
import { startTempPostgres } from '../server/src/db/test-postgres.ts'
import { loadKpiConfig } from '../server/src/kpi/config.ts'
import { KpiEngine, type KpiChangeInput } from '../server/src/kpi/engine.ts'
import { GridBuckets, gridCameraFigures } from '../server/src/kpi/grid-density.ts'
import { UnitTree } from '../server/src/kpi/unit-tree.ts'

const requireFromServer = createRequire(new URL('../server/package.json', import.meta.url))
interface PgClient {
  connect(): Promise<void>
  query(sql: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>
  end(): Promise<void>
}
const { Client } = requireFromServer('pg') as { Client: new (options: { connectionString: string }) => PgClient }

export interface KpiBench {
  units: number
  grids: number
  cameras: number
  members: number
  cases: number
  disputes: number
  recomputeMs: number
  /** the same, thread CPU time (less sensitive than wall time to other work on a shared machine) */
  recomputeCpuMs: number
  /** building the id → slot maps after a recompute (start-up only; the incremental path needs them) */
  idIndexMs: number
  recomputeCamerasOnlyMs: number
  incrementalNs: { mixed: number; member: number; camera: number; case: number; dispute: number }
  events: number
  engineMemoryMb: number
  rssGrowthMb: number
  /**
   * The same per-grid camera figures as PostGIS, from positions: point → grid assignment
   * (GridBuckets) and counting, from the camera rows (median of 5); the index build is apart, as
   * PostGIS's GiST build is.
   */
  spatial: { ms: number; buildMs: number; outside: number }
  postgis: { ms: number; agreement: number } | null
  postgisNotice: string | null
  /** PostGIS ms / GridSight full recompute ms */
  postgisRatio: number | null
  /** PostGIS ms / GridSight per-grid camera figures from positions (the same figures) */
  postgisRatioCameras: number | null
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const DAY = 86_400_000
const CASE_TYPES = ['环境卫生', '占道经营', '道路设施', '治安隐患', '消防隐患', '违章搭建', '噪声扰民', '出租房管理']
const CATEGORIES = ['邻里纠纷', '婚姻家庭', '征地拆迁', '劳资纠纷', '物业纠纷', '土地山林', '损害赔偿', '其他纠纷']

/** The city data set of the bench, in memory (also for profiling: `node --cpu-prof`). */
export function cityKpiData() {
  const city = generateCity()
  const all = [...city.district, ...city.streets, ...city.communities, ...city.grids]
  const tree = new UnitTree(all.map((u) => ({ ...u.properties })))
  const grids = city.grids.map((g) => g.properties.code)
  const config = loadKpiConfig()
  const rand = mulberry32(6)
  const now = Date.parse('2026-06-10T15:00:00+08:00')
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!

  const cameras: CameraRow[] = city.cameras.map(([id, lon, lat, grid, kind]) => ({
    id,
    name: null,
    kind,
    lon,
    lat,
    gridCode: grid,
    status: rand() < 0.93 ? 'online' : rand() < 0.7 ? 'offline' : 'fault',
    ts: now - Math.floor(rand() * DAY),
  }))
  const members: MemberRow[] = city.members.map(([id, name, role, grid]) => ({
    id,
    name,
    role,
    onDuty: rand() < 0.6,
    gridCode: grid,
    lon: 0,
    lat: 0,
    accuracy: null,
    speed: null,
    heading: null,
    ts: now - Math.floor(rand() * 1_200_000),
  }))
  const cases: CaseRow[] = []
  const caseDone = new Map<string, number>()
  for (let i = 0; i < 100_000; i++) {
    const reportedAt = now - Math.floor(rand() * 30 * DAY)
    const age = now - reportedAt
    const st =
      age > 3 * DAY
        ? rand() < 0.97
          ? 'closed'
          : 'handling'
        : pick(['reported', 'dispatched', 'handling', 'resolved', 'closed'])
    const ts = reportedAt + Math.floor(rand() * Math.min(age, 2 * DAY))
    const id = `k${i}`
    cases.push({
      id,
      type: pick(CASE_TYPES),
      status: st,
      priority: null,
      title: null,
      source: null,
      assignee: null,
      lon: 0,
      lat: 0,
      gridCode: pick(grids),
      reportedAt,
      ts,
    })
    if (st === 'resolved' || st === 'closed') caseDone.set(id, ts)
  }
  const disputes: DisputeRow[] = []
  const disputeDone = new Map<string, number>()
  for (let i = 0; i < 200_000; i++) {
    const acceptedAt = now - Math.floor(rand() * 365 * DAY)
    const age = now - acceptedAt
    const st =
      age > 20 * DAY
        ? rand() < 0.93
          ? 'resolved'
          : rand() < 0.8
            ? 'unresolved'
            : 'escalated'
        : pick(['accepted', 'assigned', 'mediating', 'resolved', 'escalated'])
    const ts = acceptedAt + Math.floor(rand() * Math.min(age, 15 * DAY))
    const id = `d${i}`
    disputes.push({
      id,
      category: pick(CATEGORIES),
      status: st,
      title: null,
      parties: 2,
      lon: 0,
      lat: 0,
      gridCode: pick(grids),
      acceptedAt,
      ts,
    })
    if (st === 'resolved' || st === 'unresolved') disputeDone.set(id, ts)
  }
  const standards = city.meta.densityStandards
  const rows = { cameras, members, cases, disputes }
  const done = { cases: caseDone, disputes: disputeDone }
  return { city, tree, grids, config, now, standards, rows, done, rand, pick }
}

export async function benchKpi(log = (s: string) => console.log(s)): Promise<KpiBench> {
  const rssBefore = process.memoryUsage().rss
  const { city, tree, grids, config, now, standards, rows, done, pick, rand } = cityKpiData()
  const { cameras, members, cases, disputes } = rows
  const engine = new KpiEngine(tree, config, standards)

  engine.rebuild(rows, done, now) // warm-up
  const times: number[] = []
  const cpuTimes: number[] = []
  for (let r = 0; r < 5; r++) {
    const c0 = process.threadCpuUsage()
    const t0 = performance.now()
    engine.rebuild(rows, done, now)
    times.push(performance.now() - t0)
    const c = process.threadCpuUsage(c0)
    cpuTimes.push((c.user + c.system) / 1000)
  }
  const recomputeMs = median(times)
  const recomputeCpuMs = median(cpuTimes)
  const indexTimes: number[] = []
  for (let r = 0; r < 3; r++) {
    engine.rebuild(rows, done, now)
    const t0 = performance.now()
    engine.indexIds()
    indexTimes.push(performance.now() - t0)
  }
  const idIndexMs = median(indexTimes)
  const camOnly = new KpiEngine(tree, config, standards)
  const camTimes: number[] = []
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now()
    camOnly.rebuild({ cameras, members: [], cases: [], disputes: [] }, done, now)
    camTimes.push(performance.now() - t0)
  }
  const recomputeCamerasOnlyMs = median(camTimes)
  log(
    `kpi full recompute: ${recomputeMs.toFixed(1)} ms, CPU ${recomputeCpuMs.toFixed(1)} ms (cameras only ${recomputeCamerasOnlyMs.toFixed(1)} ms; id index ${idIndexMs.toFixed(1)} ms)`,
  )

  // incremental: changes prepared up front, so that the loop measures the engine only
  const N = 200_000
  const make = (kind: 'member' | 'camera' | 'case' | 'dispute', count: number, t0: number): KpiChangeInput[] => {
    const out: KpiChangeInput[] = []
    let newCase = 0
    let newDispute = 0
    for (let i = 0; i < count; i++) {
      const ts = t0 + i
      let change: StoredChange
      if (kind === 'member') {
        const m = pick(members)
        change = { kind: 'member', row: { ...m, ts, onDuty: rand() < 0.98 ? m.onDuty : !m.onDuty } }
      } else if (kind === 'camera') {
        const c = pick(cameras)
        change = {
          kind: 'camera',
          row: {
            ...c,
            ts,
            status: rand() < 0.9 ? 'online' : 'offline',
            gridCode: rand() < 0.01 ? pick(grids) : c.gridCode,
          },
          statusChanged: true,
        }
      } else if (kind === 'case') {
        const fresh = rand() < 0.3
        const c = fresh ? null : pick(cases)
        const row: CaseRow = c
          ? {
              ...c,
              ts,
              status: pick(['dispatched', 'handling', 'resolved', 'closed']),
              gridCode: rand() < 0.05 ? pick(grids) : c.gridCode,
            }
          : { ...cases[0]!, id: `kn${t0}-${newCase++}`, status: 'reported', reportedAt: ts, ts, gridCode: pick(grids) }
        change = { kind: 'case', row, statusChanged: true }
      } else {
        const fresh = rand() < 0.3
        const d = fresh ? null : pick(disputes)
        const row: DisputeRow = d
          ? { ...d, ts, status: pick(['mediating', 'resolved', 'unresolved', 'escalated']) }
          : {
              ...disputes[0]!,
              id: `dn${t0}-${newDispute++}`,
              status: 'accepted',
              acceptedAt: ts,
              ts,
              gridCode: pick(grids),
            }
        change = { kind: 'dispute', row, statusChanged: true }
      }
      out.push({ change })
    }
    return out
  }
  const measure = (changes: KpiChangeInput[], t0: number): number => {
    const batch = 500
    const start = performance.now()
    for (let k = 0; k < changes.length; k += batch) engine.apply(changes.slice(k, k + batch), t0 + k)
    return ((performance.now() - start) * 1e6) / changes.length
  }
  const weights = { member: 0.5, camera: 0.2, case: 0.2, dispute: 0.1 } as const
  const ns = { mixed: 0, member: 0, camera: 0, case: 0, dispute: 0 }
  let t = now + 1000
  for (const kind of ['member', 'camera', 'case', 'dispute'] as const) {
    const count = Math.round(N * weights[kind])
    measure(make(kind, count, t), t) // warm-up
    t += count
    const changes = make(kind, count, t)
    ns[kind] = measure(changes, t)
    t += count
    ns.mixed += ns[kind] * weights[kind]
  }
  log(
    `kpi incremental: ${ns.mixed.toFixed(0)} ns/event mixed (member ${ns.member.toFixed(0)}, camera ${ns.camera.toFixed(0)}, case ${ns.case.toFixed(0)}, dispute ${ns.dispute.toFixed(0)})`,
  )
  const engineMemoryMb = engine.memoryBytes() / 2 ** 20
  const rssGrowthMb = (process.memoryUsage().rss - rssBefore) / 2 ** 20

  // GridSight: the same per-grid camera figures from positions
  const gridGeoms = city.grids.map((g) => g.geometry)
  const b0 = performance.now()
  const buckets = new GridBuckets(gridGeoms)
  const buildMs = performance.now() - b0
  const gridArea = Float64Array.from(city.grids, (g) => g.properties.areaKm2)
  const gridStd = Float64Array.from(city.grids, (g) =>
    g.properties.urban ? standards.urbanPerKm2 : standards.ruralPerKm2,
  )
  const spatialRun = () => {
    const n = cameras.length
    const lon = new Float64Array(n)
    const lat = new Float64Array(n)
    const online = new Uint8Array(n)
    for (let i = 0; i < n; i++) {
      const c = cameras[i]!
      lon[i] = c.lon
      lat[i] = c.lat
      online[i] = c.status === 'online' ? 1 : 0
    }
    return gridCameraFigures(buckets, lon, lat, online, gridArea, gridStd)
  }
  spatialRun() // warm-up
  const spatialTimes: number[] = []
  let ours = spatialRun()
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now()
    ours = spatialRun()
    spatialTimes.push(performance.now() - t0)
  }
  const spatial = { ms: median(spatialTimes), buildMs, outside: ours.outside }
  log(
    `kpi per-grid camera figures from positions: ${spatial.ms.toFixed(1)} ms (index build ${buildMs.toFixed(1)} ms, ${ours.outside} outside)`,
  )

  // PostGIS: the same per-grid camera figures from geometry
  let postgis: KpiBench['postgis'] = null
  let postgisNotice: string | null = null
  try {
    if (process.env.KPI_SKIP_PG) throw new Error('KPI_SKIP_PG is set')
    const pg = await startTempPostgres()
    const client = new Client({ connectionString: pg.url })
    await client.connect()
    try {
      await client.query('create extension postgis')
      await client.query(
        'create table grids (code text primary key, area_km2 float8 not null, urban boolean not null, geom geometry(Geometry, 4326) not null)',
      )
      for (let k = 0; k < city.grids.length; k += 1000) {
        const slice = city.grids.slice(k, k + 1000)
        await client.query(
          `insert into grids select c, a, u, st_setsrid(st_geomfromgeojson(g), 4326)
             from unnest($1::text[], $2::float8[], $3::bool[], $4::text[]) as t(c, a, u, g)`,
          [
            slice.map((g) => g.properties.code),
            slice.map((g) => g.properties.areaKm2),
            slice.map((g) => g.properties.urban),
            slice.map((g) => JSON.stringify(g.geometry)),
          ],
        )
      }
      await client.query('create index grids_geom on grids using gist (geom)')
      await client.query(
        'create table cameras (id text primary key, status text not null, geom geometry(Point, 4326) not null)',
      )
      await client.query(
        `insert into cameras select i, s, st_setsrid(st_makepoint(x, y), 4326)
           from unnest($1::text[], $2::text[], $3::float8[], $4::float8[]) as t(i, s, x, y)`,
        [cameras.map((c) => c.id), cameras.map((c) => c.status), cameras.map((c) => c.lon), cameras.map((c) => c.lat)],
      )
      await client.query('create index cameras_geom on cameras using gist (geom)')
      await client.query('analyze grids')
      await client.query('analyze cameras')
      const sql = `select g.code, count(c.id)::int as total, (count(c.id) filter (where c.status = 'online'))::int as online,
          count(c.id) / g.area_km2 as density, count(c.id) filter (where c.status = 'online') / g.area_km2 as online_density,
          count(c.id) / g.area_km2 >= case when g.urban then $1::float8 else $2::float8 end as meets
        from grids g left join cameras c on st_contains(g.geom, c.geom)
        group by g.code, g.area_km2, g.urban`
      const pgTimes: number[] = []
      let result: Record<string, unknown>[] = []
      for (let r = 0; r < 3; r++) {
        const t0 = performance.now()
        result = (await client.query(sql, [standards.urbanPerKm2, standards.ruralPerKm2])).rows
        pgTimes.push(performance.now() - t0)
      }
      // agreement: grids where PostGIS and GridSight (from positions) give the same total and online
      const at = new Map(city.grids.map((g, k) => [g.properties.code, k]))
      let agree = 0
      for (const row of result) {
        const k = at.get(row.code as string)!
        if (ours.total[k] === row.total && ours.online[k] === row.online) agree++
      }
      postgis = { ms: median(pgTimes), agreement: agree / result.length }
      log(
        `kpi PostGIS per-grid camera density: ${postgis.ms.toFixed(0)} ms (agree ${(100 * postgis.agreement).toFixed(1)} %)`,
      )
    } finally {
      await client.end()
      await pg.stop()
    }
  } catch (err) {
    postgisNotice = `PostGIS baseline skipped: ${(err as Error).message.split('\n')[0]}`
    log(postgisNotice)
  }
  return {
    units: tree.n,
    grids: grids.length,
    cameras: cameras.length,
    members: members.length,
    cases: cases.length,
    disputes: disputes.length,
    recomputeMs,
    recomputeCpuMs,
    idIndexMs,
    recomputeCamerasOnlyMs,
    incrementalNs: ns,
    events: N,
    engineMemoryMb,
    rssGrowthMb,
    spatial,
    postgis,
    postgisNotice,
    postgisRatio: postgis ? postgis.ms / recomputeMs : null,
    postgisRatioCameras: postgis ? postgis.ms / spatial.ms : null,
  }
}

const fmt = (n: number, digits = 1) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })

/** The KPI section of docs/benchmarks.md. */
export function kpiMarkdown(kpi: KpiBench, measured: string): string {
  const goal = (ok: boolean) => (ok ? 'met' : '**not met**')
  return [
    measured,
    '',
    '### KPIs at city scale (`bench/kpi.ts`)',
    '',
    `The generated city (geo-data \`generateCity\`): ${kpi.units.toLocaleString('en-US')} units (${kpi.grids.toLocaleString('en-US')} grids),`,
    `${kpi.cameras.toLocaleString('en-US')} cameras, ${kpi.members.toLocaleString('en-US')} members, ${kpi.cases.toLocaleString('en-US')} cases over 30 days and`,
    `${kpi.disputes.toLocaleString('en-US')} disputes over a year, in memory. Full recompute: \`KpiEngine.rebuild\`, every figure at every`,
    'level, from the entity rows and the done times of the status events (median of 5); the id → slot maps that',
    'only incremental updates need are built on the first change and timed apart. Incremental: `KpiEngine.apply` per',
    'committed change, changes prepared up front (50 % member positions, 20 % camera status, 20 % case lifecycle,',
    '10 % disputes).',
    '',
    'Against PostGIS, the same figures from the same input: per grid, the cameras and online cameras, both per km²,',
    'and whether the standard is met, from the cameras’ positions. PostGIS: `ST_Contains` join with GiST indexes on a',
    'local PostgreSQL, median of 3. GridSight: `gridCameraFigures` (server/src/kpi/grid-density.ts) — point → grid',
    'assignment with a bucket grid and the exact even–odd test of the shared PointIndex, then counting — from the',
    'camera rows, median of 5. Both indexes are built outside the timing. Agreement: grids where both give the same',
    'total and online count.',
    '',
    'Goals (issue 6): recompute ≤ 200 ms, incremental ≤ 2 µs per event, ≥ 10× PostGIS.',
    ...(kpi.postgisNotice ? ['', `**${kpi.postgisNotice}**`] : []),
    '',
    '| figure | GridSight | goal |',
    '| --- | ---: | ---: |',
    `| full recompute, all figures | ${fmt(kpi.recomputeMs)} ms | ≤ 200 ms: ${goal(kpi.recomputeMs <= 200)} |`,
    `| full recompute, thread CPU time | ${fmt(kpi.recomputeCpuMs)} ms | |`,
    `| id → slot maps for incremental updates (start-up only) | ${fmt(kpi.idIndexMs)} ms | |`,
    `| recompute, camera figures only | ${fmt(kpi.recomputeCamerasOnlyMs)} ms | |`,
    `| incremental, mixed | ${fmt(kpi.incrementalNs.mixed, 0)} ns/event | ≤ 2,000 ns: ${goal(kpi.incrementalNs.mixed <= 2000)} |`,
    ...(['member', 'camera', 'case', 'dispute'] as const).map(
      (k) => `| incremental, ${k} changes | ${fmt(kpi.incrementalNs[k], 0)} ns/event | |`,
    ),
    `| engine memory (per-unit counters + entity columns) | ${fmt(kpi.engineMemoryMb)} MB | |`,
    `| process RSS growth (data set + engine) | ${fmt(kpi.rssGrowthMb, 0)} MB | |`,
    `| per-grid camera figures from positions, GridSight | ${fmt(kpi.spatial.ms)} ms (index build ${fmt(kpi.spatial.buildMs)} ms) | |`,
    `| per-grid camera figures from positions, PostGIS | ${kpi.postgis ? `${fmt(kpi.postgis.ms, 0)} ms (agree ${fmt(100 * kpi.postgis.agreement)} %)` : 'skipped'} | |`,
    `| vs PostGIS, the same figures | ${kpi.postgisRatioCameras === null ? '–' : `${fmt(kpi.postgisRatioCameras)}×`} | ≥ 10×: ${kpi.postgisRatioCameras === null ? '–' : goal(kpi.postgisRatioCameras >= 10)} |`,
  ].join('\n')
}
