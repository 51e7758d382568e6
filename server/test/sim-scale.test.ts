/**
 * SIM_SCALE=city: the generated city (990100) as the region, generated into DATA_DIR at boot,
 * and the simulator's city profile (members every 5 s on duty).
 */
import { existsSync, mkdtempSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CITY_ADCODE, generateCity } from '@gridsight/geo-data'
import { buildApp, ConfigError, loadConfig } from '../src/app.ts'
import { citySimPack } from '../src/simulator/pack.ts'
import { scaleProfile, SimRunner } from '../src/simulator/runner.ts'
import { injectAs, testConfig, wallToken } from './helpers.ts'

const tempDir = () => mkdtempSync(join(tmpdir(), 'gridsight-city-'))

describe('SIM_SCALE in the configuration', () => {
  it('defaults to district, with the default region', () => {
    expect(loadConfig({ DATA_DIR: tempDir() })).toMatchObject({ SIM_SCALE: 'district', REGION: '330402' })
  })

  it('rejects other values with a one-line message naming it', () => {
    expect(() => loadConfig({ SIM_SCALE: 'country' })).toThrow(
      new ConfigError('SIM_SCALE must be one of district, city (got "country")'),
    )
  })

  it('city selects the generated city even before its pack exists', () => {
    const dataDir = tempDir()
    expect(loadConfig({ SIM_SCALE: 'city', DATA_DIR: dataDir })).toMatchObject({ SIM_SCALE: 'city', REGION: '990100' })
    expect(loadConfig({ SIM_SCALE: 'city', REGION: '990100', DATA_DIR: dataDir }).REGION).toBe('990100')
    expect(existsSync(join(dataDir, 'regions'))).toBe(false) // the config writes nothing
  })

  it('city with another REGION is a boot error naming both variables', () => {
    expect(() => loadConfig({ SIM_SCALE: 'city', REGION: '330402', DATA_DIR: tempDir() })).toThrow(
      new ConfigError(
        'SIM_SCALE=city runs the generated city (REGION 990100), but REGION is set to "330402": unset REGION or set SIM_SCALE=district',
      ),
    )
  })
})

describe('a server with SIM_SCALE=city', () => {
  it('generates the city pack into DATA_DIR once and serves its 10,000 grids', async () => {
    const dataDir = tempDir()
    const regionJson = join(dataDir, 'regions', CITY_ADCODE, 'region.json')
    const app = await buildApp(testConfig({ SIM_SCALE: 'city', DATA_DIR: dataDir }))
    let written: number
    try {
      expect(app.region.dir).toBe(join(dataDir, 'regions', CITY_ADCODE) + '/')
      written = statSync(regionJson).mtimeMs
      const token = await wallToken(app)
      const summary = (await injectAs(app, token)('/api/v1/region')).json()
      expect(summary.adcode).toBe('990100')
      expect(summary.counts).toEqual({ street: 20, community: 400, grid: 10_000 })
      expect(summary.dataNotes.en).toMatch(/entirely GENERATED/)
      expect(app.region.byLevel.grid).toHaveLength(10_000)
    } finally {
      await app.close()
    }
    // a second start uses the pack it finds
    const again = await buildApp(testConfig({ SIM_SCALE: 'city', DATA_DIR: dataDir }))
    try {
      expect(statSync(regionJson).mtimeMs).toBe(written)
      expect(again.region.meta.counts.camera).toBe(100_000)
    } finally {
      await again.close()
    }
  })
})

describe('the city simulator profile', () => {
  it('has on-duty members report every 5 s, and cases at the per-grid rate', () => {
    const city = generateCity({ side: 20, streets: [2, 2] })
    const pack = citySimPack(city)
    const profile = scaleProfile('city', pack)
    expect(profile.memberReportSeconds).toEqual([5, 0])
    expect(profile.casesPerDay).toBe(Math.round((200 * 400) / 605))
    expect(scaleProfile('district', pack)).toEqual({})
    // 10:00 CST on a weekday: full-time members are on duty
    const start = Date.parse('2026-04-02T10:00:00+08:00')
    const runner = new SimRunner(pack, { seed: 1, speed: 1, start, profile })
    runner.tick(start) // registrations
    const reports = new Map<string, number[]>()
    for (let s = 1; s <= 60; s++)
      for (const m of runner.tick(start + s * 1000).members)
        if (m.onDuty) reports.set(m.id, [...(reports.get(m.id) ?? []), Date.parse(m.ts)])
    expect(reports.size).toBeGreaterThan(0.4 * pack.members.length)
    for (const times of reports.values()) {
      for (let k = 1; k < times.length; k++) expect(times[k]! - times[k - 1]!).toBe(5000)
      expect(times.length).toBeGreaterThanOrEqual(11)
    }
  })
})
