import Type from 'typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { DispatchBody, DispatchCandidates, DispatchResult, ErrorResponse } from '@gridsight/shared'
import { assertCanSee, canSeeUnit } from '../../../auth/visibility.ts'
import { OPERATORS } from './alerts.ts'

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) })

/** One-click dispatch (issue 8): the nearest on-duty members, and the assignment through ingest. */
const dispatch: FastifyPluginAsyncTypebox = async (app) => {
  const region = app.config.REGION
  app.get(
    '/cases/:id/dispatch-candidates',
    {
      schema: {
        summary: 'Members to dispatch to a case',
        description:
          "On-duty members (not in SOS): those of the case's own grid first, then by straight-line distance.",
        params: IdParams,
        querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 5 })) }),
        response: { 200: DispatchCandidates, 403: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (req, reply) => {
      const c = app.entities.cases.get(req.params.id)
      if (c) assertCanSee(req, c.gridCode, region, `case ${req.params.id}`)
      const limit = req.query.limit ?? 5
      // members of other jurisdictions are not shown (nor counted against the limit)
      const all = app.alerts.engine.dispatchCandidates(req.params.id, 50)
      if (!all) return reply.code(404).send({ error: 'Not Found', message: `no case ${req.params.id}` })
      const items = all.filter((m) => canSeeUnit(req, m.gridCode, region)).slice(0, limit)
      return { caseId: req.params.id, items }
    },
  )

  app.post(
    '/cases/:id/dispatch',
    {
      config: { auth: OPERATORS },
      schema: {
        summary: 'Dispatch a case to a member',
        description:
          'Moves a reported case to dispatched with the member as assignee, through the same ingest path as ' +
          'every source (so its not-dispatched and priority-1 alerts clear). Needs an operator or admin ' +
          'whose jurisdiction holds the case.',
        params: IdParams,
        body: DispatchBody,
        response: {
          200: DispatchResult,
          401: ErrorResponse,
          403: ErrorResponse,
          404: ErrorResponse,
          409: ErrorResponse,
        },
      },
    },
    async (req, reply) => {
      const { id } = req.params
      const c = app.entities.cases.get(id)
      if (!c) return reply.code(404).send({ error: 'Not Found', message: `no case ${id}` })
      assertCanSee(req, c.gridCode, region, `case ${id}`)
      const member = app.entities.members.get(req.body.memberId)
      if (!member) {
        return reply.code(404).send({ error: 'Not Found', message: `no member ${req.body.memberId}` })
      }
      assertCanSee(req, member.gridCode, region, `member ${member.id}`)
      if (c.status !== 'reported') {
        return reply.code(409).send({ error: 'Conflict', message: `case ${id} is already ${c.status}` })
      }
      // event time now, but always after what is stored (an equal or older ts would be ignored as stale)
      const ts = new Date(Math.max(Date.now(), c.ts + 1)).toISOString()
      const result = await app.ingest.ingest('cases', [
        { id, type: c.type, status: 'dispatched', lon: c.lon, lat: c.lat, ts, assignee: req.body.memberId },
      ])
      if (result.accepted !== 1 || result.rejected.length > 0) {
        return reply
          .code(409)
          .send({ error: 'Conflict', message: result.rejected[0]?.errors.join('; ') ?? 'not accepted' })
      }
      req.log.info({ case: id, member: req.body.memberId, by: req.principal?.name ?? 'operator' }, 'case dispatched')
      return { caseId: id, memberId: req.body.memberId, status: 'dispatched' as const }
    },
  )
}

export default dispatch
