/**
 * `gridsight validate <file.geojson> [--crs …] [--region <adcode>]`: the import's checks without
 * writing anything. With --region, parents may be units of that region's pack (as on import).
 */
import { userPath, parse, UsageError, withUsage, type Command } from './command.ts'
import { check, loadBase, parseCrsOption, readInput } from './import.ts'

const USAGE = 'validate <file.geojson> [--crs <name>] [--region <adcode>]'

export const command: Command = {
  summary: 'check a GeoJSON file of admin units/grids (the import checks, nothing written)',
  usage: USAGE,
  help: [
    '--crs <name>       CRS of the input: wgs84 | cgcs2000 | gcj02 | bd09 (default wgs84)',
    "--region <adcode>  check against this region's pack (needed when the file has no district)",
  ].join('\n'),
  run: (argv) =>
    withUsage(USAGE, async () => {
      const { values, positionals } = parse(argv, { crs: { type: 'string' }, region: { type: 'string' } })
      if (positionals.length !== 1) throw new UsageError('expected exactly one input file')
      const file = positionals[0]!
      const crs = parseCrsOption(values.crs)
      const input = readInput(file)
      let region = values.region ?? ''
      if (!region) {
        // a file with its own district names the region itself
        const features = (input as { features?: { properties?: { level?: unknown; code?: unknown } }[] }).features
        const district = Array.isArray(features) ? features.find((f) => f?.properties?.level === 'district') : undefined
        if (district) region = String(district.properties?.code)
      }
      const base = values.region ? loadBase(values.region, userPath(process.env.DATA_DIR || './data')) : null
      const plan = check(file, input, region, crs, base)
      console.log(plan.ok ? 'valid' : 'invalid')
      return plan.ok ? 0 : 1
    }),
}
