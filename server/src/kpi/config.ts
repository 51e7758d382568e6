/**
 * KPI rules: the region's time zone, case SLAs per type and the working calendar
 * (weekends, public holidays, make-up workdays 调休). Read from a JSON file
 * (server/config/kpi.json by default, KPI_CONFIG to override) and validated at boot:
 * an error names the file and the field.
 */
import { readFileSync } from 'node:fs'
import Type from 'typebox'
import Value from 'typebox/value'

const DateString = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', expected: 'a date YYYY-MM-DD' })

const Sla = Type.Object(
  {
    dispatchMinutes: Type.Number({ exclusiveMinimum: 0, expected: 'a positive number of minutes' }),
    resolveWorkingDays: Type.Number({ exclusiveMinimum: 0, maximum: 365, expected: 'a positive number of days' }),
  },
  { additionalProperties: false, expected: 'an object {dispatchMinutes, resolveWorkingDays}' },
)

export const KpiConfigSchema = Type.Object(
  {
    $comment: Type.Optional(Type.String()),
    timeZone: Type.String({ minLength: 1, expected: 'an IANA time zone such as Asia/Shanghai' }),
    memberSilentMinutes: Type.Number({ exclusiveMinimum: 0, expected: 'a positive number of minutes' }),
    disputeBacklogDays: Type.Number({ exclusiveMinimum: 0, expected: 'a positive number of days' }),
    caseSla: Type.Object(
      {
        default: Sla,
        byType: Type.Record(Type.String(), Sla, { expected: 'an object of case type → SLA' }),
      },
      { additionalProperties: false, expected: 'an object {default, byType}' },
    ),
    consistencyCheck: Type.Optional(
      Type.Object(
        {
          everyMinutes: Type.Number({ minimum: 0, expected: 'minutes between checks (0: never), default 60' }),
          atStart: Type.Boolean({ expected: 'true to check once right after start, default true' }),
        },
        { additionalProperties: false, expected: 'an object {everyMinutes, atStart}' },
      ),
    ),
    dailySnapshotMinutes: Type.Optional(
      Type.Number({ exclusiveMinimum: 0, expected: 'minutes between saves of the day’s figures, default 15' }),
    ),
    calendar: Type.Object(
      {
        weekend: Type.Array(Type.Integer({ minimum: 0, maximum: 6, expected: 'a weekday 0 (Sunday) to 6' }), {
          maxItems: 7,
          expected: 'a list of weekdays 0 (Sunday) to 6',
        }),
        holidays: Type.Array(DateString, { expected: 'a list of dates YYYY-MM-DD' }),
        workdays: Type.Array(DateString, { expected: 'a list of dates YYYY-MM-DD' }),
      },
      { additionalProperties: false, expected: 'an object {weekend, holidays, workdays}' },
    ),
  },
  { additionalProperties: false, expected: 'an object' },
)
export type KpiConfig = Type.Static<typeof KpiConfigSchema>

export const DEFAULT_KPI_CONFIG_PATH = new URL('../../config/kpi.json', import.meta.url).pathname

export class KpiConfigError extends Error {
  override name = 'KpiConfigError'
}

/** Local date 'YYYY-MM-DD' → day number (days since 1970-01-01), or null when not a real date. */
export function dayOfDate(date: string): number | null {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  const t = Date.UTC(y, m - 1, d)
  const back = new Date(t)
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== m - 1 || back.getUTCDate() !== d) return null
  return t / 86_400_000
}

function schemaAt(path: string[]): { expected?: string } | undefined {
  let s: unknown = KpiConfigSchema
  for (const p of path) {
    const node = s as {
      properties?: Record<string, unknown>
      items?: unknown
      patternProperties?: Record<string, unknown>
    }
    if (node.properties?.[p]) s = node.properties[p]
    else if (node.items) s = node.items
    else if (node.patternProperties) s = Object.values(node.patternProperties)[0]
    else return undefined
  }
  return s as { expected?: string }
}

/** Validates a parsed config; `source` names it in errors. */
export function validateKpiConfig(raw: unknown, source = 'kpi config'): KpiConfig {
  const [first] = Value.Errors(KpiConfigSchema, raw)
  if (first) {
    const path = first.instancePath.split('/').filter(Boolean)
    const field = path.join('.') || '(root)'
    const expected = schemaAt(path)?.expected
    let got: unknown = raw
    for (const p of path) got = (got as Record<string, unknown> | undefined)?.[p]
    const extra = first.keyword === 'additionalProperties' ? ` (${first.message})` : ''
    throw new KpiConfigError(
      `${source}: ${field} must be ${expected ?? first.message}${extra} (got ${got === undefined ? 'nothing' : JSON.stringify(got)})`,
    )
  }
  const cfg = raw as KpiConfig
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: cfg.timeZone })
  } catch {
    throw new KpiConfigError(
      `${source}: timeZone must be an IANA time zone such as Asia/Shanghai (got "${cfg.timeZone}")`,
    )
  }
  const holidays = new Set<string>()
  for (const [i, d] of cfg.calendar.holidays.entries()) {
    if (dayOfDate(d) === null)
      throw new KpiConfigError(`${source}: calendar.holidays.${i} is not a real date (got "${d}")`)
    holidays.add(d)
  }
  for (const [i, d] of cfg.calendar.workdays.entries()) {
    if (dayOfDate(d) === null)
      throw new KpiConfigError(`${source}: calendar.workdays.${i} is not a real date (got "${d}")`)
    if (holidays.has(d)) {
      throw new KpiConfigError(`${source}: calendar.workdays.${i} is also listed in calendar.holidays (got "${d}")`)
    }
  }
  return cfg
}

export function loadKpiConfig(path = DEFAULT_KPI_CONFIG_PATH): KpiConfig {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    throw new KpiConfigError(`KPI_CONFIG must name a readable JSON file (${path}: ${(err as Error).message})`)
  }
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (err) {
    throw new KpiConfigError(`${path}: not valid JSON (${(err as Error).message})`)
  }
  return validateKpiConfig(raw, path)
}

export function defaultKpiConfig(): KpiConfig {
  return loadKpiConfig()
}
