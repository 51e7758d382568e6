/**
 * Boot configuration from the environment, validated once at start.
 * A bad value stops the start with one line that names the variable.
 */
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { isAbsolute, resolve } from 'node:path'
import Type from 'typebox'
import Value from 'typebox/value'
import { CITY_ADCODE, resolveRegionDir } from '@gridsight/geo-data'
import { parseAllowedOrigins } from './auth/origin.ts'
import { KpiConfigError, loadKpiConfig } from './kpi/config.ts'
import { AlertsConfigError, loadAlertsConfig } from './alerts/config.ts'
import { BasemapConfigError, parseBasemap, type BasemapSetting } from './basemap/config.ts'

const oneOf = <T extends string>(values: readonly T[], def: T) =>
  Type.Union(
    values.map((v) => Type.Literal(v)),
    { default: def, expected: `one of ${values.join(', ')}` },
  )

// `expected` completes the sentence "NAME must be …" in boot errors.
export const EnvSchema = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 8080, expected: 'an integer from 0 to 65535' }),
  HOST: Type.String({ minLength: 1, default: 'localhost', expected: 'a host name or IP address' }),
  DATA_DIR: Type.String({ minLength: 1, default: './data', expected: 'a directory path' }),
  DATABASE_URL: Type.Optional(
    Type.String({ pattern: '^postgres(ql)?://', expected: 'a PostgreSQL URL (postgres://user:pass@host/db)' }),
  ),
  SIMULATOR: oneOf(['on', 'off'], 'on'),
  SIM_SEED: Type.Integer({ minimum: 0, default: 20260402, expected: 'a non-negative integer' }),
  // city: the generated 10,000-grid city (geo-data generateCity), written to DATA_DIR/regions at boot
  SIM_SCALE: oneOf(['district', 'city'], 'district'),
  SIM_SPEED: Type.Number({ minimum: 0.01, maximum: 10000, default: 1, expected: 'a number from 0.01 to 10000' }),
  REGION: Type.String({ pattern: '^\\d{6}$', default: '330402', expected: 'a 6-digit adcode such as 330402' }),
  // a region-wide ingest key from the environment (the simulator, a first integration); per-source
  // revocable keys: pnpm gridsight key add
  GRIDSIGHT_INGEST_KEY: Type.Optional(Type.String({ minLength: 16, expected: 'at least 16 characters' })),
  TICK_MS: Type.Integer({ minimum: 50, maximum: 10000, default: 500, expected: 'an integer from 50 to 10000 (ms)' }),
  // For `pnpm bench` only: 'naive' replaces the delta stream with one emit per changed entity.
  LIVE_BASELINE: oneOf(['off', 'naive'], 'off'),
  // For `pnpm bench` only: 'main' runs SQLite writes on the main thread (the design before the writer thread).
  SQLITE_WRITER: oneOf(['thread', 'main'], 'thread'),
  LIVE_REPLAY_DELTAS: Type.Integer({
    minimum: 0,
    maximum: 100000,
    default: 240,
    expected: 'an integer from 0 to 100000',
  }),
  // finished cases and disputes older than this leave the live streams (not the database): the wall's
  // longest window is the 30-day dispute heatmap, by acceptance time
  LIVE_RETENTION_DAYS: Type.Integer({
    minimum: 1,
    maximum: 3650,
    default: 31,
    expected: 'an integer number of days from 1 to 3650',
  }),
  LIVE_COMPACT_HOUR: Type.Integer({
    minimum: 0,
    maximum: 23,
    default: 4,
    expected: 'an hour from 0 to 23 (Asia/Shanghai)',
  }),
  TRACK_RETENTION_HOURS: Type.Number({
    minimum: 0,
    maximum: 8760,
    default: 24,
    expected: 'a number of hours from 0 to 8760',
  }),
  KPI_CONFIG: Type.Optional(
    Type.String({ minLength: 1, expected: 'a path to a KPI rules JSON file (default server/config/kpi.json)' }),
  ),
  ALERTS_CONFIG: Type.Optional(
    Type.String({ minLength: 1, expected: 'a path to an alert rules JSON file (default server/config/alerts.json)' }),
  ),
  LOG_LEVEL: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
  // issue 9: access-token signing secret (else generated into DATA_DIR/auth-jwt.key); share it across servers
  AUTH_JWT_SECRET: Type.Optional(Type.String({ minLength: 32, expected: 'at least 32 characters' })),
  ALLOWED_ORIGINS: Type.Optional(
    Type.String({ minLength: 1, expected: 'comma-separated origins such as https://screen.example:8443' }),
  ),
  LOGIN_RATE_LIMIT: Type.Integer({
    minimum: 1,
    maximum: 10000,
    default: 10,
    expected: 'an integer from 1 to 10000 (login attempts per minute and address)',
  }),
  INGEST_RATE_LIMIT: Type.Integer({
    minimum: 1,
    maximum: 1000000,
    default: 1200,
    expected: 'an integer from 1 to 1000000 (ingest requests per minute and key)',
  }),
  // issue 7: opt-in basemap under the region boundaries (server/src/basemap/config.ts checks the value)
  BASEMAP: Type.String({
    minLength: 1,
    default: 'offline',
    expected: 'offline, an http(s) XYZ tile URL with {z}, {x} and {y}, or pmtiles:<path to a local .pmtiles file>',
  }),
  BASEMAP_SUBDOMAINS: Type.Optional(
    Type.String({ minLength: 1, expected: 'comma-separated subdomains for {s} in BASEMAP, such as 0,1,2,3' }),
  ),
  BASEMAP_ATTRIBUTION: Type.Optional(
    Type.String({ maxLength: 300, expected: 'plain text of at most 300 characters (the basemap source)' }),
  ),
  // no default: it follows the tiles, 256 for raster and 512 for vector (server/src/basemap/config.ts)
  BASEMAP_TILE_SIZE: Type.Optional(
    Type.Union([Type.Literal('256'), Type.Literal('512')], { expected: 'one of 256, 512' }),
  ),
  BASEMAP_TYPE: Type.Optional(
    Type.Union([Type.Literal('raster'), Type.Literal('vector')], {
      expected: 'raster or vector (read from a .pmtiles archive, and from a .pbf/.mvt template)',
    }),
  ),
  BASEMAP_SCHEMA: Type.Optional(
    Type.Union([Type.Literal('openmaptiles'), Type.Literal('protomaps')], {
      expected: 'openmaptiles or protomaps, the source layers of vector tiles',
    }),
  ),
  BASEMAP_DIM: Type.Optional(
    Type.Number({
      minimum: 0,
      maximum: 1,
      expected: 'a number from 0 (raster tiles as served) to 1 (darkest)',
    }),
  ),
  REQUEST_TIMEOUT_MS: Type.Integer({
    minimum: 1000,
    maximum: 600000,
    default: 30000,
    expected: 'an integer from 1000 to 600000 (ms a request may take to arrive and be answered)',
  }),
})
type Env = Type.Static<typeof EnvSchema>

export interface Config extends Omit<Env, 'GRIDSIGHT_INGEST_KEY'> {
  GRIDSIGHT_INGEST_KEY: string
  /** true when the key was generated because none was configured */
  ingestKeyGenerated: boolean
  /** BASEMAP and its companions, checked */
  basemap: BasemapSetting
}

export class ConfigError extends Error {
  override name = 'ConfigError'
}

const SECRET_KEYS = new Set(['GRIDSIGHT_INGEST_KEY', 'DATABASE_URL', 'AUTH_JWT_SECRET'])

// Secrets are never echoed: boot errors end up in shared logs.
const describe = (key: string, value: unknown): string =>
  value === undefined ? 'nothing' : SECRET_KEYS.has(key) ? `${String(value).length} characters` : JSON.stringify(value)

/**
 * @param env usually process.env; only the schema's keys are read.
 * @param baseDir where a relative DATA_DIR is resolved (the directory `pnpm` was run from).
 */
export function loadConfig(env: Record<string, string | undefined>, baseDir = process.cwd()): Config {
  const raw: Record<string, unknown> = {}
  for (const key of Object.keys(EnvSchema.properties)) {
    const value = env[key]
    // An empty variable means "not set", as in most shells' `VAR= cmd`.
    if (value !== undefined && value !== '') raw[key] = value
  }
  const converted = Value.Default(EnvSchema, Value.Convert(EnvSchema, structuredClone(raw))) as Record<string, unknown>
  const [first] = Value.Errors(EnvSchema, converted)
  if (first) {
    const key = first.instancePath.replace(/^\//, '').split('/')[0] ?? ''
    const expected = (EnvSchema.properties as Record<string, { expected?: string }>)[key]?.expected
    throw new ConfigError(`${key} must be ${expected ?? first.message} (got ${describe(key, raw[key])})`)
  }
  const parsed = converted as Env
  const dataDir = isAbsolute(parsed.DATA_DIR) ? parsed.DATA_DIR : resolve(baseDir, parsed.DATA_DIR)
  if (parsed.SIM_SCALE === 'city') {
    // the city scale is the generated city; the region plugin generates its pack when missing
    if (raw.REGION !== undefined && parsed.REGION !== CITY_ADCODE) {
      throw new ConfigError(
        `SIM_SCALE=city runs the generated city (REGION ${CITY_ADCODE}), but REGION is set to "${parsed.REGION}": ` +
          `unset REGION or set SIM_SCALE=district`,
      )
    }
    parsed.REGION = CITY_ADCODE
  } else if (!existsSync(`${resolveRegionDir(parsed.REGION, dataDir)}region.json`)) {
    throw new ConfigError(
      `REGION must name a region pack in geo-data/regions or DATA_DIR/regions (got "${parsed.REGION}")`,
    )
  }
  const kpiConfig = parsed.KPI_CONFIG === undefined ? undefined : resolve(baseDir, parsed.KPI_CONFIG)
  try {
    loadKpiConfig(kpiConfig)
  } catch (err) {
    if (err instanceof KpiConfigError) throw new ConfigError(err.message)
    throw err
  }
  const alertsConfig = parsed.ALERTS_CONFIG === undefined ? undefined : resolve(baseDir, parsed.ALERTS_CONFIG)
  try {
    loadAlertsConfig(alertsConfig)
  } catch (err) {
    if (err instanceof AlertsConfigError) throw new ConfigError(err.message)
    throw err
  }
  if (parsed.ALLOWED_ORIGINS !== undefined) {
    try {
      parseAllowedOrigins(parsed.ALLOWED_ORIGINS)
    } catch (err) {
      throw new ConfigError(`ALLOWED_ORIGINS must be comma-separated origins: ${(err as Error).message}`)
    }
  }
  let basemap: BasemapSetting
  try {
    basemap = parseBasemap(parsed, baseDir)
  } catch (err) {
    if (err instanceof BasemapConfigError) throw new ConfigError(err.message)
    throw err
  }
  const key = parsed.GRIDSIGHT_INGEST_KEY
  return {
    ...parsed,
    DATA_DIR: dataDir,
    KPI_CONFIG: kpiConfig,
    ALERTS_CONFIG: alertsConfig,
    GRIDSIGHT_INGEST_KEY: key ?? `demo-${randomBytes(18).toString('base64url')}`,
    ingestKeyGenerated: key === undefined,
    basemap,
  }
}
