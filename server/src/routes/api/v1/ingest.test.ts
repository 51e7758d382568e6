import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { gcj02ToWgs84 } from '@gridsight/shared'
import { buildApp } from '../../../app.ts'
import { testConfig, wallToken } from '../../../../test/helpers.ts'

const KEY = 'test-key-0123456789abcdef'
const auth = { authorization: `Bearer ${KEY}` }
const iso = (ms: number) => new Date(ms).toISOString()
const NOW = Date.now()

describe('POST /api/v1/ingest/*', () => {
  let app: FastifyInstance
  let config: ReturnType<typeof testConfig>

  beforeAll(async () => {
    config = testConfig({ GRIDSIGHT_INGEST_KEY: KEY })
    app = await buildApp(config)
  })
  afterAll(() => app.close())

  const post = (kind: string, body: unknown, headers: Record<string, string> = auth) =>
    app.inject({ method: 'POST', url: `/api/v1/ingest/${kind}`, headers, payload: body as object })

  describe('whole-request errors', () => {
    it('401 without the key or with a wrong one, naming the header', async () => {
      for (const headers of [{}, { authorization: KEY }] as Record<string, string>[]) {
        const res = await post('cameras', { items: [] }, headers)
        expect(res.statusCode).toBe(401)
        expect(res.headers['www-authenticate']).toBe('Bearer')
        expect(res.json()).toEqual({
          error: 'Unauthorized',
          message: 'send a token as "Authorization: Bearer <token>"',
        })
      }
      for (const token of ['nope', 'gsi_not-a-key-we-issued']) {
        const res = await post('cameras', { items: [] }, { authorization: `Bearer ${token}` })
        expect(res.statusCode).toBe(401)
        expect(res.json().error).toBe('Unauthorized')
      }
    })

    it('403 for a credential that may read but not send (a wall display token)', async () => {
      const res = await post('cameras', { items: [] }, { authorization: `Bearer ${await wallToken(app)}` })
      expect(res.statusCode).toBe(403)
      expect(res.json().message).toBe('this needs one of the roles ingest; you are display')
    })

    it('400 when the body is not JSON', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/ingest/cameras',
        headers: { ...auth, 'content-type': 'application/json' },
        payload: '{"items": [',
      })
      expect(res.statusCode).toBe(400)
      expect(res.json().error).toBe('Bad Request')
      expect(res.json().message).toMatch(/^body is not valid JSON: /)
    })

    it('400 naming items when it is missing or empty', async () => {
      const missing = await post('cameras', { things: [] })
      expect(missing.statusCode).toBe(400)
      expect(missing.json().message).toMatch(/items/)
      const empty = await post('cameras', { items: [] })
      expect(empty.statusCode).toBe(400)
      expect(empty.json().message).toMatch(/items/)
    })

    it('415 for a body that is not JSON by content type', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/ingest/cameras',
        headers: { ...auth, 'content-type': 'text/csv' },
        payload: 'id,status\nc1,online',
      })
      expect(res.statusCode).toBe(415)
      expect(res.json()).toMatchObject({ error: 'Unsupported Media Type' })
    })

    it('413 over the body limit', async () => {
      const big = { items: [{ id: 'c', status: 'online', ts: iso(NOW), name: 'x'.repeat(9 * 1024 * 1024) }] }
      const res = await post('cameras', big)
      expect(res.statusCode).toBe(413)
      expect(res.json()).toMatchObject({ error: 'Payload Too Large' })
    })

    it('400 for __proto__ keys, and nothing is polluted', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/ingest/cameras',
        headers: { ...auth, 'content-type': 'application/json' },
        payload: `{"items":[{"id":"p1","status":"online","ts":"${iso(NOW)}","lon":120.7,"lat":30.7,"__proto__":{"polluted":true}}]}`,
      })
      expect(res.statusCode).toBe(400)
      expect(res.json().message).toBe('body is not valid JSON: Object contains forbidden prototype property')
      expect(({} as Record<string, unknown>).polluted).toBeUndefined()
      expect(app.entities.cameras.has('p1')).toBe(false)
    })
  })

  describe('items', () => {
    it('keeps the valid items of a mixed batch and names what is wrong with the others', async () => {
      const res = await post('cameras', {
        items: [
          { id: 'cam-1', status: 'online', ts: iso(NOW - 1000), lon: 120.78, lat: 30.75, kind: 'social' },
          { id: 'cam-2', status: 'up', ts: iso(NOW), lon: 120.78, lat: 30.75 },
          { id: 'cam-3', status: 'offline', ts: iso(NOW), lon: 200, lat: 30.75 },
          'not an object',
          { id: 'cam-4', status: 'fault', ts: iso(NOW) },
          { id: 'cam-5', status: 'fault', ts: iso(NOW), lon: 120.8, lat: 30.76 },
        ],
      })
      expect(res.statusCode).toBe(200)
      expect(res.json()).toEqual({
        accepted: 2,
        rejected: [
          { index: 1, id: 'cam-2', errors: ['status must be one of online, offline, fault (got "up")'] },
          { index: 2, id: 'cam-3', errors: ['lon must be a number from -180 to 180 (got 200)'] },
          { index: 3, id: null, errors: ['item must be an object'] },
          {
            index: 4,
            id: 'cam-4',
            errors: ['camera cam-4 is not registered yet: send lon and lat with its first item'],
          },
        ],
      })
      expect(app.entities.cameras.get('cam-1')).toMatchObject({ status: 'online', kind: 'social', lon: 120.78 })
      expect(app.entities.cameras.get('cam-5')).toMatchObject({ status: 'fault', kind: 'public' })
    })

    it('rejects timestamps from the future and from long ago', async () => {
      const res = await post('members', {
        items: [
          { id: 'm-f', lon: 120.78, lat: 30.75, ts: iso(NOW + 3_600_000) },
          { id: 'm-a', lon: 120.78, lat: 30.75, ts: '2001-01-01T00:00:00+08:00' },
          { id: 'm-x', lon: 120.78, lat: 30.75, ts: '2026-02-31T00:00:00+08:00' },
        ],
      })
      const { accepted, rejected } = res.json()
      expect(accepted).toBe(0)
      expect(rejected[0].errors[0]).toMatch(/^ts is 60 minutes in the future/)
      expect(rejected[1].errors[0]).toMatch(/^ts is older than 365 days/)
      expect(rejected[2].errors).toEqual(['ts is not a real date-time (got "2026-02-31T00:00:00+08:00")'])
    })

    it('orders by event time: an older update is ignored, a re-send is idempotent', async () => {
      const first = { id: 'case-1', type: '治安', status: 'dispatched', lon: 120.78, lat: 30.75, ts: iso(NOW - 5000) }
      const older = { ...first, status: 'reported', ts: iso(NOW - 9000) }
      expect((await post('cases', { items: [first] })).json()).toEqual({ accepted: 1, rejected: [] })
      expect((await post('cases', { items: [older, first] })).json()).toEqual({ accepted: 2, rejected: [] })
      expect(app.entities.cases.get('case-1')).toMatchObject({ status: 'dispatched', ts: NOW - 5000 })
      expect(await app.store.caseEvents('case-1')).toEqual([{ status: 'dispatched', ts: NOW - 5000 }])

      const later = { ...first, status: 'handling', ts: iso(NOW - 1000) }
      await post('cases', { items: [later] })
      expect(app.entities.cases.get('case-1')).toMatchObject({ status: 'handling', reportedAt: NOW - 5000 })
      expect((await app.store.caseEvents('case-1')).map((e) => e.status)).toEqual(['dispatched', 'handling'])
    })

    it('converts GCJ-02 and BD-09 positions to WGS-84', async () => {
      await post('disputes', {
        items: [
          {
            id: 'd-1',
            category: '邻里纠纷',
            status: 'accepted',
            lon: 120.7846,
            lat: 30.7457,
            ts: iso(NOW),
            crs: 'gcj02',
          },
        ],
      })
      const [lon, lat] = gcj02ToWgs84(120.7846, 30.7457)
      expect(app.entities.disputes.get('d-1')).toMatchObject({ lon, lat })
      expect(Math.abs(lon - 120.7846)).toBeGreaterThan(0.003)
    })

    it('answers only after the items are committed: a fresh app on the same data sees them', async () => {
      await post('members', { items: [{ id: 'm-keep', lon: 120.77, lat: 30.74, ts: iso(NOW), role: 'police' }] })
      const again = await buildApp(config)
      try {
        expect(again.entities.members.get('m-keep')).toMatchObject({ role: 'police', lon: 120.77 })
        expect(again.entities.cases.get('case-1')).toMatchObject({ status: 'handling' })
        expect(again.live.root.tables.members.position('m-keep')).toEqual([120.77, 30.74])
      } finally {
        await again.close()
      }
    })
  })

  describe('per-source ingest keys', () => {
    it('a street key sends within its street only; items elsewhere are rejected, naming the unit', async () => {
      const inA = { lon: 120.763, lat: 30.749 }
      const street = app.region.locator.locate(inA.lon, inA.lat)!.slice(0, 9)
      const { key, secret } = await app.auth.addIngestKey(
        { name: 'street-app', source: 'app', jurisdiction: street },
        config.REGION,
        { actor: 'test' },
      )
      // a point of the region in another street
      let elsewhere = inA
      for (
        let k = 1;
        k < 400 && app.region.locator.locate(elsewhere.lon, elsewhere.lat)?.startsWith(street) !== false;
        k++
      )
        elsewhere = { lon: inA.lon + (k % 20) * 0.005, lat: inA.lat + Math.floor(k / 20) * 0.005 }
      expect(app.region.locator.locate(elsewhere.lon, elsewhere.lat)!.startsWith(street)).toBe(false)
      const res = await post(
        'cases',
        {
          items: [
            { id: 'sk-in', type: '治安', status: 'reported', ts: iso(NOW), ...inA },
            { id: 'sk-out', type: '治安', status: 'reported', ts: iso(NOW), ...elsewhere },
          ],
        },
        { authorization: `Bearer ${secret}` },
      )
      expect(res.statusCode).toBe(200)
      expect(res.json().accepted).toBe(1)
      expect(res.json().rejected).toEqual([
        { index: 1, id: 'sk-out', errors: [expect.stringContaining(`within unit ${street} only`)] },
      ])
      // nor may it move an entity of its street out of it
      const moved = await post(
        'cases',
        { items: [{ id: 'sk-in', type: '治安', status: 'dispatched', ts: iso(NOW + 1), ...elsewhere }] },
        { authorization: `Bearer ${secret}` },
      )
      expect(moved.json().accepted).toBe(0)
      expect(app.entities.cases.get('sk-in')).toMatchObject({ status: 'reported' })

      await app.auth.revokeIngestKey(key.id, config.REGION, { actor: 'test' })
      const revoked = await post('cases', { items: [] }, { authorization: `Bearer ${secret}` })
      expect(revoked.statusCode).toBe(401)
    })

    it('429 beyond INGEST_RATE_LIMIT requests a minute from one key, while another key goes on', async () => {
      const limited = await buildApp(testConfig({ GRIDSIGHT_INGEST_KEY: KEY, INGEST_RATE_LIMIT: '3' }))
      try {
        const { secret } = await limited.auth.addIngestKey(
          { name: 'other', source: 'hotline', jurisdiction: limited.config.REGION },
          limited.config.REGION,
          { actor: 'test' },
        )
        const send = (token: string) =>
          limited.inject({
            method: 'POST',
            url: '/api/v1/ingest/members',
            headers: { authorization: `Bearer ${token}` },
            payload: { items: [{ id: 'rl', lon: 120.76, lat: 30.75, ts: iso(Date.now()) }] },
          })
        const codes = []
        for (let i = 0; i < 4; i++) codes.push((await send(KEY)).statusCode)
        expect(codes).toEqual([200, 200, 200, 429])
        expect((await send(secret)).statusCode).toBe(200)
      } finally {
        await limited.close()
      }
    })
  })
})
