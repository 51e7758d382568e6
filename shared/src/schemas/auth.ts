/**
 * Auth and admin API (issue 9): login, refresh, logout, the current principal, and the admin
 * resources — users, ingest keys and wall-display tokens. Times are epoch milliseconds.
 * Secrets (passwords, keys, tokens) appear only in the answer that creates them.
 */
import Type from 'typebox'

const Nullable = <T extends Type.TSchema>(t: T) => Type.Union([t, Type.Null()])
const Ms = Type.Integer({ description: 'epoch milliseconds' })

export const AuthRole = Type.Union(
  [Type.Literal('admin'), Type.Literal('leader'), Type.Literal('operator'), Type.Literal('display')],
  {
    description:
      'admin: everything; leader: read and briefings; operator: read, acknowledge, dispatch; display: read-only wall',
  },
)
export type AuthRole = Type.Static<typeof AuthRole>

export const JurisdictionCode = Type.String({
  pattern: '^\\d{6}(\\d{3}){0,3}$',
  description:
    'unit code: district (6 digits), street (9), community (12) or grid (15); a principal sees the units whose code starts with it',
})

export const Username = Type.String({ minLength: 2, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' })

export const LoginRequest = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64 }),
    // bounded: argon2 of a megabyte-long password is a denial of service
    password: Type.String({ minLength: 1, maxLength: 1024 }),
  },
  { $id: 'LoginRequest', additionalProperties: false },
)
export type LoginRequest = Type.Static<typeof LoginRequest>

export const AuthUser = Type.Object(
  {
    id: Type.String(),
    username: Type.String(),
    role: AuthRole,
    jurisdiction: Type.String(),
    createdAt: Ms,
    revokedAt: Nullable(Ms),
  },
  { $id: 'AuthUser' },
)
export type AuthUser = Type.Static<typeof AuthUser>

export const TokenResponse = Type.Object(
  {
    accessToken: Type.String({ description: 'JWT for `Authorization: Bearer …` and the /live handshake' }),
    expiresIn: Type.Integer({ description: 'seconds until the access token expires' }),
    refreshToken: Type.String({ description: 'single use: POST it to /auth/refresh for a new pair' }),
    user: AuthUser,
  },
  { $id: 'TokenResponse' },
)
export type TokenResponse = Type.Static<typeof TokenResponse>

export const RefreshRequest = Type.Object(
  { refreshToken: Type.String({ minLength: 1, maxLength: 200 }) },
  { $id: 'RefreshRequest', additionalProperties: false },
)
export type RefreshRequest = Type.Static<typeof RefreshRequest>

export const PrincipalResponse = Type.Object(
  {
    kind: Type.Union([Type.Literal('user'), Type.Literal('display'), Type.Literal('ingest')]),
    id: Type.String(),
    name: Type.String(),
    access: Type.Union([AuthRole, Type.Literal('ingest')]),
    jurisdiction: Type.String(),
    expiresAt: Nullable(Ms),
  },
  { $id: 'PrincipalResponse' },
)
export type PrincipalResponse = Type.Static<typeof PrincipalResponse>

export const UserCreate = Type.Object(
  {
    username: Username,
    role: AuthRole,
    jurisdiction: JurisdictionCode,
    password: Type.Optional(
      Type.String({ minLength: 12, maxLength: 1024, description: 'omit to have one generated (returned once)' }),
    ),
  },
  { $id: 'UserCreate', additionalProperties: false },
)
export type UserCreate = Type.Static<typeof UserCreate>

export const UserCreated = Type.Object(
  { user: AuthUser, password: Type.String({ description: 'shown once' }) },
  { $id: 'UserCreated' },
)
export type UserCreated = Type.Static<typeof UserCreated>

export const IngestKey = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    source: Type.String(),
    jurisdiction: Type.String(),
    createdAt: Ms,
    createdBy: Nullable(Type.String()),
    revokedAt: Nullable(Ms),
  },
  { $id: 'IngestKey' },
)
export type IngestKey = Type.Static<typeof IngestKey>

export const IngestKeyCreate = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    source: Type.String({ minLength: 1, maxLength: 100, description: 'the sending system, e.g. xueliang-platform' }),
    jurisdiction: JurisdictionCode,
  },
  { $id: 'IngestKeyCreate', additionalProperties: false },
)
export type IngestKeyCreate = Type.Static<typeof IngestKeyCreate>

export const IngestKeyCreated = Type.Object(
  { key: IngestKey, secret: Type.String({ description: 'the bearer key; shown once' }) },
  { $id: 'IngestKeyCreated' },
)
export type IngestKeyCreated = Type.Static<typeof IngestKeyCreated>

export const DisplayToken = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    scope: Type.String(),
    createdAt: Ms,
    createdBy: Nullable(Type.String()),
    revokedAt: Nullable(Ms),
  },
  { $id: 'DisplayToken' },
)
export type DisplayToken = Type.Static<typeof DisplayToken>

export const DisplayTokenCreate = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 100 }), scope: JurisdictionCode },
  { $id: 'DisplayTokenCreate', additionalProperties: false },
)
export type DisplayTokenCreate = Type.Static<typeof DisplayTokenCreate>

export const DisplayTokenCreated = Type.Object(
  {
    display: DisplayToken,
    secret: Type.String({ description: 'the token; shown once' }),
    kioskPath: Type.String({ description: 'path (with the token) that opens the wall screen without a login form' }),
  },
  { $id: 'DisplayTokenCreated' },
)
export type DisplayTokenCreated = Type.Static<typeof DisplayTokenCreated>

export const AuthIdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) })
