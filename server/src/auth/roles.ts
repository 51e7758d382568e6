/**
 * Who may do what, and where. A principal is whoever a request or socket was authenticated as:
 * a user (by role), a wall display (bound to one scope) or an ingest source (write-only).
 * Jurisdiction is a unit code: unit codes are hierarchical (district 330402 → street 330402007 →
 * community 330402007024 → grid 330402007024001), so a principal sees a unit when the unit's
 * code starts with its jurisdiction.
 */
export const ROLES = ['admin', 'leader', 'operator', 'display'] as const
export type Role = (typeof ROLES)[number]

/** What a route may require: a user role, or `ingest` for ingest keys. */
export type Access = Role | 'ingest'

export type PrincipalKind = 'user' | 'display' | 'ingest'

export interface Principal {
  kind: PrincipalKind
  /** user id, display-token id or ingest-key id */
  id: string
  /** username, display or key name */
  name: string
  /** ingest keys act as `ingest`, never as a user role */
  access: Access
  /** unit code; everything the principal sees starts with it */
  jurisdiction: string
  /** the login session (refresh-token family) an access token belongs to */
  sessionId?: string
  /** epoch ms after which the credential must be refreshed (access tokens only) */
  expiresAt?: number
  canSee(unitCode: string): boolean
}

export const UNIT_CODE = /^\d{6}(\d{3}){0,3}$/

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value)
}

/** A code with the jurisdiction as prefix: the jurisdiction itself and every unit below it. */
export function withinJurisdiction(jurisdiction: string, unitCode: string): boolean {
  return jurisdiction.length > 0 && unitCode.startsWith(jurisdiction)
}

export function makePrincipal(p: Omit<Principal, 'canSee'>): Principal {
  return { ...p, canSee: (code) => withinJurisdiction(p.jurisdiction, code) }
}
