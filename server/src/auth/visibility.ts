/**
 * Jurisdiction checks for route handlers. The auth hook has already authenticated the request;
 * these decide whether what it asks for lies within the principal's unit. Refusals are 403 with
 * a message naming the unit, never a silent empty answer: a street centre that asks for the
 * neighbouring street should learn why it sees nothing.
 */
import type { FastifyRequest } from 'fastify'
import type { Principal } from './roles.ts'

export class OutsideJurisdictionError extends Error {
  override name = 'ForbiddenError'
  statusCode = 403
}

/** The principal of an API request (set by the auth hook; absent only under the 'open' test policy). */
export function principalOf(req: FastifyRequest): Principal | null {
  return req.principal
}

/**
 * Whether the request may see something in `unitCode` (a grid or any unit). An entity with no grid
 * (outside every grid of the region) is visible to region-wide principals only.
 */
export function canSeeUnit(req: FastifyRequest, unitCode: string | null, region: string): boolean {
  const p = principalOf(req)
  if (!p) return true
  return unitCode === null ? p.jurisdiction === region : p.canSee(unitCode)
}

export function assertCanSee(req: FastifyRequest, unitCode: string | null, region: string, what: string): void {
  if (!canSeeUnit(req, unitCode, region)) {
    throw new OutsideJurisdictionError(
      `${what} is in ${unitCode ?? 'no grid'}, outside your jurisdiction ${req.principal?.jurisdiction ?? ''}`,
    )
  }
}

/**
 * The unit prefix a list is limited to: the one asked for when it lies within the jurisdiction
 * (403 otherwise), else the jurisdiction itself; undefined means the whole region.
 */
export function listWithin(req: FastifyRequest, asked: string | undefined, region: string): string | undefined {
  const p = principalOf(req)
  if (asked !== undefined) {
    if (p && !p.canSee(asked)) {
      throw new OutsideJurisdictionError(`unit ${asked} is outside your jurisdiction ${p.jurisdiction}`)
    }
    return asked === region ? undefined : asked
  }
  if (!p || p.jurisdiction === region) return undefined
  return p.jurisdiction
}
