/** Runs the built-in simulator in-process when SIMULATOR=on. */
import fp from 'fastify-plugin'
import type { Position } from '@gridsight/shared'
import { readRegionLayer } from '@gridsight/geo-data'
import { PatrolSimulator } from '../../simulator/patrol-simulator.ts'

const MEMBERS = 300
const STEP_MS = 1000

export default fp(
  async (app) => {
    if (app.config.SIMULATOR !== 'on') return
    const district = readRegionLayer(app.config.REGION, 'district').features[0]
    if (!district) throw new Error(`region ${app.config.REGION} has no district feature`)
    const g = district.geometry
    const polygons = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as Position[][][]
    const sim = new PatrolSimulator(polygons, MEMBERS, app.config.SIM_SEED)
    const report = (id: string, lon: number, lat: number) => app.live.members.upsert(id, lon, lat)
    sim.step(0, report)
    const timer = setInterval(() => sim.step(STEP_MS / 1000, report), STEP_MS)
    app.addHook('onClose', async () => clearInterval(timer))
    app.log.info({ members: MEMBERS }, 'simulator on')
  },
  { name: 'simulator', dependencies: ['config', 'live'] },
)
