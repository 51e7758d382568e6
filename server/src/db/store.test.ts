/**
 * The storage contract, run unchanged on SQLite and on a throw-away PostgreSQL server
 * (started from the Debian binaries; a missing server fails the suite, it is never skipped).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import {
  openStore,
  queryBuilder,
  SQLITE_FILE,
  StoreQueryError,
  type Engine,
  type OpenStoreOptions,
  type Store,
  type StoredChange,
} from './index.ts'
import { migrationProvider } from './migrations/index.ts'
import type { Database } from './schema.ts'
import {
  T0,
  camera,
  cameraChange,
  caseChange,
  caseRow,
  dispute,
  disputeChange,
  member,
  memberChange,
  mixedChanges,
} from './fixtures.ts'
import { startTempPostgres, type TempPostgres } from './test-postgres.ts'

interface Location {
  dataDir: string
  databaseUrl?: string
}

const engines: Engine[] = ['sqlite', 'postgres']
const dirs: string[] = []
/** Started by the first PostgreSQL test, so that a missing server fails those tests by name. */
let server: Promise<TempPostgres> | undefined
const pgServer = () => (server ??= startTempPostgres())
let dbCount = 0

afterAll(async () => {
  await (await server?.catch(() => undefined))?.stop()
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
}, 60_000)

async function freshLocation(engine: Engine): Promise<Location> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gridsight-db-'))
  dirs.push(dataDir)
  if (engine === 'sqlite') return { dataDir }
  return { dataDir, databaseUrl: await (await pgServer()).createDatabase(`t${++dbCount}`) }
}

async function rawRows(loc: Location, text: string): Promise<Record<string, unknown>[]> {
  if (loc.databaseUrl) {
    const client = new pg.Client({ connectionString: loc.databaseUrl })
    await client.connect()
    try {
      return (await client.query(text)).rows as Record<string, unknown>[]
    } finally {
      await client.end()
    }
  }
  const db = new BetterSqlite3(join(loc.dataDir, SQLITE_FILE), { readonly: true })
  try {
    return db.prepare(text).all() as Record<string, unknown>[]
  } finally {
    db.close()
  }
}

const count = async (loc: Location, table: string) =>
  Number((await rawRows(loc, `select count(*) as n from ${table}`))[0]!.n)

/** Collects every page of a list call. */
async function allPages<T>(fetch: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>) {
  const pages: T[][] = []
  let cursor: string | undefined
  for (;;) {
    const page = await fetch(cursor)
    pages.push(page.items)
    if (page.nextCursor === null) return pages
    cursor = page.nextCursor
  }
}

describe.each(engines)('store on %s', (engine) => {
  const stores: Store[] = []
  const open = async (loc: Location) => {
    const store = await openStore(loc)
    stores.push(store)
    return store
  }
  afterAll(async () => {
    await Promise.allSettled(stores.map((s) => s.close()))
  })

  it('opens the selected engine and applies migrations once, also on reopen', async () => {
    const loc = await freshLocation(engine)
    const a = await open(loc)
    expect(a.engine).toBe(engine)
    await a.write([cameraChange(camera('c1'))])
    await a.close()
    const b = await open(loc)
    const c = await open(loc) // a second opener (another process on PostgreSQL) finds nothing to do
    const names = Object.keys(await migrationProvider(engine).getMigrations()).sort()
    expect(await rawRows(loc, 'select name from kysely_migration order by name')).toEqual(
      names.map((name) => ({ name })),
    )
    expect(await b.getCamera('c1')).toEqual(camera('c1'))
    await c.close()
  })

  it('round-trips every row type, nulls, unicode and full double precision', async () => {
    const store = await open(await freshLocation(engine))
    const cam = camera('cam-1', { kind: 'social', status: 'fault', lon: -179.999999999999, lat: 89.12345678901234 })
    const camNulls = camera('cam-2', { name: null, gridCode: null })
    const mem = member('mem-1', { onDuty: false, lon: 120.1 + 1e-12, ts: T0 + 1 })
    const memNulls = member('mem-2', {
      name: null,
      role: null,
      gridCode: null,
      accuracy: null,
      speed: null,
      heading: null,
    })
    const kase = caseRow('case-1', { priority: 3, assignee: '李四', reportedAt: T0 - 3600_000 })
    const kaseNulls = caseRow('case-2', { priority: null, title: null, source: null, assignee: null, gridCode: null })
    const disp = dispute('disp-1', { parties: 7, acceptedAt: T0 - 60_000 })
    const dispNulls = dispute('disp-2', { title: null, parties: null, gridCode: null })
    await store.write([
      cameraChange(cam),
      cameraChange(camNulls),
      memberChange(mem),
      memberChange(memNulls),
      caseChange(kase),
      caseChange(kaseNulls),
      disputeChange(disp),
      disputeChange(dispNulls),
    ])
    expect(await store.getCamera('cam-1')).toEqual(cam)
    expect(await store.getCamera('cam-2')).toEqual(camNulls)
    expect(await store.getMember('mem-1')).toEqual(mem)
    expect(await store.getMember('mem-2')).toEqual(memNulls)
    expect(await store.getCase('case-1')).toEqual(kase)
    expect(await store.getCase('case-2')).toEqual(kaseNulls)
    expect(await store.getDispute('disp-1')).toEqual(disp)
    expect(await store.getDispute('disp-2')).toEqual(dispNulls)
    expect(await store.getCamera('nope')).toBeUndefined()
    expect(await store.getMember('nope')).toBeUndefined()
    expect(await store.getCase('nope')).toBeUndefined()
    expect(await store.getDispute('nope')).toBeUndefined()
    expect(await store.loadAll()).toEqual({
      cameras: [cam, camNulls],
      members: [mem, memNulls],
      cases: [kase, kaseNulls],
      disputes: [disp, dispNulls],
    })

    const units = [
      { code: '330402', name: '南湖区', level: 'district', parent: null, urban: true, areaKm2: 432.1234567 },
      { code: '330402001', name: '建设街道', level: 'street', parent: '330402', urban: false, areaKm2: 5.5 },
    ]
    await store.upsertUnits(units)
    await store.upsertUnits([{ ...units[1]!, name: '建设街道（新）', urban: true }])
    expect(await store.listUnits()).toEqual([units[0], { ...units[1], name: '建设街道（新）', urban: true }])
  })

  it('records a history row for status transitions only, in event-time order', async () => {
    const loc = await freshLocation(engine)
    const store = await open(loc)
    await store.write([cameraChange(camera('c1', { status: 'online', ts: T0 }), true)])
    await store.write([cameraChange(camera('c1', { status: 'online', lon: 120.8, ts: T0 + 1000 }), false)])
    await store.write([cameraChange(camera('c1', { status: 'offline', ts: T0 + 2000 }), true)])
    await store.write([cameraChange(camera('c1', { status: 'online', ts: T0 + 3000 }), true)])
    expect(await store.cameraEvents('c1')).toEqual([
      { status: 'online', ts: T0 },
      { status: 'offline', ts: T0 + 2000 },
      { status: 'online', ts: T0 + 3000 },
    ])
    expect(await store.getCamera('c1')).toEqual(camera('c1', { status: 'online', ts: T0 + 3000 }))

    await store.write([
      caseChange(caseRow('k1', { status: 'reported', ts: T0 })),
      caseChange(caseRow('k1', { status: 'reported', title: 'edited', ts: T0 + 5 }), false),
      caseChange(caseRow('k1', { status: 'dispatched', ts: T0 + 10 })),
      disputeChange(dispute('d1', { status: 'accepted', ts: T0 })),
      disputeChange(dispute('d1', { status: 'mediating', ts: T0 + 20 })),
    ])
    expect(await store.caseEvents('k1')).toEqual([
      { status: 'reported', ts: T0 },
      { status: 'dispatched', ts: T0 + 10 },
    ])
    expect(await store.disputeEvents('d1')).toEqual([
      { status: 'accepted', ts: T0 },
      { status: 'mediating', ts: T0 + 20 },
    ])
    expect(await store.cameraEvents('nope')).toEqual([])
    expect(await count(loc, 'camera_status_events')).toBe(3)
  })

  it('is idempotent: re-writing the same changes adds no rows and changes nothing', async () => {
    const loc = await freshLocation(engine)
    const store = await open(loc)
    const batch: StoredChange[] = [
      cameraChange(camera('c1', { status: 'fault' })),
      memberChange(member('m1')),
      caseChange(caseRow('k1')),
      disputeChange(dispute('d1')),
    ]
    await store.write(batch)
    const before = await store.loadAll()
    await store.write(batch)
    await store.write([...batch, ...batch]) // duplicates inside one transaction too
    await Promise.all([store.write(batch), store.write(batch)])
    expect(await store.loadAll()).toEqual(before)
    for (const table of ['camera_status_events', 'member_tracks', 'case_events', 'dispute_events']) {
      expect({ table, rows: await count(loc, table) }).toEqual({ table, rows: 1 })
    }
    expect(await store.memberTrack('m1', 0)).toEqual([{ ts: T0, lon: 120.75, lat: 30.75 }])
  })

  it('applies writes in call order: the later upsert of an id wins, within and across callers', async () => {
    const store = await open(await freshLocation(engine))
    await store.write([
      cameraChange(camera('c1', { status: 'online', ts: T0 })),
      cameraChange(camera('c1', { status: 'offline', ts: T0 + 1 })),
    ])
    expect((await store.getCamera('c1'))?.status).toBe('offline')
    // Same tick: one group, still call order.
    await Promise.all([
      store.write([memberChange(member('m1', { lon: 120.1, ts: T0 + 1 }))]),
      store.write([memberChange(member('m1', { lon: 120.2, ts: T0 + 2 }))]),
      store.write([memberChange(member('m1', { lon: 120.3, ts: T0 + 3 }))]),
    ])
    expect((await store.getMember('m1'))?.lon).toBe(120.3)
    expect((await store.memberTrack('m1', 0)).map((p) => p.lon)).toEqual([120.1, 120.2, 120.3])
  })

  it('group-commits 200 concurrent writes in far fewer transactions, acknowledging each after commit', async () => {
    const loc = await freshLocation(engine)
    const store = await open(loc)
    await store.write([memberChange(member('warmup'))])
    const commitsBefore = store.stats.commits
    const acked: number[] = []
    await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        store.write([memberChange(member(`m${i}`, { ts: T0 + i }))]).then(() => acked.push(i)),
      ),
    )
    const commits = store.stats.commits - commitsBefore
    expect(acked).toHaveLength(200)
    expect(commits).toBeGreaterThanOrEqual(1)
    expect(commits).toBeLessThanOrEqual(5)
    expect(await count(loc, 'members')).toBe(201)

    // Writes issued while a group is committing are batched into the next group.
    const waves = 20
    const before = store.stats.commits
    const pending: Promise<void>[] = []
    for (let w = 0; w < waves; w++) {
      for (let i = 0; i < 10; i++) pending.push(store.write([cameraChange(camera(`w${w}-${i}`))]))
      await new Promise((r) => setImmediate(r))
    }
    await Promise.all(pending)
    expect(store.stats.commits - before).toBeLessThanOrEqual(waves)
    expect(await count(loc, 'cameras')).toBe(200)
  })

  it('rejects every caller of a failing group and writes none of its rows', async () => {
    const loc = await freshLocation(engine)
    const store = await open(loc)
    await store.write([cameraChange(camera('existing', { status: 'online' }))])
    const bad = camera('bad', { kind: 'bogus' as 'public' })
    const results = await Promise.allSettled([
      store.write([cameraChange(camera('a')), cameraChange(camera('existing', { status: 'fault', ts: T0 + 1 }))]),
      store.write([cameraChange(bad)]),
      store.write([memberChange(member('m1')), caseChange(caseRow('k1'))]),
    ])
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected'])
    expect(store.stats.failedCommits).toBe(1)
    expect(await store.getCamera('a')).toBeUndefined()
    expect(await store.getMember('m1')).toBeUndefined()
    expect(await store.getCase('k1')).toBeUndefined()
    expect((await store.getCamera('existing'))?.status).toBe('online')
    expect(await count(loc, 'camera_status_events')).toBe(1)
    expect(await count(loc, 'member_tracks')).toBe(0)

    // A failure in a later statement of the transaction rolls back the earlier ones as well.
    await expect(store.write([cameraChange(camera('b')), caseChange(caseRow('k2', { priority: 9 }))])).rejects.toThrow()
    await expect(store.write([disputeChange(dispute('d1', { lat: 91 }))])).rejects.toThrow()
    await expect(store.write([memberChange(member('m2', { lon: Number.NaN }))])).rejects.toThrow()
    expect(await store.getCamera('b')).toBeUndefined()

    // The store stays usable.
    await store.write([cameraChange(camera('after'))])
    expect(await store.getCamera('after')).toEqual(camera('after'))
  })

  it('filters lists and pages them with an opaque keyset cursor', async () => {
    const store = await open(await freshLocation(engine))
    // ids in mixed case, punctuation and CJK: both engines must sort them the same (byte order)
    const ids = ['B', 'a', 'Z', '_x', '网格-1', 'é', 'c-10', 'c-2', 'c-1', '0', 'A b']
    for (let i = 0; i < 40; i++) ids.push(`cam-${String(i).padStart(3, '0')}`)
    const cams = ids.map((id, i) =>
      camera(id, { status: (['online', 'offline', 'fault'] as const)[i % 3]!, gridCode: i % 4 === 0 ? 'G2' : 'G1' }),
    )
    const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b))
    await store.write(cams.map((c) => cameraChange(c)))

    const all = await allPages((cursor) => store.listCameras({ limit: 7, cursor }))
    expect(all.map((p) => p.length)).toEqual([7, 7, 7, 7, 7, 7, 7, 2])
    expect(all.flat().map((c) => c.id)).toEqual([...ids].sort(byteOrder))

    const offlineG1 = await allPages((cursor) =>
      store.listCameras({ status: 'offline', gridCode: 'G1', limit: 4, cursor }),
    )
    expect(offlineG1.flat()).toEqual(
      cams.filter((c) => c.status === 'offline' && c.gridCode === 'G1').sort((a, b) => byteOrder(a.id, b.id)),
    )
    const exact = await store.listCameras({ status: 'fault', gridCode: 'G2', limit: 100 })
    expect(exact.nextCursor).toBeNull()
    expect(exact.items.every((c) => c.status === 'fault' && c.gridCode === 'G2')).toBe(true)
    expect(await store.listCameras({ status: 'online', gridCode: 'none', limit: 5 })).toEqual({
      items: [],
      nextCursor: null,
    })

    await expect(store.listCameras({ limit: 5, cursor: '!!not a cursor' })).rejects.toBeInstanceOf(StoreQueryError)
    await expect(store.listCameras({ limit: 0 })).rejects.toBeInstanceOf(StoreQueryError)
    await expect(store.listCameras({ limit: 1.5 })).rejects.toBeInstanceOf(StoreQueryError)

    await store.write(
      Array.from({ length: 30 }, (_, i) =>
        memberChange(member(`m${String(i).padStart(2, '0')}`, { onDuty: i % 3 !== 0, gridCode: `G${i % 2}` })),
      ),
    )
    const onDutyG0 = (await allPages((cursor) => store.listMembers({ onDuty: true, gridCode: 'G0', limit: 3, cursor })))
      .flat()
      .map((m) => m.id)
    expect(onDutyG0).toEqual(['m02', 'm04', 'm08', 'm10', 'm14', 'm16', 'm20', 'm22', 'm26', 'm28'])
    const offDuty = (await store.listMembers({ onDuty: false, limit: 100 })).items
    expect(offDuty).toHaveLength(10)
    expect(offDuty.every((m) => !m.onDuty)).toBe(true)

    const statuses = ['reported', 'dispatched', 'handling', 'resolved', 'closed']
    await store.write(
      Array.from({ length: 25 }, (_, i) =>
        caseChange(
          caseRow(`k${String(i).padStart(2, '0')}`, {
            status: statuses[i % 5]!,
            type: i % 2 ? 'traffic' : 'environment',
            gridCode: `G${i % 3}`,
          }),
        ),
      ),
    )
    const cases = (
      await allPages((cursor) => store.listCases({ status: 'handling', type: 'environment', limit: 1, cursor }))
    )
      .flat()
      .map((k) => k.id)
    expect(cases).toEqual(['k02', 'k12', 'k22'])
    expect((await store.listCases({ gridCode: 'G1', limit: 100 })).items).toHaveLength(8)

    const dstat = ['accepted', 'assigned', 'mediating', 'resolved', 'unresolved', 'escalated']
    await store.write(
      Array.from({ length: 12 }, (_, i) =>
        disputeChange(
          dispute(`d${String(i).padStart(2, '0')}`, {
            status: dstat[i % 6]!,
            category: i < 6 ? 'labour' : 'neighbour',
          }),
        ),
      ),
    )
    const labour = await store.listDisputes({ category: 'labour', limit: 4 })
    expect(labour.items.map((d) => d.id)).toEqual(['d00', 'd01', 'd02', 'd03'])
    const labour2 = await store.listDisputes({ category: 'labour', limit: 4, cursor: labour.nextCursor! })
    expect(labour2).toEqual({
      items: [
        dispute('d04', { status: 'unresolved', category: 'labour' }),
        dispute('d05', { status: 'escalated', category: 'labour' }),
      ],
      nextCursor: null,
    })
    expect(
      (await store.listDisputes({ status: 'escalated', gridCode: 'G01', limit: 10 })).items.map((d) => d.id),
    ).toEqual(['d05', 'd11'])
  })

  it('keeps member tracks and prunes the ones older than the retention', async () => {
    const loc = await freshLocation(engine)
    const store = await open(loc)
    for (let i = 0; i < 10; i++) {
      await store.write([
        memberChange(member('m1', { ts: T0 + i * 1000, lon: 120 + i / 100 })),
        memberChange(member('m2', { ts: T0 + i * 1000 + 500 })),
      ])
    }
    expect(await store.memberTrack('m1', T0 + 7000)).toEqual([
      { ts: T0 + 7000, lon: 120.07, lat: 30.75 },
      { ts: T0 + 8000, lon: 120.08, lat: 30.75 },
      { ts: T0 + 9000, lon: 120.09, lat: 30.75 },
    ])
    expect(await store.pruneTracks(T0 + 2000)).toBe(4) // m1: 0, 1 s; m2: 0.5, 1.5 s
    // in slices of 3 rows: 6 more, over several transactions
    expect(await store.pruneTracks(T0 + 5000, 3)).toBe(6)
    expect(await store.pruneTracks(T0 + 5000)).toBe(0)
    expect((await store.memberTrack('m1', 0)).map((p) => p.ts - T0)).toEqual([5000, 6000, 7000, 8000, 9000])
    expect(await count(loc, 'member_tracks')).toBe(10)
    // Pruning removes history only, never the member's current position.
    expect((await store.getMember('m1'))?.ts).toBe(T0 + 9000)
  })

  it('keeps everything across close and reopen; close() commits pending writes first', async () => {
    const loc = await freshLocation(engine)
    const store = await open(loc)
    const changes = mixedChanges(3000, 7)
    const lastCam = [...changes].reverse().find((c) => c.kind === 'camera')!
    await store.write(changes.slice(0, 1500))
    await store.upsertUnits([
      { code: '330402', name: '南湖区', level: 'district', parent: null, urban: true, areaKm2: 1 },
    ])
    const late = store.write(changes.slice(1500)) // not awaited before close
    await store.close()
    await late
    await expect(store.write([memberChange(member('x'))])).rejects.toThrow(/closed/)

    const snapshot = await reopenAndRead(loc)
    // Reopen again and read the same.
    expect(await reopenAndRead(loc)).toEqual(snapshot)
    const members = new Set(changes.filter((c) => c.kind === 'member').map((c) => c.row.id))
    expect(snapshot.all.members).toHaveLength(members.size)
    expect(snapshot.units).toHaveLength(1)
    expect(snapshot.tracks).toBe(changes.filter((c) => c.kind === 'member').length)
    expect(snapshot.all.cameras.find((c) => c.id === lastCam.row.id)).toEqual(lastCam.row)

    async function reopenAndRead(where: Location) {
      const s = await open(where)
      const out = {
        all: await s.loadAll(),
        units: await s.listUnits(),
        tracks: await count(where, 'member_tracks'),
        events: await s.cameraEvents(lastCam.row.id),
      }
      await s.close()
      return out
    }
  })

  it('runs compiled statements through the writer in one transaction, in order with group commits', async () => {
    const loc = await freshLocation(engine)
    const store = await open(loc)
    const q = queryBuilder<Database>(engine)
    const unit = (code: string, name: string) => ({ code, name, level: 'grid', parent: null, urban: 1, area_km2: 0.5 })
    const pending = store.write([cameraChange(camera('c1'))])
    const changed = await store.execute([
      q.insertInto('units').values(unit('G1', '一网格')).compile(),
      q.insertInto('units').values(unit('G2', '二网格')).compile(),
      q.updateTable('units').set({ name: '网格一' }).where('code', '=', 'G1').compile(),
    ])
    await pending
    expect(changed).toEqual([1, 1, 1])
    expect((await store.listUnits()).map((u) => u.name)).toEqual(['网格一', '二网格'])

    // A failing statement rolls back the ones before it and names the problem.
    await expect(
      store.execute([
        q.insertInto('units').values(unit('G3', '三')).compile(),
        q.insertInto('units').values(unit('G1', 'duplicate')).compile(),
      ]),
    ).rejects.toThrow(/unique|duplicate/i)
    expect((await store.listUnits()).map((u) => u.code)).toEqual(['G1', 'G2'])
    await store.write([cameraChange(camera('c2'))])
    expect(await store.getCamera('c2')).toEqual(camera('c2'))
  })

  it('writes a 10,000-change group in one transaction', async () => {
    const loc = await freshLocation(engine)
    const store = await open(loc)
    const changes = mixedChanges(10_000, 3)
    await store.write(changes)
    expect(store.stats.commits).toBe(1)
    expect(store.stats.changes).toBe(10_000)
    expect(await count(loc, 'member_tracks')).toBe(changes.filter((c) => c.kind === 'member').length)
  })
})

describe('both engines (and both SQLite writers) agree', () => {
  it('give identical state, history and pages for the same stream of changes', async () => {
    const results = []
    // SQLite with the writer thread (default), SQLite writing on the main thread, PostgreSQL.
    const variants: [Engine, Partial<OpenStoreOptions>][] = [
      ['sqlite', {}],
      ['sqlite', { sqliteWriter: 'main' }],
      ['postgres', {}],
    ]
    for (const [engine, options] of variants) {
      const loc = await freshLocation(engine)
      const store = await openStore({ ...loc, ...options })
      try {
        const changes = mixedChanges(4000, 42)
        // Several groups, some concurrent, with re-sent duplicates.
        await Promise.all([store.write(changes.slice(0, 1000)), store.write(changes.slice(1000, 2000))])
        await store.write(changes.slice(500, 2500))
        await store.write(changes.slice(2500))
        const firstCam = changes.find((c) => c.kind === 'camera')!.row.id
        const firstMember = changes.find((c) => c.kind === 'member')!.row.id
        const firstCase = changes.find((c) => c.kind === 'case')!.row.id
        results.push({
          all: await store.loadAll(),
          camPages: await allPages((cursor) => store.listCameras({ status: 'offline', limit: 50, cursor })),
          memberPages: await allPages((cursor) =>
            store.listMembers({ gridCode: 'G03', onDuty: true, limit: 9, cursor }),
          ),
          cases: await allPages((cursor) => store.listCases({ type: 'traffic', limit: 20, cursor })),
          disputes: await allPages((cursor) => store.listDisputes({ status: 'accepted', limit: 20, cursor })),
          camEvents: await store.cameraEvents(firstCam),
          caseEvents: await store.caseEvents(firstCase),
          track: await store.memberTrack(firstMember, T0 + 100),
        })
      } finally {
        await store.close()
      }
    }
    expect(results[0]!.all.cameras.length).toBeGreaterThan(1000)
    expect(results[1]).toEqual(results[0])
    expect(results[2]).toEqual(results[0])
  })
})
