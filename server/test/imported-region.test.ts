/**
 * A user's own grids: `gridsight import` writes a pack into DATA_DIR/regions/,
 * and a server started with that REGION serves it (units, grid assignment).
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { buildApp } from '../src/app.ts'
import { injectAs, testConfig, wallToken } from './helpers.ts'

const CLI = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url))
const FIXTURE = fileURLToPath(new URL('../../geo-data/fixtures/import/town.geojson', import.meta.url))

describe('a region imported into DATA_DIR', () => {
  it('is served by a server started with its adcode', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gridsight-import-'))
    execFileSync(process.execPath, [CLI, 'import', FIXTURE, '--region', '990001'], {
      env: { ...process.env, DATA_DIR: dataDir, INIT_CWD: dataDir },
      stdio: 'pipe',
    })
    const app = await buildApp(testConfig({ REGION: '990001', DATA_DIR: dataDir }))
    try {
      const token = await wallToken(app)
      expect(app.region.dir).toBe(join(dataDir, 'regions', '990001') + '/')
      const grids = (await injectAs(app, token)('/api/v1/regions/990001/units?level=grid')).json()
      expect(grids.features.length).toBeGreaterThan(0)
      const summary = (await injectAs(app, token)('/api/v1/region')).json()
      expect(summary.adcode).toBe('990001')
      expect(summary.counts.grid).toBe(grids.features.length)
      // Grid assignment uses the imported grids.
      const g = grids.features[0].properties.code
      expect(app.region.units.get(g)?.properties.level).toBe('grid')
      const context = (await injectAs(app, token)('/api/v1/regions/990001/context')).json()
      expect(context.type).toBe('FeatureCollection')
    } finally {
      await app.close()
    }
  })

  it('refuses to start on an adcode with no pack anywhere, naming both places', () => {
    expect(() => testConfig({ REGION: '990002' })).toThrow(
      'REGION must name a region pack in geo-data/regions or DATA_DIR/regions (got "990002")',
    )
  })
})
