/**
 * Alert rules and thresholds: server/config/alerts.json by default, ALERTS_CONFIG to override,
 * validated at boot (an error names the file and the field). Every rule can be switched off and
 * given its severity; case SLAs and the working calendar are the KPI engine's (kpi.json).
 */
import { readFileSync } from 'node:fs'
import Type from 'typebox'
import Value from 'typebox/value'

const Severity = Type.Union([Type.Literal('P1'), Type.Literal('P2'), Type.Literal('P3')], {
  expected: 'one of P1, P2, P3',
})
const Minutes = Type.Number({ exclusiveMinimum: 0, maximum: 525600, expected: 'a positive number of minutes' })
const Clock = Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', expected: 'a local time HH:MM' })

const rule = <P extends Type.TProperties>(props: P) =>
  Type.Object(
    { enabled: Type.Boolean({ expected: 'true or false' }), severity: Severity, ...props },
    { additionalProperties: false, expected: 'an object {enabled, severity, …}' },
  )

export const AlertsConfigSchema = Type.Object(
  {
    $comment: Type.Optional(Type.String()),
    rules: Type.Object(
      {
        cameraOffline: rule({
          minutes: Minutes,
          statuses: Type.Array(Type.Union([Type.Literal('offline'), Type.Literal('fault')]), {
            minItems: 1,
            expected: 'a list of camera statuses (offline, fault)',
          }),
        }),
        clusterOutage: rule({
          percent: Type.Number({ exclusiveMinimum: 0, maximum: 100, expected: 'a percentage above 0, at most 100' }),
          minCameras: Type.Integer({ minimum: 1, expected: 'a positive integer' }),
        }),
        gridBelowDensity: rule({ minutes: Minutes }),
        caseNotDispatched: rule({}),
        caseNotResolved: rule({}),
        caseP1: rule({}),
        caseDuplicate: rule({
          metres: Type.Number({ exclusiveMinimum: 0, maximum: 1000, expected: 'metres above 0, at most 1000' }),
          hours: Type.Number({ exclusiveMinimum: 0, maximum: 720, expected: 'hours above 0, at most 720' }),
        }),
        disputeEscalated: rule({}),
        disputeOpenLong: rule({ days: Type.Number({ exclusiveMinimum: 0, expected: 'a positive number of days' }) }),
        memberSos: rule({}),
        memberSilent: rule({ minutes: Minutes }),
        memberOutsideGrid: rule({
          minutes: Minutes,
          roles: Type.Array(
            Type.Union([
              Type.Literal('full_time'),
              Type.Literal('part_time'),
              Type.Literal('police'),
              Type.Literal('auxiliary'),
            ]),
            { expected: 'a list of member roles (full_time, part_time, police, auxiliary)' },
          ),
        }),
        coverageVoid: rule({ minutes: Minutes, dutyStart: Clock, dutyEnd: Clock }),
      },
      { additionalProperties: false, expected: 'an object with one entry per rule' },
    ),
  },
  { additionalProperties: false, expected: 'an object {rules}' },
)
export type AlertsConfig = Type.Static<typeof AlertsConfigSchema>
export type RulesConfig = AlertsConfig['rules']

export const DEFAULT_ALERTS_CONFIG_PATH = new URL('../../config/alerts.json', import.meta.url).pathname

export class AlertsConfigError extends Error {
  override name = 'AlertsConfigError'
}

function schemaAt(path: string[]): { expected?: string } | undefined {
  let s: unknown = AlertsConfigSchema
  for (const p of path) {
    const node = s as { properties?: Record<string, unknown>; items?: unknown; anyOf?: unknown[] }
    if (node.properties?.[p]) s = node.properties[p]
    else if (node.items) s = node.items
    else return undefined
  }
  return s as { expected?: string }
}

/** Validates a parsed config; `source` names it in errors. */
export function validateAlertsConfig(raw: unknown, source = 'alerts config'): AlertsConfig {
  const [first] = Value.Errors(AlertsConfigSchema, raw)
  if (first) {
    let path = first.instancePath.split('/').filter(Boolean)
    // a missing property is reported at its parent: name the property itself
    const missing = (first.params as { requiredProperties?: string[] }).requiredProperties?.[0]
    if (first.keyword === 'required' && missing) path = [...path, missing]
    const field = path.join('.') || '(root)'
    const expected = schemaAt(path)?.expected
    let got: unknown = raw
    for (const p of path) got = (got as Record<string, unknown> | undefined)?.[p]
    const extra = first.keyword === 'additionalProperties' ? ` (${first.message})` : ''
    throw new AlertsConfigError(
      `${source}: ${field} must be ${expected ?? first.message}${extra} (got ${got === undefined ? 'nothing' : JSON.stringify(got)})`,
    )
  }
  const cfg = raw as AlertsConfig
  const { dutyStart, dutyEnd } = cfg.rules.coverageVoid
  if (dutyStart >= dutyEnd) {
    throw new AlertsConfigError(
      `${source}: rules.coverageVoid.dutyEnd must be later than dutyStart (got ${dutyStart}–${dutyEnd})`,
    )
  }
  return cfg
}

export function loadAlertsConfig(path = DEFAULT_ALERTS_CONFIG_PATH): AlertsConfig {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    throw new AlertsConfigError(`ALERTS_CONFIG must name a readable JSON file (${path}: ${(err as Error).message})`)
  }
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (err) {
    throw new AlertsConfigError(`${path}: not valid JSON (${(err as Error).message})`)
  }
  return validateAlertsConfig(raw, path)
}

/** "HH:MM" → minutes after midnight */
export const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5))
