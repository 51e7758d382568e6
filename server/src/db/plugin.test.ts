/** The 'db' fastify plugin: opens the store from the config, decorates app.store, closes it with the app. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Fastify from 'fastify'
import { afterAll, describe, expect, it } from 'vitest'
import configPlugin from '../plugins/app/config.ts'
import dbPlugin from '../plugins/external/db.ts'
import metricsPlugin from '../plugins/external/metrics.ts'
import { testConfig } from '../../test/helpers.ts'
import { camera, cameraChange } from './fixtures.ts'

const dir = mkdtempSync(join(tmpdir(), 'gridsight-plugin-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function build() {
  const app = Fastify({ logger: false })
  await app.register(configPlugin, { config: testConfig({ DATA_DIR: dir }) })
  await app.register(metricsPlugin)
  await app.register(dbPlugin, { pruneEveryMs: 0 })
  await app.ready()
  return app
}

describe('db plugin', () => {
  it('decorates app.store from DATA_DIR and closes it on app close; data survives a restart', async () => {
    const app = await build()
    expect(app.store.engine).toBe('sqlite')
    await app.store.write([cameraChange(camera('c1'))])
    const store = app.store
    await app.close()
    await expect(store.write([cameraChange(camera('c2'))])).rejects.toThrow(/closed/)

    const again = await build()
    expect(await again.store.getCamera('c1')).toEqual(camera('c1'))
    // Commits are timed for /metrics.
    await again.store.write([cameraChange(camera('c3'))])
    expect(await again.metrics.registry.getSingleMetricAsString('gridsight_db_commit_seconds')).toMatch(
      /gridsight_db_commit_seconds_count 1\b/,
    )
    await again.close()
  })

  it('needs the config plugin', async () => {
    const app = Fastify({ logger: false })
    const start = async () => {
      await app.register(dbPlugin)
      await app.ready()
    }
    await expect(start()).rejects.toThrow(/dependency 'config'/)
  })
})
