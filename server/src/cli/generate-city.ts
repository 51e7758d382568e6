/**
 * `gridsight generate-city [--out <dir>] [--seed <n>]`: writes the generated city region pack
 * (adcode 990100, 10,000 grids, 100,000 cameras, 20,000 members; entirely generated) that
 * `SIM_SCALE=city` runs. A server with SIM_SCALE=city generates it on its own when DATA_DIR has
 * none; this command writes it explicitly (or elsewhere, e.g. to look at it).
 */
import { join } from 'node:path'
import { CITY_ADCODE, CITY_SEED, generateCity, writeRegionPack } from '@gridsight/geo-data'
import { parse, UsageError, userPath, withUsage, type Command } from './command.ts'

const USAGE = 'generate-city [--out <dir>] [--seed <n>]'

export const command: Command = {
  summary: `write the generated city region pack (${CITY_ADCODE}) that SIM_SCALE=city runs`,
  usage: USAGE,
  help: [
    `--out <dir>   the pack's folder (default: $DATA_DIR/regions/${CITY_ADCODE}, DATA_DIR defaulting to ./data)`,
    `--seed <n>    generator seed (default ${CITY_SEED}); same seed, byte-identical files`,
  ].join('\n'),
  run: (argv) =>
    withUsage(USAGE, async () => {
      const { values, positionals } = parse(argv, { out: { type: 'string' }, seed: { type: 'string' } })
      if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`)
      const seed = values.seed === undefined ? CITY_SEED : Number(values.seed)
      if (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32)
        throw new UsageError(`--seed must be an integer from 0 to ${2 ** 32 - 1}`)
      const dir = values.out
        ? userPath(values.out)
        : join(userPath(process.env.DATA_DIR || './data'), 'regions', CITY_ADCODE)
      const started = performance.now()
      const pack = generateCity({ seed })
      writeRegionPack(pack, dir)
      const { counts, stats, areaKm2, densityStandards: std } = pack.meta
      const urban = pack.grids.filter((g) => g.properties.urban).length
      console.log(
        [
          `wrote ${pack.meta.name} (${CITY_ADCODE}, seed ${seed}, entirely generated) to ${dir}`,
          `${counts.street} streets, ${counts.community} communities, ${counts.grid} grids (${urban} urban), ${areaKm2.toFixed(1)} km²`,
          `${counts.camera} cameras (${stats.socialCameras} social): urban ${stats.urbanCameraDensity}/km² ` +
            `(${stats.urbanGridsBelowStandard} grids below ${std.urbanPerKm2}), rural ${stats.ruralCameraDensity}/km² ` +
            `(${stats.ruralGridsBelowStandard} below ${std.ruralPerKm2})`,
          `${counts.member} members; ${Math.round(performance.now() - started)} ms`,
        ].join('\n'),
      )
      return 0
    }),
}
