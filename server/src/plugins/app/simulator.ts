/**
 * Runs the built-in simulator in-process when SIMULATOR=on. It is an ordinary
 * ingest client: its items take the same validation, commit and live path as
 * any external source's.
 */
import fp from 'fastify-plugin'
import type { MemberItem, Position } from '@gridsight/shared'
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

    let busy = false
    const step = async (dtS: number) => {
      // A slow commit delays the simulator rather than queueing steps behind it.
      if (busy) return
      busy = true
      const ts = new Date().toISOString()
      const items: MemberItem[] = []
      sim.step(dtS, (id, lon, lat) => items.push({ id, lon, lat, ts, role: 'full_time', onDuty: true }))
      try {
        const { rejected } = await app.ingest.ingest('members', items)
        if (rejected.length > 0) app.log.warn({ rejected: rejected.slice(0, 3) }, 'simulator items rejected')
      } catch (err) {
        app.log.error({ err }, 'simulator step failed')
      } finally {
        busy = false
      }
    }
    await step(0)
    const timer = setInterval(() => void step(STEP_MS / 1000), STEP_MS)
    app.addHook('onClose', async () => clearInterval(timer))
    app.log.info({ members: MEMBERS }, 'simulator on')
  },
  { name: 'simulator', dependencies: ['config', 'ingest'] },
)
