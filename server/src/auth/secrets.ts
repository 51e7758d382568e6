/**
 * Passwords are hashed with argon2id (@node-rs/argon2: prebuilt N-API binaries, no build step).
 * Keys and tokens are 32 random bytes: high entropy, so sha-256 is enough to store them and
 * a lookup by hash needs no per-row salt.
 */
import { createHash, randomBytes } from 'node:crypto'
import { hash, verify } from '@node-rs/argon2'

/** Bearer credentials say what they are by prefix; a JWT has none of these. */
export const DISPLAY_TOKEN_PREFIX = 'gsd_'
export const INGEST_KEY_PREFIX = 'gsi_'
export const REFRESH_TOKEN_PREFIX = 'gsr_'

export function newSecret(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`
}

export function sha256(secret: string): string {
  return createHash('sha256').update(secret).digest('hex')
}

/** A password a person can type from a terminal once: 20 characters, ~119 bits. */
export function newPassword(): string {
  return randomBytes(15).toString('base64url')
}

export function hashPassword(password: string): Promise<string> {
  return hash(password)
}

// Verifying against a real hash when the user does not exist keeps the time of a failed login
// the same for unknown and known usernames.
let dummyHash: Promise<string> | undefined

export async function verifyPassword(stored: string | undefined, password: string): Promise<boolean> {
  dummyHash ??= hash(newPassword())
  try {
    return await verify(stored ?? (await dummyHash), password).then((ok) => ok && stored !== undefined)
  } catch {
    return false
  }
}

export const MIN_PASSWORD_LENGTH = 12
