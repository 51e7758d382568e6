/**
 * What the `gridsight user|key|display` commands share: the auth service over the store named by
 * DATA_DIR / DATABASE_URL (migrated first, as the server does), acting as `cli:<os user>` with the
 * whole region in reach — whoever runs the command already holds the database.
 */
import { randomBytes } from 'node:crypto'
import { userInfo } from 'node:os'
import { CITY_ADCODE, readAllUnits, resolveRegionDir } from '@gridsight/geo-data'
import { openStore } from '../db/index.ts'
import { openAuthStore } from './auth-store.ts'
import { JwtIssuer } from './jwt.ts'
import { AuthScopeError, AuthInputError, AuthService, type AuditContext } from './service.ts'

export interface CliSession {
  service: AuthService
  ctx: AuditContext
  close(): Promise<void>
}

export async function openCliSession(
  env: {
    DATA_DIR?: string | undefined
    DATABASE_URL?: string | undefined
    REGION?: string | undefined
    SIM_SCALE?: string | undefined
  },
  dataDir: string,
): Promise<CliSession> {
  const databaseUrl = env.DATABASE_URL || undefined
  // opening the store applies pending migrations (004_auth)
  await (await openStore({ dataDir, databaseUrl })).close()
  const store = openAuthStore({ dataDir, databaseUrl })
  // the CLI never signs access tokens: a throw-away key keeps it from creating DATA_DIR/auth-jwt.key
  const service = new AuthService({ store, jwt: new JwtIssuer(randomBytes(32)), isUnit: regionUnits(env, dataDir) })
  let who = 'unknown'
  try {
    who = userInfo().username
  } catch {
    // no passwd entry (containers): the audit line still says it came from the CLI
  }
  return { service, ctx: { actor: `cli:${who}`, userAgent: 'gridsight-cli' }, close: () => store.close() }
}

/** The units of the region the server serves (as it resolves it), or no check when its pack is not found. */
function regionUnits(env: { REGION?: string | undefined; SIM_SCALE?: string | undefined }, dataDir: string) {
  const region = env.SIM_SCALE === 'city' ? CITY_ADCODE : env.REGION || '330402'
  try {
    const codes = new Set(readAllUnits(region, resolveRegionDir(region, dataDir)).map((u) => u.properties.code))
    return (code: string) => codes.has(code)
  } catch {
    return undefined
  }
}

/** Input errors end the command with exit 1 and their message. */
export function isInputError(err: unknown): err is Error {
  return err instanceof AuthInputError || err instanceof AuthScopeError
}

export const when = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z'))

/** Columns padded to their widest cell. */
export function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? []
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
}
