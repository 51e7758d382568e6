/**
 * Runs the built-in simulator in-process when SIMULATOR=on. It is an ordinary ingest client: its
 * items take the same validation, commit and live path as any external source's. Each second it
 * steps the simulator core to the wall clock (× SIM_SPEED) and ingests the batches; a step never
 * overlaps the previous one (a slow commit delays the simulator, the next step catches up).
 *
 * The pre-rolled history (30 days of cameras, a backlog of cases and disputes) is for a first
 * start only: against a database that already holds a run, a restart would pile a second backlog
 * on top of the first. How far it got is kept in the database (simulator/progress.ts): a restart
 * before it was all sent — the city's takes a minute or more — sends the rest of the same history,
 * then goes on live from its own start. A live run that follows an earlier one (or its resumed
 * history) moves on the cases and disputes that run left open (Simulator's `adopt`).
 */
import fp from 'fastify-plugin'
import { resolveRegionDir } from '@gridsight/geo-data'
import type { IngestKind } from '@gridsight/shared'
import { loadSimPack } from '../../simulator/pack.ts'
import { newRecord, PrerollProgress, SimulatorStateStore } from '../../simulator/progress.ts'
import { chunks, INGEST_KINDS, scaleProfile, SimRunner } from '../../simulator/runner.ts'
import { SIM_CASE_ID, SIM_DISPUTE_ID } from '../../simulator/simulator.ts'

/**
 * Items per ingest call. Each call's rows are inserted synchronously (better-sqlite3), so a second's
 * 4,000 city member reports in one call block the event loop for ~200 ms (up to ~800 ms measured);
 * in calls of 1,000 the live ticks run in between. The first step (registering every member and the
 * district's whole history: ~68,000 items) goes in calls of 10,000, or the boot would take too long.
 */
const MAX_ITEMS = 1_000
const MAX_ITEMS_FIRST = 10_000

export interface SimulatorPluginOptions {
  /** step interval (default 1,000 ms; tests step faster) */
  tickMs?: number
  /** history items per step (default HISTORY_ITEMS_PER_TICK; tests cut a history into more steps) */
  historyItemsPerTick?: number
}

export default fp<SimulatorPluginOptions>(
  async (app, opts) => {
    if (app.config.SIMULATOR !== 'on') return
    const { SIM_SEED: seed, SIM_SPEED: speed, SIM_SCALE: scale, REGION: region } = app.config
    const pack = loadSimPack(region, resolveRegionDir(region, app.config.DATA_DIR))
    const profile = {
      ...scaleProfile(scale, pack),
      ...(opts.historyItemsPerTick !== undefined ? { historyItemsPerStep: opts.historyItemsPerTick } : {}),
    }
    // A live run after an earlier one (or its history) takes over the cases and disputes it left
    // open: without it they would sit open for ever, and all turn overdue.
    const liveRunner = async () => {
      const cases = [...app.entities.cases.values()].filter((c) => c.status !== 'closed' && SIM_CASE_ID.test(c.id))
      const disputes = [...app.entities.disputes.values()].filter(
        (d) => d.status !== 'resolved' && d.status !== 'unresolved' && SIM_DISPUTE_ID.test(d.id),
      )
      if (cases.length + disputes.length > 0) {
        app.log.info(
          { cases: cases.length, disputes: disputes.length },
          'simulator: moving on the cases and disputes an earlier run left open',
        )
      }
      // one back in mediation after an escalation shows only "mediating": its history tells, or the
      // run would escalate it a second time
      const escalated = new Set(await app.store.escalatedDisputes(disputes.map((d) => d.id)))
      const adopted = disputes.map((d) => (escalated.has(d.id) ? { ...d, escalated: true } : d))
      return new SimRunner(pack, {
        seed,
        speed,
        profile: {
          ...profile,
          caseHistoryMs: 0,
          disputeHistoryMs: 0,
          cameraHistoryMs: 0,
          adopt: { cases, disputes: adopted },
        },
      })
    }

    const state = new SimulatorStateStore(app.store.engine, app.store)
    const found = await SimulatorStateStore.load({ dataDir: app.config.DATA_DIR, databaseUrl: app.config.DATABASE_URL })
    const hasData = app.entities.cases.size > 0 || app.entities.disputes.size > 0
    const sameRun = found !== null && found.seed === seed && found.region === region && found.scale === scale
    let runner: SimRunner
    /** the history being sent (null once it is, or without one) */
    let progress: PrerollProgress | null = null
    /** resuming: the history runner ends at the first start's instant; the live run starts anew */
    let resuming = false
    if (found === null && !hasData) {
      // a first start: the history, then the live run from where it ends
      runner = new SimRunner(pack, { seed, speed, profile })
      progress = new PrerollProgress(newRecord({ seed, region, scale, start: runner.start }))
      await state.save(progress.record)
    } else if (found !== null && !found.done && sameRun) {
      runner = new SimRunner(pack, { seed, speed, start: found.start, profile })
      progress = new PrerollProgress(found)
      resuming = true
      app.log.info(
        { historyEnd: new Date(found.start).toISOString(), sent: found.sent },
        'simulator: sending the rest of the pre-rolled history that the last run left unfinished',
      )
    } else {
      if (found !== null && !found.done) {
        app.log.warn(
          { recorded: { seed: found.seed, region: found.region, scale: found.scale }, now: { seed, region, scale } },
          'simulator: a pre-rolled history of another seed, region or scale was left unfinished; not resumed',
        )
      }
      runner = await liveRunner()
    }
    const totals = { accepted: 0, rejected: 0 }

    const historySent = async (p: PrerollProgress) => {
      progress = null
      p.record.done = true
      await state.save(p.record)
      if (resuming) runner = await liveRunner()
      // the trends' online rate of the past hours and days, from the camera history now committed
      await app.kpiRestoreRateHistory()
      // the history came after the start's compaction: items it sent open and then finished, already
      // past the live retention, leave the streams now rather than at the next daily run
      app.compactLive()
      app.log.info({ sent: p.record.sent }, 'simulator: pre-rolled history sent')
    }

    let running: Promise<void> | null = null
    let closing = false
    let first = true
    const step = async () => {
      const history = progress
      let batches = runner.tick()
      // every item of a tick is history or none is (SimRunner.tick); what an earlier run sent is skipped
      let pending: Record<IngestKind, readonly unknown[]> = batches
      if (history) {
        try {
          for (;;) {
            const b = batches
            pending = Object.fromEntries(
              INGEST_KINDS.map((k) => [k, history.pending<unknown>(k, b[k])]),
            ) as typeof pending
            // all of this tick sent before: the next one at once (a resumed city history skips ~1M items)
            if (!history.skipping || runner.historyDone || INGEST_KINDS.some((k) => pending[k].length > 0)) break
            await new Promise((r) => setImmediate(r))
            if (closing) return
            batches = runner.tick()
          }
        } catch (err) {
          app.log.warn({ err }, 'simulator: the pre-rolled history is not resumed')
          history.record.done = true
          await state.save(history.record)
          progress = null
          runner = await liveRunner()
          return
        }
      }
      const size = first ? MAX_ITEMS_FIRST : MAX_ITEMS
      first = false
      let saved: Promise<void> | null = null
      for (const kind of INGEST_KINDS) {
        for (const items of chunks<unknown>(pending[kind], size)) {
          // closing: the history's progress counts what is committed; the rest is sent next time
          if (closing && history) break
          const { accepted, rejected } = await app.ingest.ingest(kind, items)
          totals.accepted += accepted
          totals.rejected += rejected.length
          // counted like the HTTP ingest route's items, so that /metrics shows the in-process load too
          app.metrics.ingestItems.inc({ kind, result: 'accepted' }, accepted)
          if (rejected.length > 0) app.metrics.ingestItems.inc({ kind, result: 'rejected' }, rejected.length)
          if (rejected.length > 0) {
            app.log.warn({ kind, rejected: rejected.length, first: rejected.slice(0, 3) }, 'simulator items rejected')
          }
          if (history) {
            // committed: counted, and the count written after them (not waited for here)
            history.sent(kind, items)
            saved = state.save(history.record)
            saved.catch(() => undefined) // a failed write is reported by the last one, awaited below
          }
        }
      }
      if (history && runner.historyDone && !closing) await historySent(history)
      else await saved
    }
    const tick = () => {
      if (running) return running
      running = step()
        .catch((err: unknown) => app.log.error({ err }, 'simulator step failed'))
        .finally(() => (running = null))
      return running
    }

    // a first start's history (the district's whole) is in before the server listens; a resumed
    // one follows (it first makes again what was sent: ~10 s of CPU for the city's whole history)
    if (!resuming) await tick()
    const timer = setInterval(() => void tick(), opts.tickMs ?? 1000)
    app.addHook('onClose', async () => {
      clearInterval(timer)
      closing = true
      await running
      app.log.info(totals, 'simulator stopped')
    })
    app.log.info({ cameras: pack.cameras.length, members: pack.members.length, seed, speed, scale }, 'simulator on')
  },
  { name: 'simulator', dependencies: ['config', 'db', 'ingest', 'live', 'metrics', 'kpi'] },
)
