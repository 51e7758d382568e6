/**
 * `gridsight import <file.geojson> --region <adcode> [--crs …] [--dry-run] [--out <dir>]`: checks a
 * user's units (see geo-data/src/import.ts for the rules) and writes a region pack, by default to
 * `${DATA_DIR:-./data}/regions/<adcode>/`, where the server prefers it to the bundled pack.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { basename, join, relative } from 'node:path'
import {
  formatIssue,
  hasRegion,
  planImport,
  readAllUnits,
  readCameras,
  readMembers,
  readRegionLayer,
  readRegionMeta,
  regionDir,
  resolveRegionDir,
  type BasePack,
  type CameraRow,
  type ImportPlan,
  type MemberRow,
} from '@gridsight/geo-data'
import { CRS_NAMES, parseCrs, type Crs } from '@gridsight/shared'
import { parse, progress, UsageError, userPath, withUsage, type Command } from './command.ts'

const CRS_HELP = `--crs <name>       CRS of the input: ${CRS_NAMES.join(' | ')} (default wgs84; EPSG codes work too)`

export function parseCrsOption(value: string | undefined): Crs {
  if (value === undefined) return 'wgs84'
  const crs = parseCrs(value)
  if (!crs) throw new UsageError(`unknown CRS "${value}" (use ${CRS_NAMES.join(', ')})`)
  return crs
}

/** The region's current pack (DATA_DIR first, then the bundled one), or null when it has none. */
export function loadBase(adcode: string, dataDir: string): { base: BasePack; where: string } | null {
  if (!/^\d{6}$/.test(adcode)) throw new UsageError(`--region must be a 6-digit adcode, got "${adcode}"`)
  const dir = resolveRegionDir(adcode, dataDir)
  if (!existsSync(join(dir, 'region.json'))) return null
  const where = dir === regionDir(adcode) ? 'the bundled pack' : 'the pack in DATA_DIR'
  const optional = <T>(read: () => T): T | undefined => {
    try {
      return read()
    } catch {
      return undefined
    }
  }
  const base: BasePack = {
    meta: readRegionMeta(adcode, dir),
    units: readAllUnits(adcode, dir),
    context: optional(() => readRegionLayer(adcode, 'context', dir)),
    cameras: optional(() => readCameras(adcode, dir).map((c): CameraRow => [c.id, c.lon, c.lat, c.grid, c.kind])),
    members: optional(() => readMembers(adcode, dir).map((m): MemberRow => [m.id, m.name, m.role, m.grid])),
    licences: optional(() => readFileSync(join(dir, 'LICENSES.md'), 'utf8')),
  }
  return { base, where }
}

export function readInput(file: string): unknown {
  const path = userPath(file)
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`)
  }
  try {
    return JSON.parse(text)
  } catch (err) {
    // invalid JSON is a problem with the input, not with the command line: exit 1
    return { invalidJson: (err as Error).message }
  }
}

/** Runs the checks; prints the report (stdout) and returns the plan. */
export function check(
  file: string,
  input: unknown,
  region: string,
  crs: Crs,
  base: { base: BasePack; where: string } | null,
): ImportPlan {
  const bar = progress()
  const plan =
    input && typeof input === 'object' && 'invalidJson' in input
      ? ({
          ok: false,
          errors: [
            {
              severity: 'error',
              kind: 'input',
              index: -1,
              code: null,
              message: `not JSON: ${String(input.invalidJson)}`,
            },
          ],
          warnings: [],
          features: 0,
          levels: [],
          replaced: 0,
          kept: 0,
          files: null,
          counts: null,
        } satisfies ImportPlan)
      : planImport(input, { region, crs, base: base?.base ?? null, source: basename(file), onProgress: bar.update })
  bar.done()
  const out: string[] = []
  out.push(
    `input: ${basename(file)}: ${plan.features} features${plan.levels.length ? ` (${plan.levels.join(', ')})` : ''}, CRS ${crs}${crs === 'gcj02' || crs === 'bd09' ? ' → wgs84' : ''}`,
  )
  if (region)
    out.push(
      `region ${region}: ${!base ? 'no base pack' : plan.levels.length === 0 ? `base ${base.where}` : `base ${base.where}; the input replaces ${plan.replaced} of its units and keeps ${plan.kept}`}`,
    )
  out.push(`${plan.errors.length} error(s), ${plan.warnings.length} warning(s)`)
  for (const i of [...plan.errors, ...plan.warnings]) out.push(formatIssue(i))
  if (plan.counts) {
    const c = plan.counts
    out.push(
      `pack: ${c.street} streets, ${c.community} communities, ${c.grid} grids; ${c.camera} cameras, ${c.member} members`,
    )
  }
  console.log(out.join('\n'))
  return plan
}

/** Writes the files into a temporary folder beside `dir`, then moves them in. */
export function writePack(dir: string, files: [string, string][]): void {
  mkdirSync(dir, { recursive: true })
  const tmp = join(dir, `.import-${process.pid}`)
  rmSync(tmp, { recursive: true, force: true })
  mkdirSync(tmp)
  try {
    for (const [name, text] of files) writeFileSync(join(tmp, name), text)
    for (const [name] of files) renameSync(join(tmp, name), join(dir, name))
  } finally {
    rmSync(tmp, { recursive: true, force: true })
  }
}

const USAGE = 'import <file.geojson> --region <adcode> [--crs <name>] [--dry-run] [--out <dir>]'

export const command: Command = {
  summary: 'check a GeoJSON file of admin units/grids and write it as a region pack',
  usage: USAGE,
  help: [
    '--region <adcode>  the region (6-digit adcode); levels above the input come from its current pack',
    CRS_HELP,
    '--dry-run          check only, write nothing',
    '--out <dir>        where to write the pack (default ${DATA_DIR:-./data}/regions/<adcode>/)',
    '',
    'The input is a FeatureCollection of Polygon/MultiPolygon features with code, name,',
    'level (district|street|community|grid), parent and optionally urban. Any error: exit 1, nothing',
    'written. Warnings (small gaps) are listed and the pack is written.',
  ].join('\n'),
  run: (argv) =>
    withUsage(USAGE, async () => {
      const { values, positionals } = parse(argv, {
        region: { type: 'string' },
        crs: { type: 'string' },
        'dry-run': { type: 'boolean' },
        out: { type: 'string' },
      })
      if (positionals.length !== 1) throw new UsageError('expected exactly one input file')
      if (values.region === undefined) throw new UsageError('--region <adcode> is required')
      const file = positionals[0]!
      const crs = parseCrsOption(values.crs)
      const dataDir = userPath(process.env.DATA_DIR || './data')
      const base = loadBase(values.region, dataDir)
      const input = readInput(file)
      const plan = check(file, input, values.region, crs, base)
      if (!plan.ok || !plan.files) {
        console.log('nothing written')
        return 1
      }
      if (values['dry-run']) {
        console.log('dry run: nothing written')
        return 0
      }
      const out = values.out ? userPath(values.out) : join(dataDir, 'regions', values.region)
      writePack(out, plan.files)
      const rel = relative(process.env.INIT_CWD ?? process.cwd(), out)
      const shown = rel === '' ? '.' : rel.startsWith('..') ? out : rel
      console.log(`wrote ${plan.files.length} files to ${shown}`)
      if (!values.out && !hasRegion(values.region))
        console.log(`(region ${values.region} has no bundled pack: start the server with REGION=${values.region})`)
      return 0
    }),
}
