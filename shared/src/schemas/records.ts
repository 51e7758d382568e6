/**
 * What the read API returns: the stored state of an entity, and its history.
 * Times are ISO 8601 (UTC); positions WGS-84.
 */
import Type from 'typebox'
import { CameraStatus, CaseStatus, DisputeStatus } from './ingest.ts'

const Iso = Type.String({ description: 'ISO 8601, UTC' })
const Nullable = <T extends Type.TSchema>(t: T) => Type.Union([t, Type.Null()])
const Position = { lon: Type.Number(), lat: Type.Number() }
const GridCode = Nullable(
  Type.String({ description: 'finest grid containing the position (or assigned, for members)' }),
)

export const StatusEvent = Type.Object({ status: Type.String(), ts: Iso })
export type StatusEvent = Type.Static<typeof StatusEvent>

export const TrackPoint = Type.Object({ ts: Iso, ...Position })
export type TrackPoint = Type.Static<typeof TrackPoint>

export const CameraRecord = Type.Object(
  {
    id: Type.String(),
    name: Nullable(Type.String()),
    kind: Type.Union([Type.Literal('public'), Type.Literal('social')]),
    status: CameraStatus,
    ...Position,
    gridCode: GridCode,
    ts: Iso,
  },
  { $id: 'CameraRecord' },
)
export type CameraRecord = Type.Static<typeof CameraRecord>

export const MemberRecord = Type.Object(
  {
    id: Type.String(),
    name: Nullable(Type.String()),
    role: Nullable(Type.String()),
    onDuty: Type.Boolean(),
    ...Position,
    gridCode: GridCode,
    accuracy: Nullable(Type.Number()),
    speed: Nullable(Type.Number()),
    heading: Nullable(Type.Number()),
    ts: Iso,
  },
  { $id: 'MemberRecord' },
)
export type MemberRecord = Type.Static<typeof MemberRecord>

export const CaseRecord = Type.Object(
  {
    id: Type.String(),
    type: Type.String(),
    status: CaseStatus,
    priority: Nullable(Type.Integer()),
    title: Nullable(Type.String()),
    source: Nullable(Type.String()),
    assignee: Nullable(Type.String()),
    ...Position,
    gridCode: GridCode,
    reportedAt: Iso,
    ts: Iso,
  },
  { $id: 'CaseRecord' },
)
export type CaseRecord = Type.Static<typeof CaseRecord>

export const DisputeRecord = Type.Object(
  {
    id: Type.String(),
    category: Type.String(),
    status: DisputeStatus,
    title: Nullable(Type.String()),
    parties: Nullable(Type.Integer()),
    ...Position,
    gridCode: GridCode,
    acceptedAt: Iso,
    ts: Iso,
  },
  { $id: 'DisputeRecord' },
)
export type DisputeRecord = Type.Static<typeof DisputeRecord>

export const pageOf = <T extends Type.TSchema>(item: T) =>
  Type.Object({
    items: Type.Array(item),
    nextCursor: Nullable(Type.String({ description: 'pass back as `cursor` for the next page' })),
  })

export const PageQuery = {
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
}
export const GridFilter = Type.Optional(Type.String({ pattern: '^\\d{6,20}$', description: 'grid code' }))
