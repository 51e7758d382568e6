/**
 * REST shapes of the KPIs: `GET /api/v1/stats` (one unit, one window) and
 * `GET /api/v1/stats/ranking` (units of a level ranked by one figure, 排名通报).
 */
import Type from 'typebox'
import { KPI_FIELDS, KPI_WINDOWS } from '../protocol.ts'
import { UnitLevel } from './region.ts'

const Num = Type.Union([Type.Number(), Type.Null()], { description: 'null when undefined (no denominator)' })
const Int = Type.Integer({ minimum: 0 })
const Counts = Type.Record(Type.String(), Type.Integer())

export const KpiWindowSchema = Type.Enum(KPI_WINDOWS, {
  description: 'local days in the region time zone: today, the last 7 / 30 days including today, the year so far',
})

export const KpiFieldSchema = Type.Enum(KPI_FIELDS, { description: 'a live KPI field (docs/protocol.md)' })

export const StatsQuery = Type.Object({
  unit: Type.Optional(Type.String({ pattern: '^\\d{6,15}$', description: 'unit code; default the region' })),
  window: Type.Optional(KpiWindowSchema),
})
export type StatsQuery = Type.Static<typeof StatsQuery>

const TrendBlock = Type.Object({
  start: Type.Number({ description: 'epoch ms of the first bucket' }),
  casesNew: Type.Array(Int),
  casesResolved: Type.Array(Int),
  disputesNew: Type.Array(Int),
  disputesResolved: Type.Array(Int),
  cameraOnlineRate: Type.Array(Num, { description: 'latest rate seen in the bucket; null before the server ran' }),
})

export const UnitStats = Type.Object(
  {
    unit: Type.Object({
      code: Type.String(),
      name: Type.String(),
      level: UnitLevel,
      parent: Type.Union([Type.String(), Type.Null()]),
      urban: Type.Boolean(),
      areaKm2: Type.Number(),
    }),
    window: KpiWindowSchema,
    windowStart: Type.Number({ description: 'epoch ms of the window start (local midnight)' }),
    ts: Type.Number({ description: 'server time of the figures, epoch ms' }),
    timeZone: Type.String(),
    cameras: Type.Object({
      total: Int,
      online: Int,
      offline: Int,
      fault: Int,
      public: Int,
      social: Int,
      density: Num,
      onlineDensity: Num,
      standard: Type.Number({ description: 'cameras per km² this unit should have (urban or not)' }),
      compliance: Num,
      belowStandard: Type.Union([Type.Boolean(), Type.Null()]),
      onlineRate: Num,
      grids: Int,
      gridsMeetingStandard: Int,
    }),
    members: Type.Object({
      onDuty: Int,
      offDuty: Int,
      silent: Type.Integer({ minimum: 0, description: 'on duty, no position for silentMinutes' }),
      silentMinutes: Type.Number(),
      voidGrids: Type.Integer({ minimum: 0, description: 'grids with no member on duty' }),
    }),
    cases: Type.Object({
      byStatus: Counts,
      open: Int,
      overdue: Type.Object({ dispatch: Int, resolve: Int, total: Int }),
      new: Int,
      resolved: Type.Integer({ minimum: 0, description: 'resolved or closed within the window' }),
      closureRate: Num,
      avgHandlingMin: Num,
      p90HandlingMin: Num,
      sla: Type.Object({
        dispatchMinutes: Type.Number(),
        resolveWorkingDays: Type.Number(),
        byType: Type.Record(
          Type.String(),
          Type.Object({ dispatchMinutes: Type.Number(), resolveWorkingDays: Type.Number() }),
        ),
      }),
    }),
    disputes: Type.Object({
      byStatusAll: Counts,
      open: Int,
      escalatedOpen: Int,
      backlog: Type.Object({
        count: Int,
        avgAgeDays: Num,
        olderThanDays: Type.Number(),
        old: Int,
      }),
      new: Int,
      byStatus: Counts,
      byCategory: Counts,
      resolved: Int,
      unresolved: Int,
      escalated: Int,
      resolutionRate: Num,
    }),
    trends: Type.Object({ hourly: TrendBlock, daily: TrendBlock }),
  },
  { $id: 'UnitStats' },
)
export type UnitStats = Type.Static<typeof UnitStats>

export const RankingQuery = Type.Object({
  level: Type.Optional(UnitLevel),
  metric: KpiFieldSchema,
  order: Type.Optional(
    Type.Union([Type.Literal('desc'), Type.Literal('asc')], {
      description: 'rank 1 = highest (desc) or lowest (asc); default: the better end of the figure',
    }),
  ),
})
export type RankingQuery = Type.Static<typeof RankingQuery>

export const Ranking = Type.Object(
  {
    level: UnitLevel,
    metric: Type.String(),
    order: Type.Union([Type.Literal('desc'), Type.Literal('asc')]),
    ts: Type.Number(),
    yesterday: Type.Union([Type.String(), Type.Null()], { description: 'local date of the comparison, if known' }),
    items: Type.Array(
      Type.Object({
        code: Type.String(),
        name: Type.String(),
        value: Num,
        rank: Type.Union([Type.Integer(), Type.Null()]),
        valueYesterday: Num,
        rankYesterday: Type.Union([Type.Integer(), Type.Null()]),
        change: Type.Union([Type.Integer(), Type.Null()], { description: 'places gained since yesterday' }),
      }),
    ),
  },
  { $id: 'Ranking' },
)
export type Ranking = Type.Static<typeof Ranking>

/** Figures where less is better: rankings put their lowest first by default. */
export const KPI_LOWER_IS_BETTER: ReadonlySet<string> = new Set(
  KPI_FIELDS.filter((f) =>
    /^(cameras\.(offline|fault|belowStandard)|members\.(offDuty|silent|voidGrids)|cases\.(reported|dispatched|handling|open|overdue.*|avgHandlingMin\..*|p90HandlingMin\..*)|disputes\.(open|escalatedOpen|backlogOld|unresolved\..*|escalated\..*))$/.test(
      f,
    ),
  ),
)

export const TrendSpan = Type.Union([Type.Literal('24h'), Type.Literal('30d')], {
  description: '24h: the last 24 local hours (current hour last); 30d: the last 30 local days (today last)',
})
export type TrendSpan = Type.Static<typeof TrendSpan>

export const TrendsQuery = Type.Object({
  unit: Type.Optional(Type.String({ pattern: '^\\d{6,15}$', description: 'unit code; default the region' })),
  span: Type.Optional(TrendSpan),
})
export type TrendsQuery = Type.Static<typeof TrendsQuery>

export const TrendBucket = Type.Object({
  start: Type.String({ description: 'bucket start (local hour or local midnight), ISO 8601' }),
  newCases: Type.Integer({ minimum: 0, description: 'cases reported in the bucket' }),
  newDisputes: Type.Integer({ minimum: 0, description: 'disputes accepted in the bucket' }),
  resolutions: Type.Integer({ minimum: 0, description: 'casesResolved + disputesResolved' }),
  casesResolved: Type.Integer({ minimum: 0, description: 'cases that entered resolved/closed in the bucket' }),
  disputesResolved: Type.Integer({ minimum: 0, description: 'disputes that entered resolved in the bucket' }),
  onlineRate: Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()], {
    description: 'camera online rate at the end of the bucket (now for the current one); null: no cameras or no data',
  }),
})
export type TrendBucket = Type.Static<typeof TrendBucket>

export const Trends = Type.Object(
  {
    unit: Type.String({ description: 'unit code' }),
    span: TrendSpan,
    timeZone: Type.String({ description: 'the region time zone that buckets follow' }),
    ts: Type.Number({ description: 'server time of the figures, epoch ms' }),
    buckets: Type.Array(TrendBucket, { description: 'oldest first; 24 hourly or 30 daily buckets' }),
  },
  { $id: 'Trends' },
)
export type Trends = Type.Static<typeof Trends>

export const KpiConsistency = Type.Object(
  {
    checkedAt: Type.String({ description: 'when the check ran, ISO 8601' }),
    consistent: Type.Boolean({ description: 'every figure of every unit equals a full recompute from the database' }),
    ms: Type.Number({ description: 'duration of the full recompute (database reads included), ms' }),
    units: Type.Integer({ minimum: 0 }),
    fields: Type.Integer({ minimum: 0 }),
    mismatchedUnits: Type.Integer({ minimum: 0 }),
    first: Type.Union(
      [
        Type.Object({
          unit: Type.String(),
          field: Type.String(),
          incremental: Num,
          recomputed: Num,
        }),
        Type.Null(),
      ],
      { description: 'the first differing unit (by code) and field; null when consistent' },
    ),
  },
  { $id: 'KpiConsistency' },
)
export type KpiConsistency = Type.Static<typeof KpiConsistency>
