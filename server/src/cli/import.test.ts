/**
 * Golden tests of `gridsight import` / `gridsight validate`: each case runs the real CLI as a
 * child process on a fixture from geo-data/fixtures/import/ and compares its stdout and exit code
 * (expected/<case>.txt) and the files it wrote (expected/<case>.json: size, hash and feature count
 * per file, region.json, and the imported units in full). `UPDATE=1` rewrites the expected files.
 * The fixtures themselves come from geo-data/scripts/make-import-fixtures.ts.
 */
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as prettier from 'prettier'
import { afterAll, describe, expect, it } from 'vitest'

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url))
const FIXTURES = fileURLToPath(new URL('../../../geo-data/fixtures/import/', import.meta.url))
const EXPECTED = join(FIXTURES, 'expected')
const UPDATE = process.env.UPDATE === '1'
const tmp = mkdtempSync(join(tmpdir(), 'gridsight-import-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

interface Case {
  name: string
  /**
   * `<out>` stands for a fresh output folder. Relative paths are resolved by the CLI against
   * INIT_CWD (as under `pnpm`), which is the fixtures folder, or `<out>` for defaultOut cases,
   * where `<fixtures>` names the fixtures folder. The process runs in another directory.
   */
  args: string[]
  /** the DATA_DIR default is tested with DATA_DIR=data relative to INIT_CWD=<out> */
  defaultOut?: boolean
}

const CASES: Case[] = [
  { name: 'import-grids-wgs84', args: ['import', 'grids-wgs84.geojson', '--region', '330402', '--out', '<out>'] },
  {
    name: 'import-grids-gcj02',
    args: ['import', 'grids-gcj02.geojson', '--region', '330402', '--crs', 'gcj02', '--out', '<out>'],
  },
  {
    name: 'import-grids-gcj02-read-as-wgs84',
    args: ['import', 'grids-gcj02.geojson', '--region', '330402', '--out', '<out>'],
  },
  { name: 'import-bad-grids', args: ['import', 'bad-grids.geojson', '--region', '330402', '--out', '<out>'] },
  {
    name: 'import-town',
    args: ['import', '<fixtures>/town.geojson', '--region', '990001', '--crs', 'cgcs2000'],
    defaultOut: true,
  },
  {
    name: 'import-town-small-gap',
    args: ['import', 'town-small-gap.geojson', '--region', '990001', '--crs', 'EPSG:4490', '--out', '<out>'],
  },
  {
    name: 'import-town-dry-run',
    args: ['import', '<fixtures>/town.geojson', '--region', '990001', '--dry-run'],
    defaultOut: true,
  },
  { name: 'import-broken-json', args: ['import', 'broken-json.txt', '--region', '330402', '--out', '<out>'] },
  { name: 'validate-town-wrong-region', args: ['validate', 'town.geojson', '--region', '330402'] },
]

function run(args: string[], cwd: string, env: Record<string, string>) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [MAIN, ...args], { cwd, env: { ...process.env, ...env } }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    )
  })
}

/** What a run wrote: per file its size, hash and feature count; region.json; the imported units. */
function summarise(dir: string, inputCodes: Set<string>) {
  if (!existsSync(dir)) return { files: {} }
  const files: Record<string, { bytes: number; sha256: string; features?: number }> = {}
  const imported: unknown[] = []
  let region: unknown = null
  for (const name of readdirSync(dir).sort()) {
    const text = readFileSync(join(dir, name), 'utf8')
    const entry: (typeof files)[string] = {
      bytes: Buffer.byteLength(text),
      sha256: createHash('sha256').update(text).digest('hex').slice(0, 16),
    }
    if (name.endsWith('.geojson')) {
      const fc = JSON.parse(text) as { features: { properties: { code: string } }[] }
      entry.features = fc.features.length
      imported.push(...fc.features.filter((f) => inputCodes.has(f.properties.code)))
    }
    if (name === 'region.json') region = JSON.parse(text)
    files[name] = entry
  }
  return { files, region, imported }
}

describe.concurrent('gridsight import / validate (golden fixtures)', () => {
  it.each(CASES)('$name', async (c) => {
    const out = join(tmp, c.name)
    const args = c.args.map((a) => (a === '<out>' ? out : a.replace('<fixtures>/', FIXTURES)))
    const { code, stdout, stderr } = await run(args, tmp, {
      INIT_CWD: c.defaultOut ? out : FIXTURES,
      DATA_DIR: c.defaultOut ? 'data' : join(out, 'unused-data-dir'),
    })
    const text = [
      `$ gridsight ${c.args.join(' ')}${c.defaultOut ? '   (DATA_DIR=data)' : ''}`,
      stdout.replaceAll(out, '<out>').trimEnd(),
      // usage errors go to stderr
      ...(stderr.trim() ? ['--- stderr', stderr.replaceAll(out, '<out>').trimEnd()] : []),
      `exit ${code}`,
      '',
    ].join('\n')
    const input = (() => {
      try {
        const file = c.args[1]!.replace('<fixtures>/', '')
        const fc = JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) as {
          features?: { properties?: { code?: string } }[]
        }
        return new Set((fc.features ?? []).map((f) => String(f.properties?.code)))
      } catch {
        return new Set<string>()
      }
    })()
    const written = summarise(c.defaultOut ? join(out, 'data', 'regions', c.args[3]!) : out, input)
    const json = JSON.stringify(written)
    const txtPath = join(EXPECTED, `${c.name}.txt`)
    const jsonPath = join(EXPECTED, `${c.name}.json`)
    if (UPDATE) {
      writeFileSync(txtPath, text)
      // formatted as `pnpm format` would; compared as data, so formatting never fails the test
      const options = await prettier.resolveConfig(jsonPath)
      writeFileSync(jsonPath, await prettier.format(json, { ...options, parser: 'json' }))
    }
    expect(text).toBe(readFileSync(txtPath, 'utf8'))
    expect(written).toEqual(JSON.parse(readFileSync(jsonPath, 'utf8')))
    // an error writes nothing
    expect(code === 0 || Object.keys(written.files).length === 0).toBe(true)
  })
})

describe('gridsight dispatcher', () => {
  it('lists its commands and rejects unknown ones', async () => {
    const [help, unknown] = await Promise.all([run(['--help'], tmp, {}), run(['frobnicate'], tmp, {})])
    expect(help.code).toBe(0)
    expect(help.stdout).toMatch(/import .*\n.*validate /)
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toMatch(/unknown command "frobnicate"/)
  })
})
