/**
 * Credentials that must be refused everywhere (REST and the /live handshake): none, garbage,
 * `alg: none`, expired, wrong issuer/audience/key, HS512, a tampered payload, an unknown display token.
 */
import { SignJWT, UnsecuredJWT } from 'jose'
import { JwtIssuer, JWT_AUDIENCE, JWT_ISSUER } from '../src/auth/jwt.ts'

/** @param key the server's signing secret; @param good a valid access token to tamper with */
export function forgedTokens(key: Uint8Array, good: string): [string, () => Promise<string | undefined>][] {
  const claims = { name: 'admin', role: 'admin', jur: '330402', sid: 'x' }
  const now = Math.floor(Date.now() / 1000)
  const sign = (o: { iss?: string; aud?: string; exp?: number; alg?: string; key?: Uint8Array }) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: o.alg ?? 'HS256' })
      .setSubject('someone')
      .setIssuer(o.iss ?? JWT_ISSUER)
      .setAudience(o.aud ?? JWT_AUDIENCE)
      .setIssuedAt(now - 10)
      .setExpirationTime(o.exp ?? now + 600)
      .sign(o.key ?? key)
  const [head, body, sig] = good.split('.') as [string, string, string]
  const payload = JSON.parse(Buffer.from(body, 'base64url').toString()) as Record<string, unknown>
  const tampered = `${head}.${Buffer.from(JSON.stringify({ ...payload, jur: '33' })).toString('base64url')}.${sig}`
  return [
    ['no token', async () => undefined],
    ['garbage', async () => 'not.a.jwt'],
    [
      'alg none',
      async () =>
        new UnsecuredJWT(claims)
          .setSubject('someone')
          .setIssuer(JWT_ISSUER)
          .setAudience(JWT_AUDIENCE)
          .setExpirationTime(now + 600)
          .encode(),
    ],
    [
      'expired',
      async () =>
        new JwtIssuer(key).sign({ sub: 's', name: 'admin', role: 'admin', jur: '330402', sid: 'x' }, now - 3600),
    ],
    ['wrong issuer', () => sign({ iss: 'someone-else' })],
    ['wrong audience', () => sign({ aud: 'another-api' })],
    ['another key', () => sign({ key: new TextEncoder().encode('k'.repeat(48)) })],
    ['HS512 with the right key', () => sign({ alg: 'HS512' })],
    ['tampered payload', async () => tampered],
    ['unknown display token', async () => 'gsd_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
  ]
}
