/**
 * Runs the built-in simulator in-process when SIMULATOR=on. It is an ordinary ingest client: its
 * items take the same validation, commit and live path as any external source's. Each second it
 * steps the simulator core to the wall clock (× SIM_SPEED) and ingests the batches; a step never
 * overlaps the previous one (a slow commit delays the simulator, the next step catches up).
 */
import fp from 'fastify-plugin'
import { resolveRegionDir } from '@gridsight/geo-data'
import { loadSimPack } from '../../simulator/pack.ts'
import { chunks, INGEST_KINDS, SimRunner } from '../../simulator/runner.ts'

const TICK_MS = 1000
const MAX_ITEMS = 10_000

export default fp(
  async (app) => {
    if (app.config.SIMULATOR !== 'on') return
    const pack = loadSimPack(app.config.REGION, resolveRegionDir(app.config.REGION, app.config.DATA_DIR))
    const runner = new SimRunner(pack, { seed: app.config.SIM_SEED, speed: app.config.SIM_SPEED })
    const totals = { accepted: 0, rejected: 0 }

    let running: Promise<void> | null = null
    const step = async () => {
      const batches = runner.tick()
      for (const kind of INGEST_KINDS) {
        for (const items of chunks<unknown>(batches[kind], MAX_ITEMS)) {
          const { accepted, rejected } = await app.ingest.ingest(kind, items)
          totals.accepted += accepted
          totals.rejected += rejected.length
          if (rejected.length > 0) {
            app.log.warn({ kind, rejected: rejected.length, first: rejected.slice(0, 3) }, 'simulator items rejected')
          }
        }
      }
    }
    const tick = () => {
      if (running) return running
      running = step()
        .catch((err: unknown) => app.log.error({ err }, 'simulator step failed'))
        .finally(() => (running = null))
      return running
    }

    await tick()
    const timer = setInterval(() => void tick(), TICK_MS)
    app.addHook('onClose', async () => {
      clearInterval(timer)
      await running
      app.log.info(totals, 'simulator stopped')
    })
    app.log.info(
      {
        cameras: pack.cameras.length,
        members: pack.members.length,
        seed: app.config.SIM_SEED,
        speed: app.config.SIM_SPEED,
      },
      'simulator on',
    )
  },
  { name: 'simulator', dependencies: ['config', 'ingest'] },
)
