import Type from 'typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { AlertActionBody, AlertDetail, AlertList, AlertListQuery, ErrorResponse } from '@gridsight/shared'
import { assertCanSee, listWithin } from '../../../auth/visibility.ts'
import type { AuthRouteConfig } from '../../../plugins/app/auth.ts'

/** Acknowledging, resolving and dispatching: operators and admins, within their jurisdiction. */
export const OPERATORS: AuthRouteConfig = { roles: ['operator', 'admin'] }

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) })

const alerts: FastifyPluginAsyncTypebox = async (app) => {
  const region = app.config.REGION

  app.get(
    '/alerts',
    {
      schema: {
        summary: 'List alerts',
        description:
          'Newest first. Filter by state (open = raised or acknowledged), severity, unit (code prefix) and rule; ' +
          'page with limit and offset (nextOffset).',
        querystring: AlertListQuery,
        response: { 200: AlertList, 400: ErrorResponse, 403: ErrorResponse },
      },
    },
    async (req) => app.alerts.store.list({ ...req.query, unit: listWithin(req, req.query.unit, region) }),
  )

  app.get(
    '/alerts/:id',
    {
      schema: {
        summary: 'One alert with its history',
        description:
          'Every transition: raised, repeated, acknowledged, resolved or auto-resolved; who, when, from where.',
        params: IdParams,
        response: { 200: AlertDetail, 403: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (req, reply) => {
      const found = await app.alerts.store.get(req.params.id)
      if (!found) return reply.code(404).send({ error: 'Not Found', message: `no alert ${req.params.id}` })
      assertCanSee(req, found.alert.unitCode, region, `alert ${req.params.id}`)
      return found
    },
  )

  for (const action of ['ack', 'resolve'] as const) {
    app.post(
      `/alerts/:id/${action}`,
      {
        config: { auth: OPERATORS },
        schema: {
          summary: action === 'ack' ? 'Acknowledge an alert' : 'Resolve an alert',
          description:
            (action === 'ack'
              ? 'raised → acknowledged (again: no change). '
              : 'raised or acknowledged → resolved; not raised again while its condition still holds. ') +
            'Needs an operator or admin whose jurisdiction holds the alert. Recorded with the user, the time ' +
            'and the client address.',
          params: IdParams,
          body: Type.Optional(AlertActionBody),
          response: {
            200: AlertDetail,
            401: ErrorResponse,
            403: ErrorResponse,
            404: ErrorResponse,
            409: ErrorResponse,
          },
        },
      },
      async (req, reply) => {
        const { id } = req.params
        // the authenticated user, never a name the client chose
        const by = req.principal?.name ?? 'operator'
        const note = req.body?.note ?? null
        const book = app.alerts.book
        const open = book.getOpen(id)
        if (!open) {
          const known = await app.alerts.store.get(id)
          if (!known) return reply.code(404).send({ error: 'Not Found', message: `no alert ${id}` })
          assertCanSee(req, known.alert.unitCode, region, `alert ${id}`)
          return reply.code(409).send({ error: 'Conflict', message: `alert ${id} is already resolved` })
        }
        assertCanSee(req, open.unitCode, region, `alert ${id}`)
        if (action === 'ack') book.acknowledge(id, by, req.ip, note, Date.now())
        else book.resolve(id, by, req.ip, note, Date.now())
        await app.alerts.store.idle()
        return (await app.alerts.store.get(id))!
      },
    )
  }
}

export default alerts
