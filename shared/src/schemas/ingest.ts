/**
 * Ingest items, one schema per kind: the single source for the server's
 * validation, the TypeScript types and the OpenAPI docs.
 */
import Type from 'typebox'

/** Stable external id: GB/T 28181 camera codes, staff numbers, case numbers… */
export const EntityId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$' })

/** ISO 8601 date-time with an explicit offset (Z or ±hh:mm). */
export const Timestamp = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2})$',
  description: 'ISO 8601 with offset, e.g. 2026-11-22T09:30:00+08:00',
})

export const CrsSchema = Type.Union(
  [Type.Literal('wgs84'), Type.Literal('gcj02'), Type.Literal('bd09'), Type.Literal('cgcs2000')],
  {
    description: 'coordinate system of lon/lat; default wgs84 (CGCS2000 is treated as WGS-84)',
  },
)

export const Lon = Type.Number({ minimum: -180, maximum: 180 })
export const Lat = Type.Number({ minimum: -90, maximum: 90 })

export const CameraStatus = Type.Union([Type.Literal('online'), Type.Literal('offline'), Type.Literal('fault')])
export type CameraStatus = Type.Static<typeof CameraStatus>

export const CameraItem = Type.Object(
  {
    id: EntityId,
    status: CameraStatus,
    ts: Timestamp,
    name: Type.Optional(Type.String({ maxLength: 200 })),
    lon: Type.Optional(Lon),
    lat: Type.Optional(Lat),
    kind: Type.Optional(
      Type.Union([Type.Literal('public'), Type.Literal('social')], { description: '公建 or 社会/众筹' }),
    ),
    crs: Type.Optional(CrsSchema),
  },
  { $id: 'CameraItem', additionalProperties: false },
)
export type CameraItem = Type.Static<typeof CameraItem>

export const MemberRole = Type.Union(
  [Type.Literal('full_time'), Type.Literal('part_time'), Type.Literal('police'), Type.Literal('auxiliary')],
  { description: '专职网格员 · 兼职网格员 · 社区民警 · 辅警' },
)
export type MemberRole = Type.Static<typeof MemberRole>

export const MemberItem = Type.Object(
  {
    id: EntityId,
    lon: Lon,
    lat: Lat,
    ts: Timestamp,
    crs: Type.Optional(CrsSchema),
    accuracy: Type.Optional(Type.Number({ minimum: 0, maximum: 10000, description: 'metres' })),
    speed: Type.Optional(Type.Number({ minimum: 0, maximum: 100, description: 'm/s' })),
    heading: Type.Optional(Type.Number({ minimum: 0, maximum: 360, description: 'degrees from north' })),
    onDuty: Type.Optional(Type.Boolean()),
    name: Type.Optional(Type.String({ maxLength: 100 })),
    role: Type.Optional(MemberRole),
    gridCode: Type.Optional(Type.String({ pattern: '^\\d{6,20}$' })),
    sos: Type.Optional(Type.Boolean()),
  },
  { $id: 'MemberItem', additionalProperties: false },
)
export type MemberItem = Type.Static<typeof MemberItem>

export const CaseStatus = Type.Union([
  Type.Literal('reported'),
  Type.Literal('dispatched'),
  Type.Literal('handling'),
  Type.Literal('resolved'),
  Type.Literal('closed'),
])
export type CaseStatus = Type.Static<typeof CaseStatus>

export const CaseItem = Type.Object(
  {
    id: EntityId,
    type: Type.String({ minLength: 1, maxLength: 64 }),
    status: CaseStatus,
    lon: Lon,
    lat: Lat,
    ts: Timestamp,
    priority: Type.Optional(Type.Integer({ minimum: 1, maximum: 3, description: '1 = most urgent' })),
    title: Type.Optional(Type.String({ maxLength: 200 })),
    source: Type.Optional(
      Type.Union([Type.Literal('app'), Type.Literal('hotline'), Type.Literal('patrol'), Type.Literal('video')]),
    ),
    assignee: Type.Optional(EntityId),
    crs: Type.Optional(CrsSchema),
  },
  { $id: 'CaseItem', additionalProperties: false },
)
export type CaseItem = Type.Static<typeof CaseItem>

export const DisputeStatus = Type.Union([
  Type.Literal('accepted'),
  Type.Literal('assigned'),
  Type.Literal('mediating'),
  Type.Literal('resolved'),
  Type.Literal('unresolved'),
  Type.Literal('escalated'),
])
export type DisputeStatus = Type.Static<typeof DisputeStatus>

export const DisputeItem = Type.Object(
  {
    id: EntityId,
    category: Type.String({ minLength: 1, maxLength: 64 }),
    status: DisputeStatus,
    lon: Lon,
    lat: Lat,
    ts: Timestamp,
    title: Type.Optional(Type.String({ maxLength: 200 })),
    parties: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000, description: 'number of parties' })),
    crs: Type.Optional(CrsSchema),
  },
  { $id: 'DisputeItem', additionalProperties: false },
)
export type DisputeItem = Type.Static<typeof DisputeItem>

export const IngestKind = Type.Union([
  Type.Literal('cameras'),
  Type.Literal('members'),
  Type.Literal('cases'),
  Type.Literal('disputes'),
])
export type IngestKind = Type.Static<typeof IngestKind>

export const ingestItemSchemas = {
  cameras: CameraItem,
  members: MemberItem,
  cases: CaseItem,
  disputes: DisputeItem,
} as const

export interface IngestItemByKind {
  cameras: CameraItem
  members: MemberItem
  cases: CaseItem
  disputes: DisputeItem
}

export const IngestResponse = Type.Object(
  {
    accepted: Type.Integer({ minimum: 0, description: 'items stored (including idempotent re-sends)' }),
    rejected: Type.Array(
      Type.Object({
        index: Type.Integer({ minimum: 0 }),
        id: Type.Union([Type.String(), Type.Null()]),
        errors: Type.Array(Type.String()),
      }),
    ),
  },
  { $id: 'IngestResponse' },
)
export type IngestResponse = Type.Static<typeof IngestResponse>
