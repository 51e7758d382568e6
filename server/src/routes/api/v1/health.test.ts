import { afterAll, describe, expect, it } from 'vitest'
import { Value } from 'typebox/value'
import { HealthResponse } from '@gridsight/shared'
import { buildApp } from '../../../app.ts'
import { testConfig } from '../../../../test/helpers.ts'
import pkg from '../../../../package.json' with { type: 'json' }

describe('GET /api/v1/health', async () => {
  const app = await buildApp(testConfig())
  afterAll(() => app.close())

  it('answers 200 with status, version and uptime', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/health' })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/^application\/json/)
    const body = res.json()
    expect(Value.Check(HealthResponse, body)).toBe(true)
    expect(body.status).toBe('ok')
    expect(body.version).toBe(pkg.version)
    expect(body.uptimeS).toBeGreaterThan(0)
  })

  it('answers a missing asset with a 404, not with the app page', async () => {
    const res = await app.inject({ method: 'GET', url: '/assets/index-0000.js' })
    expect(res.statusCode).toBe(404)
    expect(res.headers['content-type']).toMatch(/^application\/json/)
  })

  it('answers unknown API paths with a JSON 404 that names the path', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/nope' })
    expect(res.statusCode).toBe(404)
    expect(res.json()).toEqual({ error: 'Not Found', message: 'no route for GET /api/v1/nope' })
  })
})
