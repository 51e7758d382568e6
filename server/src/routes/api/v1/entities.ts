/**
 * Read side: one entity with its history, and filtered lists with keyset paging.
 */
import Type from 'typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  CameraRecord,
  CameraStatus,
  CaseRecord,
  CaseStatus,
  DisputeRecord,
  DisputeStatus,
  EntityId,
  ErrorResponse,
  GridFilter,
  MemberRecord,
  PageQuery,
  StatusEvent,
  TrackPoint,
  pageOf,
} from '@gridsight/shared'
import type { CameraRow, CaseRow, DisputeRow, MemberRow } from '../../../db/index.ts'
import { assertCanSee, listWithin } from '../../../auth/visibility.ts'

const iso = (ms: number) => new Date(ms).toISOString()
const events = (list: { status: string; ts: number }[]) => list.map((e) => ({ status: e.status, ts: iso(e.ts) }))

const camera = (r: CameraRow) => ({ ...r, ts: iso(r.ts) })
const member = (r: MemberRow) => ({ ...r, ts: iso(r.ts) })
const caseRecord = (r: CaseRow) => ({
  ...r,
  status: r.status as CaseStatus,
  reportedAt: iso(r.reportedAt),
  ts: iso(r.ts),
})
const dispute = (r: DisputeRow) => ({
  ...r,
  status: r.status as DisputeStatus,
  acceptedAt: iso(r.acceptedAt),
  ts: iso(r.ts),
})

/** Start of today in China Standard Time (UTC+8, no daylight saving). */
export function startOfDayCst(now: number): number {
  const DAY = 86_400_000
  const OFFSET = 8 * 3_600_000
  return Math.floor((now + OFFSET) / DAY) * DAY - OFFSET
}

const IdParams = Type.Object({ id: EntityId })
const notFound = (what: string, id: string) =>
  Object.assign(new Error(`no ${what} with id "${id}"`), { statusCode: 404 })

const entities: FastifyPluginAsyncTypebox = async (app) => {
  const { store } = app
  const region = app.config.REGION
  const forbidden = { 403: ErrorResponse }

  app.get(
    '/cameras',
    {
      schema: {
        summary: 'List cameras',
        querystring: Type.Object({ status: Type.Optional(CameraStatus), gridCode: GridFilter, ...PageQuery }),
        response: { 200: pageOf(CameraRecord), 400: ErrorResponse },
      },
    },
    async (req) => {
      const page = await store.listCameras({ ...req.query, within: listWithin(req, req.query.gridCode, region) })
      return { items: page.items.map(camera), nextCursor: page.nextCursor }
    },
  )
  app.get(
    '/cameras/:id',
    {
      schema: {
        summary: 'One camera with its status history',
        params: IdParams,
        response: {
          200: Type.Intersect([CameraRecord, Type.Object({ history: Type.Array(StatusEvent) })]),
          404: ErrorResponse,
          ...forbidden,
        },
      },
    },
    async (req) => {
      const row = await store.getCamera(req.params.id)
      if (!row) throw notFound('camera', req.params.id)
      assertCanSee(req, row.gridCode, region, `camera ${row.id}`)
      return { ...camera(row), history: events(await store.cameraEvents(row.id)) }
    },
  )

  app.get(
    '/members',
    {
      schema: {
        summary: 'List grid members',
        querystring: Type.Object({ onDuty: Type.Optional(Type.Boolean()), gridCode: GridFilter, ...PageQuery }),
        response: { 200: pageOf(MemberRecord), 400: ErrorResponse },
      },
    },
    async (req) => {
      const page = await store.listMembers({ ...req.query, within: listWithin(req, req.query.gridCode, region) })
      return { items: page.items.map(member), nextCursor: page.nextCursor }
    },
  )
  app.get(
    '/members/:id',
    {
      schema: {
        summary: "One member with today's track (China Standard Time)",
        params: IdParams,
        response: {
          200: Type.Intersect([MemberRecord, Type.Object({ track: Type.Array(TrackPoint) })]),
          404: ErrorResponse,
          ...forbidden,
        },
      },
    },
    async (req) => {
      const row = await store.getMember(req.params.id)
      if (!row) throw notFound('member', req.params.id)
      assertCanSee(req, row.gridCode, region, `member ${row.id}`)
      const track = await store.memberTrack(row.id, startOfDayCst(Date.now()))
      return { ...member(row), track: track.map((p) => ({ ts: iso(p.ts), lon: p.lon, lat: p.lat })) }
    },
  )

  app.get(
    '/cases',
    {
      schema: {
        summary: 'List cases (事件)',
        querystring: Type.Object({
          status: Type.Optional(CaseStatus),
          type: Type.Optional(Type.String({ maxLength: 64 })),
          gridCode: GridFilter,
          ...PageQuery,
        }),
        response: { 200: pageOf(CaseRecord), 400: ErrorResponse },
      },
    },
    async (req) => {
      const page = await store.listCases({ ...req.query, within: listWithin(req, req.query.gridCode, region) })
      return { items: page.items.map(caseRecord), nextCursor: page.nextCursor }
    },
  )
  app.get(
    '/cases/:id',
    {
      schema: {
        summary: 'One case with its lifecycle',
        params: IdParams,
        response: {
          200: Type.Intersect([CaseRecord, Type.Object({ history: Type.Array(StatusEvent) })]),
          404: ErrorResponse,
          ...forbidden,
        },
      },
    },
    async (req) => {
      const row = await store.getCase(req.params.id)
      if (!row) throw notFound('case', req.params.id)
      assertCanSee(req, row.gridCode, region, `case ${row.id}`)
      return { ...caseRecord(row), history: events(await store.caseEvents(row.id)) }
    },
  )

  app.get(
    '/disputes',
    {
      schema: {
        summary: 'List disputes (矛盾纠纷)',
        querystring: Type.Object({
          status: Type.Optional(DisputeStatus),
          category: Type.Optional(Type.String({ maxLength: 64 })),
          gridCode: GridFilter,
          ...PageQuery,
        }),
        response: { 200: pageOf(DisputeRecord), 400: ErrorResponse },
      },
    },
    async (req) => {
      const page = await store.listDisputes({ ...req.query, within: listWithin(req, req.query.gridCode, region) })
      return { items: page.items.map(dispute), nextCursor: page.nextCursor }
    },
  )
  app.get(
    '/disputes/:id',
    {
      schema: {
        summary: 'One dispute with its lifecycle',
        params: IdParams,
        response: {
          200: Type.Intersect([DisputeRecord, Type.Object({ history: Type.Array(StatusEvent) })]),
          404: ErrorResponse,
          ...forbidden,
        },
      },
    },
    async (req) => {
      const row = await store.getDispute(req.params.id)
      if (!row) throw notFound('dispute', req.params.id)
      assertCanSee(req, row.gridCode, region, `dispute ${row.id}`)
      return { ...dispute(row), history: events(await store.disputeEvents(row.id)) }
    },
  )
}
export default entities
