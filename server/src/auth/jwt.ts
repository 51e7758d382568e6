/**
 * Access tokens: JWTs signed HS256 with one pinned algorithm, issuer and audience checked.
 * The secret comes from AUTH_JWT_SECRET, else from DATA_DIR/auth-jwt.key, generated (0600) at
 * first start. Several servers behind one PostgreSQL must share AUTH_JWT_SECRET.
 */
import { randomBytes } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { errors, jwtVerify, SignJWT } from 'jose'
import { isRole, type Role } from './roles.ts'

export const JWT_ALG = 'HS256'
export const JWT_ISSUER = 'gridsight'
export const JWT_AUDIENCE = 'gridsight-api'
export const ACCESS_TTL_S = 15 * 60
export const JWT_KEY_FILE = 'auth-jwt.key'

export interface AccessClaims {
  /** user id */
  sub: string
  name: string
  role: Role
  /** jurisdiction (unit code) */
  jur: string
  /** session (refresh-token family) */
  sid: string
  /** expiry, epoch seconds */
  exp: number
}

/** Why a token was refused; the message is safe to send to the client. */
export class TokenError extends Error {
  override name = 'TokenError'
}

export function loadJwtSecret(dataDir: string, configured: string | undefined): Uint8Array {
  if (configured !== undefined) return new TextEncoder().encode(configured)
  const file = join(dataDir, JWT_KEY_FILE)
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true })
    // 'wx': two processes starting at once cannot overwrite each other's key.
    try {
      writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600, flag: 'wx' })
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    }
    chmodSync(file, 0o600)
  }
  const text = readFileSync(file, 'utf8').trim()
  if (text.length < 32) throw new Error(`${file} holds fewer than 32 characters: delete it to generate a new key`)
  return new TextEncoder().encode(text)
}

export class JwtIssuer {
  readonly #key: Uint8Array
  readonly ttlS: number

  constructor(key: Uint8Array, ttlS = ACCESS_TTL_S) {
    this.#key = key
    this.ttlS = ttlS
  }

  /** @param nowS epoch seconds (tests sign tokens that are already expired) */
  sign(c: Omit<AccessClaims, 'exp'>, nowS = Math.floor(Date.now() / 1000)): Promise<string> {
    return new SignJWT({ name: c.name, role: c.role, jur: c.jur, sid: c.sid })
      .setProtectedHeader({ alg: JWT_ALG, typ: 'JWT' })
      .setSubject(c.sub)
      .setIssuer(JWT_ISSUER)
      .setAudience(JWT_AUDIENCE)
      .setIssuedAt(nowS)
      .setExpirationTime(nowS + this.ttlS)
      .sign(this.#key)
  }

  async verify(token: string): Promise<AccessClaims> {
    let payload: Record<string, unknown>
    try {
      ;({ payload } = await jwtVerify(token, this.#key, {
        algorithms: [JWT_ALG],
        issuer: JWT_ISSUER,
        audience: JWT_AUDIENCE,
        requiredClaims: ['sub', 'exp', 'iat'],
      }))
    } catch (err) {
      if (err instanceof errors.JWTExpired) throw new TokenError('access token expired: refresh it')
      if (err instanceof errors.JOSEError) throw new TokenError('access token is not valid')
      throw err
    }
    const { sub, name, role, jur, sid, exp } = payload
    if (
      typeof sub !== 'string' ||
      typeof name !== 'string' ||
      !isRole(role) ||
      typeof jur !== 'string' ||
      typeof sid !== 'string' ||
      typeof exp !== 'number'
    ) {
      throw new TokenError('access token is not valid')
    }
    return { sub, name, role, jur, sid, exp }
  }
}
