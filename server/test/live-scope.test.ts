/**
 * Scopes: a screen subscribed to one street receives that street's entities
 * only; the region's screen receives everything. Grid codes come from the
 * point→grid index on ingest.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { bboxOf } from '@gridsight/shared'
import { startServer } from './helpers.ts'
import { followLive, until, type LiveClient } from './live-client.ts'

const KEY = 'test-key-0123456789abcdef'

/** A point strictly inside the given grid, found by scanning its bbox with the server's own locator. */
function pointIn(app: FastifyInstance, gridCode: string): [number, number] {
  const grid = app.region.units.get(gridCode)!
  const [w, s, e, n] = bboxOf(grid.geometry.coordinates)
  for (let i = 1; i < 20; i++) {
    for (let j = 1; j < 20; j++) {
      const lon = w + ((e - w) * i) / 20
      const lat = s + ((n - s) * j) / 20
      if (app.region.locator.locate(lon, lat) === gridCode) return [lon, lat]
    }
  }
  throw new Error(`no interior point found for ${gridCode}`)
}

describe('scoped live streams', () => {
  let app: FastifyInstance
  let url: string
  let token: string
  const clients: LiveClient[] = []

  beforeAll(async () => {
    ;({ app, url, token } = await startServer({ GRIDSIGHT_INGEST_KEY: KEY, TICK_MS: '50' }))
  })
  afterAll(async () => {
    for (const c of clients) c.close()
    await app.close()
  })

  it('assigns ingested entities to their grid and streams a street only its own', async () => {
    const [streetA, streetB] = app.region.byLevel.street.map((s) => s.properties.code)
    const gridA = app.region.byLevel.grid.find((g) => g.properties.code.startsWith(streetA!))!.properties.code
    const gridB = app.region.byLevel.grid.find((g) => g.properties.code.startsWith(streetB!))!.properties.code

    const all = followLive(url, token)
    const onlyA = followLive(url, token, { scope: streetA })
    const onlyGridA = followLive(url, token, { scope: gridA })
    clients.push(all, onlyA, onlyGridA)
    await until(() => [all, onlyA, onlyGridA].every((c) => c.snapshots.length === 1), 5000, 'snapshots')
    expect(onlyA.snapshots[0]!.scope).toBe(streetA)

    const ts = new Date().toISOString()
    const [lonA, latA] = pointIn(app, gridA)
    const [lonB, latB] = pointIn(app, gridB)
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/ingest/cases',
      headers: { authorization: `Bearer ${KEY}` },
      payload: {
        items: [
          { id: 'case-a', type: '治安', status: 'reported', lon: lonA, lat: latA, ts },
          { id: 'case-b', type: '消防', status: 'reported', lon: lonB, lat: latB, ts },
          { id: 'case-out', type: '治安', status: 'reported', lon: 121.5, lat: 31.2, ts },
        ],
      },
    })
    expect(res.json()).toEqual({ accepted: 3, rejected: [] })
    expect(app.entities.cases.get('case-a')!.gridCode).toBe(gridA)
    expect(app.entities.cases.get('case-b')!.gridCode).toBe(gridB)
    expect(app.entities.cases.get('case-out')!.gridCode).toBeNull()

    await until(() => all.mirror.tables.cases.count === 3, 5000, 'region screen to get 3 cases')
    await until(() => onlyA.mirror.tables.cases.count === 1, 5000, 'street screen to get its case')
    await until(() => onlyGridA.mirror.tables.cases.count === 1, 5000, 'grid screen to get its case')
    // One more tick for anything that should not have arrived.
    await new Promise((r) => setTimeout(r, 150))
    expect(onlyA.mirror.tables.cases.ids).toEqual(['case-a'])
    expect(onlyGridA.mirror.tables.cases.ids).toEqual(['case-a'])
    expect(all.mirror.statusOf('cases', 'case-b')).toBe('reported')
  })

  it('refuses a scope that is not a unit of the region', async () => {
    const c = followLive(url, token, { scope: '330402999' })
    clients.push(c)
    const err = await new Promise<Error>((resolve) => c.socket.once('connect_error', resolve))
    expect(err.message).toBe('scope must be a unit code within region 330402 (got "330402999")')
  })
})
