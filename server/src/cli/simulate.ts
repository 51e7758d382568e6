/**
 * `gridsight simulate --url <server> --key <ingest key> [--seed N] [--speed N]`: the simulator as an
 * external ingest client. Each second it steps the same deterministic core as the in-process
 * simulator and POSTs the batches to /api/v1/ingest/{kind}; it reports accepted and rejected
 * counts every 10 s and on exit (Ctrl-C, or after --duration). Its first ticks carry ~30 days of
 * camera status history and past cases and disputes (the pre-rolled history) unless --no-history.
 */
import { existsSync } from 'node:fs'
import { CITY_ADCODE, generateCity, resolveRegionDir } from '@gridsight/geo-data'
import type { IngestKind, IngestResponse } from '@gridsight/shared'
import { citySimPack, loadSimPack } from '../simulator/pack.ts'
import { chunks, INGEST_KINDS, scaleProfile, SimRunner } from '../simulator/runner.ts'
import { parse, UsageError, userPath, withUsage, type Command } from './command.ts'

const USAGE =
  'simulate --url <server> --key <ingest key> [--seed <n>] [--speed <n>] [--scale district|city] [--region <adcode>] [--duration <s>] [--no-history]'
const TICK_MS = 1000
/** items per request: well under the server's 10,000 and its body limit */
const REQUEST_ITEMS = 2000

/** Thrown for answers that retrying will not fix (bad key, wrong URL). */
class FatalHttpError extends Error {}

function number(name: string, value: string | undefined, def: number, min: number, max: number): number {
  if (value === undefined) return def
  const n = Number(value)
  if (!Number.isFinite(n) || n < min || n > max)
    throw new UsageError(`--${name} must be a number from ${min} to ${max}`)
  return n
}

export const command: Command = {
  summary: 'feed a server with the built-in simulator over HTTP (the ingest API)',
  usage: USAGE,
  help: [
    '--url <server>       base URL of a GridSight server, e.g. http://localhost:8080',
    '--key <ingest key>   its GRIDSIGHT_INGEST_KEY (default: $GRIDSIGHT_INGEST_KEY)',
    '--seed <n>           simulator seed (default: $SIM_SEED or 20260402); same seed, same items',
    '--speed <n>          simulated seconds per real second (default: $SIM_SPEED or 1), e.g. 60 for a demo',
    '--scale <s>          district | city (default: $SIM_SCALE or district); city: the generated city, members every 5 s',
    `--region <adcode>    region pack to simulate (default: $REGION or 330402; ${CITY_ADCODE} with --scale city)`,
    '--duration <s>       stop after this many real seconds (default: run until Ctrl-C)',
    '--no-history         skip the pre-rolled ~30 days of camera history and past cases and disputes (sent first by default);',
    '                     use it when the server already holds a run of the simulator',
  ].join('\n'),
  run: (argv) =>
    withUsage(USAGE, async () => {
      const { values, positionals } = parse(argv, {
        url: { type: 'string' },
        key: { type: 'string' },
        seed: { type: 'string' },
        speed: { type: 'string' },
        scale: { type: 'string' },
        region: { type: 'string' },
        duration: { type: 'string' },
        'no-history': { type: 'boolean' },
      })
      if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`)
      if (!values.url) throw new UsageError('--url is required')
      let base: URL
      try {
        base = new URL(values.url)
      } catch {
        throw new UsageError(`--url must be a URL such as http://localhost:8080 (got "${values.url}")`)
      }
      const key = values.key ?? process.env.GRIDSIGHT_INGEST_KEY
      if (!key) throw new UsageError('--key is required (or set GRIDSIGHT_INGEST_KEY)')
      const seed = number('seed', values.seed ?? process.env.SIM_SEED, 20260402, 0, 2 ** 32 - 1)
      const speed = number('speed', values.speed ?? process.env.SIM_SPEED, 1, 0.01, 10000)
      const durationS = number('duration', values.duration, Infinity, 0, Infinity)
      const scale = values.scale ?? (process.env.SIM_SCALE || 'district')
      if (scale !== 'district' && scale !== 'city')
        throw new UsageError(`--scale must be district or city (got "${scale}")`)
      const region = values.region ?? (scale === 'city' ? CITY_ADCODE : process.env.REGION || '330402')
      if (!/^\d{6}$/.test(region)) throw new UsageError(`--region must be a 6-digit adcode (got "${region}")`)

      const dir = resolveRegionDir(region, userPath(process.env.DATA_DIR || './data'))
      // the generated city is deterministic: without its files here, generate the same one in memory
      const pack =
        region === CITY_ADCODE && !existsSync(`${dir}region.json`)
          ? citySimPack(generateCity())
          : loadSimPack(region, dir)
      const history = values['no-history'] ? { caseHistoryMs: 0, disputeHistoryMs: 0, cameraHistoryMs: 0 } : {}
      const runner = new SimRunner(pack, { seed, speed, profile: { ...scaleProfile(scale, pack), ...history } })
      const totals = Object.fromEntries(INGEST_KINDS.map((k) => [k, { accepted: 0, rejected: 0 }])) as Record<
        IngestKind,
        { accepted: number; rejected: number }
      >
      let failures = 0
      let shownRejects = 0
      const post = async (kind: IngestKind, items: unknown[]) => {
        const res = await fetch(new URL(`/api/v1/ingest/${kind}`, base), {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
          body: JSON.stringify({ items }),
          signal: AbortSignal.timeout(30_000),
        })
        if (res.status === 401 || res.status === 403 || res.status === 404) {
          throw new FatalHttpError(`${res.status} from ${res.url}: ${await res.text()}`)
        }
        if (!res.ok) throw new Error(`${res.status} from ${res.url}: ${(await res.text()).slice(0, 200)}`)
        const body = (await res.json()) as IngestResponse
        totals[kind].accepted += body.accepted
        totals[kind].rejected += body.rejected.length
        for (const r of body.rejected) {
          if (shownRejects++ < 5) console.error(`rejected ${kind} ${r.id ?? `#${r.index}`}: ${r.errors.join('; ')}`)
        }
      }
      // batches not yet delivered (server down): retried on the next tick, oldest first
      const pending: Record<IngestKind, unknown[]> = { cameras: [], members: [], cases: [], disputes: [] }

      const summary = () =>
        INGEST_KINDS.map((k) => `${k} ${totals[k].accepted} accepted/${totals[k].rejected} rejected`).join(', ')
      console.error(
        `simulating ${region} (${pack.cameras.length} cameras, ${pack.members.length} members), seed ${seed}, ${speed}× → ${base.origin}`,
      )
      const started = Date.now()
      let lastReport = started
      let stop = false
      const onSignal = () => (stop = true)
      process.once('SIGINT', onSignal)
      process.once('SIGTERM', onSignal)
      try {
        while (!stop) {
          const tickStart = Date.now()
          const batches = runner.tick(tickStart)
          for (const kind of INGEST_KINDS) {
            const items = pending[kind].concat(batches[kind])
            pending[kind] = []
            for (const [i, chunk] of [...chunks(items, REQUEST_ITEMS)].entries()) {
              try {
                await post(kind, chunk)
              } catch (err) {
                if (err instanceof FatalHttpError) throw err
                failures++
                console.error(`could not send ${kind}: ${(err as Error).message}; retrying`)
                pending[kind] = items.slice(i * REQUEST_ITEMS)
                break
              }
            }
          }
          const now = Date.now()
          if (now - lastReport >= 10_000) {
            lastReport = now
            const sim = new Date(runner.simTime(now)).toISOString()
            console.error(`${Math.round((now - started) / 1000)} s (simulated ${sim}): ${summary()}`)
          }
          if (now - started >= durationS * 1000) break
          await new Promise((r) => setTimeout(r, Math.max(0, TICK_MS - (Date.now() - tickStart))))
        }
      } catch (err) {
        if (!(err instanceof FatalHttpError)) throw err
        console.error(`gridsight simulate: ${err.message}`)
        console.log(summary())
        return 1
      } finally {
        process.off('SIGINT', onSignal)
        process.off('SIGTERM', onSignal)
      }
      console.log(summary() + (failures > 0 ? ` (${failures} failed requests retried)` : ''))
      return 0
    }),
}
