/**
 * Runs the built-in simulator in-process when SIMULATOR=on. It is an ordinary ingest client: its
 * items take the same validation, commit and live path as any external source's. Each second it
 * steps the simulator core to the wall clock (× SIM_SPEED) and ingests the batches; a step never
 * overlaps the previous one (a slow commit delays the simulator, the next step catches up).
 */
import fp from 'fastify-plugin'
import { resolveRegionDir } from '@gridsight/geo-data'
import { loadSimPack } from '../../simulator/pack.ts'
import { chunks, INGEST_KINDS, scaleProfile, SimRunner } from '../../simulator/runner.ts'

const TICK_MS = 1000
/**
 * Items per ingest call. Each call's rows are inserted synchronously (better-sqlite3), so a second's
 * 4,000 city member reports in one call block the event loop for ~200 ms (up to ~800 ms measured);
 * in calls of 1,000 the live ticks run in between. The first step (registering every camera and
 * member: 120,000 items in the city) goes in calls of 10,000, or the boot would take too long.
 */
const MAX_ITEMS = 1_000
const MAX_ITEMS_FIRST = 10_000

export default fp(
  async (app) => {
    if (app.config.SIMULATOR !== 'on') return
    const pack = loadSimPack(app.config.REGION, resolveRegionDir(app.config.REGION, app.config.DATA_DIR))
    // The pre-rolled history (cameras, a backlog of cases and disputes) is for a first start only:
    // against a database that already holds them, a restart would pile a second backlog on top of
    // the first (and camera history older than the cameras' current status is stale).
    const resumed = app.entities.cases.size > 0 || app.entities.disputes.size > 0
    const runner = new SimRunner(pack, {
      seed: app.config.SIM_SEED,
      speed: app.config.SIM_SPEED,
      profile: {
        ...scaleProfile(app.config.SIM_SCALE, pack),
        ...(resumed ? { caseHistoryMs: 0, disputeHistoryMs: 0, cameraHistoryMs: 0 } : {}),
      },
    })
    const totals = { accepted: 0, rejected: 0 }

    let running: Promise<void> | null = null
    let first = true
    let historyDone = false
    const step = async () => {
      const batches = runner.tick()
      const size = first ? MAX_ITEMS_FIRST : MAX_ITEMS
      first = false
      for (const kind of INGEST_KINDS) {
        for (const items of chunks<unknown>(batches[kind], size)) {
          const { accepted, rejected } = await app.ingest.ingest(kind, items)
          totals.accepted += accepted
          totals.rejected += rejected.length
          // counted like the HTTP ingest route's items, so that /metrics shows the in-process load too
          app.metrics.ingestItems.inc({ kind, result: 'accepted' }, accepted)
          if (rejected.length > 0) app.metrics.ingestItems.inc({ kind, result: 'rejected' }, rejected.length)
          if (rejected.length > 0) {
            app.log.warn({ kind, rejected: rejected.length, first: rejected.slice(0, 3) }, 'simulator items rejected')
          }
        }
      }
      if (!historyDone && runner.sim.historyDone) {
        historyDone = true
        // the trends' online rate of the past hours and days, from the camera history just committed
        await app.kpiRestoreRateHistory()
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
        scale: app.config.SIM_SCALE,
      },
      'simulator on',
    )
  },
  { name: 'simulator', dependencies: ['config', 'ingest', 'metrics', 'kpi'] },
)
