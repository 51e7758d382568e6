/**
 * The region this server serves, from its region pack: metadata, the admin
 * units of every level, and the point→grid locator used on ingest. The units are
 * also written to the database so that SQL consumers can join on them.
 */
import fp from 'fastify-plugin'
import { UnitLocator } from '@gridsight/shared'
import {
  ensureCityPack,
  readAllUnits,
  readRegionMeta,
  resolveRegionDir,
  type RegionMeta,
  type UnitFeature,
  type UnitLevel,
} from '@gridsight/geo-data'

export interface Region {
  /** the pack's folder: DATA_DIR/regions/<adcode>/ when imported there, else the bundled one */
  dir: string
  meta: RegionMeta
  units: Map<string, UnitFeature>
  byLevel: Record<UnitLevel, UnitFeature[]>
  locator: UnitLocator
}

declare module 'fastify' {
  interface FastifyInstance {
    region: Region
  }
}

export default fp(
  async (app) => {
    const started = performance.now()
    if (app.config.SIM_SCALE === 'city') {
      // the generated city (config made REGION its adcode): written into DATA_DIR/regions once
      const city = ensureCityPack(app.config.DATA_DIR)
      if (city.generated) {
        app.log.info(
          { region: app.config.REGION, dir: city.dir, ms: Math.round(performance.now() - started) },
          'SIM_SCALE=city: generated the city region pack (entirely generated demo data)',
        )
      }
    }
    const dir = resolveRegionDir(app.config.REGION, app.config.DATA_DIR)
    const meta = readRegionMeta(app.config.REGION, dir)
    const all = readAllUnits(app.config.REGION, dir)
    const byLevel: Region['byLevel'] = { district: [], street: [], community: [], grid: [] }
    for (const u of all) byLevel[u.properties.level].push(u)
    const region: Region = {
      dir,
      meta,
      units: new Map(all.map((u) => [u.properties.code, u])),
      byLevel,
      locator: new UnitLocator(all),
    }
    app.decorate('region', region)
    await app.store.upsertUnits(all.map((u) => ({ ...u.properties })))
    app.log.info(
      {
        region: meta.adcode,
        units: all.length,
        grids: byLevel.grid.length,
        ms: Math.round(performance.now() - started),
      },
      'region pack loaded',
    )
  },
  { name: 'region', dependencies: ['config', 'db'] },
)
