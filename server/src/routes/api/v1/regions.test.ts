import { afterAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../../app.ts'
import { injectAs, testConfig, wallToken } from '../../../../test/helpers.ts'

describe('region routes', async () => {
  const app = await buildApp(testConfig())
  const token = await wallToken(app)
  afterAll(() => app.close())

  it('describes the served region with a bbox around 南湖 and says what data is generated', async () => {
    const res = await injectAs(app, token)('/api/v1/region')
    expect(res.statusCode).toBe(200)
    const { adcode, name, bbox, counts, densityStandards, dataNotes } = res.json()
    expect(adcode).toBe('330402')
    expect(name).toBe('南湖区')
    expect(counts).toEqual({ street: 13, community: 143, grid: 605 })
    expect(densityStandards).toEqual({ urbanPerKm2: 70, ruralPerKm2: 8 })
    expect(dataNotes.en).toMatch(/GENERATED/)
    expect(dataNotes.zh).toMatch(/生成/)
    const [w, s, e, n] = bbox
    expect(w).toBeLessThan(120.78)
    expect(e).toBeGreaterThan(120.78)
    expect(s).toBeLessThan(30.75)
    expect(n).toBeGreaterThan(30.75)
  })

  it('serves the district outline as GeoJSON', async () => {
    const res = await injectAs(app, token)('/api/v1/regions/330402/units?level=district')
    expect(res.statusCode).toBe(200)
    const fc = res.json()
    expect(fc.type).toBe('FeatureCollection')
    expect(fc.features).toHaveLength(1)
    expect(fc.features[0].properties).toMatchObject({ code: '330402', name: '南湖区', level: 'district' })
  })

  it.each([
    ['street', 13, 9],
    ['community', 143, 12],
    ['grid', 605, 15],
  ])('serves the %s level: %i units with %i-digit codes and their parents', async (level, count, digits) => {
    const res = await injectAs(app, token)(`/api/v1/regions/330402/units?level=${level}`)
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/^application\/geo\+json/)
    const fc = res.json()
    expect(fc.features).toHaveLength(count)
    for (const f of fc.features) {
      expect(f.properties.level).toBe(level)
      expect(f.properties.code).toHaveLength(digits)
      expect(f.properties.code.startsWith(f.properties.parent)).toBe(true)
      expect(f.properties.areaKm2).toBeGreaterThan(0)
    }
  })

  it('names a wrong level', async () => {
    const res = await injectAs(app, token)('/api/v1/regions/330402/units?level=village')
    expect(res.statusCode).toBe(400)
    expect(res.json().message).toMatch(/level/)
  })

  it('answers another region with a 404 naming both codes', async () => {
    const res = await injectAs(app, token)('/api/v1/regions/110101/units')
    expect(res.statusCode).toBe(404)
    expect(res.json().message).toBe('region 110101 is not served here (this server serves 330402)')
  })

  it('rejects a malformed adcode with a 400 naming the parameter', async () => {
    const res = await injectAs(app, token)('/api/v1/regions/abc/units')
    expect(res.statusCode).toBe(400)
    expect(res.json().message).toMatch(/adcode/)
  })
})
