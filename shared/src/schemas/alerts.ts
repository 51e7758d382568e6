/**
 * Alerts (issue 8): the rules, the alert record with its lifecycle and audit history, and the REST
 * shapes of the alert and dispatch endpoints. One source for validation, TS types and OpenAPI.
 */
import Type from 'typebox'

/** Every rule the server evaluates (docs/alerts.md); also the keys of server/config/alerts.json `rules`. */
export const ALERT_RULES = [
  'cameraOffline',
  'clusterOutage',
  'gridBelowDensity',
  'caseNotDispatched',
  'caseNotResolved',
  'caseP1',
  'caseDuplicate',
  'disputeEscalated',
  'disputeOpenLong',
  'memberSos',
  'memberSilent',
  'memberOutsideGrid',
  'coverageVoid',
] as const
export type AlertRule = (typeof ALERT_RULES)[number]
export const AlertRuleSchema = Type.Enum(ALERT_RULES, { description: 'the rule that raised the alert' })

export const ALERT_SEVERITIES = ['P1', 'P2', 'P3'] as const
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number]
export const AlertSeveritySchema = Type.Enum(ALERT_SEVERITIES, { description: 'P1 most urgent' })

/** raised → acknowledged → resolved; resolved is final (automatically when the condition clears). */
export const ALERT_STATES = ['raised', 'acknowledged', 'resolved'] as const
export type AlertState = (typeof ALERT_STATES)[number]
export const AlertStateSchema = Type.Enum(ALERT_STATES)

export const ALERT_SUBJECT_KINDS = ['camera', 'member', 'case', 'dispute', 'unit'] as const
export type AlertSubjectKind = (typeof ALERT_SUBJECT_KINDS)[number]

const Nullable = <T extends Type.TSchema>(t: T) => Type.Union([t, Type.Null()])

export const AlertSubject = Type.Object({
  kind: Type.Enum(ALERT_SUBJECT_KINDS),
  id: Type.String({ description: 'entity id, or the unit code for unit alerts' }),
})
export type AlertSubject = Type.Static<typeof AlertSubject>

export const Alert = Type.Object(
  {
    id: Type.String(),
    rule: AlertRuleSchema,
    severity: AlertSeveritySchema,
    state: AlertStateSchema,
    unitCode: Type.String({ description: 'the finest unit the subject is in (grid, or the unit itself)' }),
    subject: AlertSubject,
    lon: Nullable(Type.Number()),
    lat: Nullable(Type.Number()),
    raisedAt: Type.Number({ description: 'epoch ms' }),
    lastAt: Type.Number({ description: 'epoch ms of the last occurrence (count)' }),
    count: Type.Integer({ minimum: 1, description: 'occurrences while open (de-duplicated per rule + subject)' }),
    message: Type.Object({ zh: Type.String(), en: Type.String() }),
    ackBy: Nullable(Type.String()),
    ackAt: Nullable(Type.Number()),
    resolvedAt: Nullable(Type.Number()),
    resolvedBy: Nullable(Type.String({ description: 'null when resolved automatically (the condition cleared)' })),
    note: Nullable(Type.String()),
  },
  { $id: 'Alert' },
)
export type Alert = Type.Static<typeof Alert>

export const ALERT_ACTIONS = ['raised', 'repeated', 'acknowledged', 'resolved', 'auto-resolved'] as const
export type AlertAction = (typeof ALERT_ACTIONS)[number]

export const AlertHistoryEntry = Type.Object({
  at: Type.Number({ description: 'epoch ms' }),
  action: Type.Enum(ALERT_ACTIONS),
  by: Nullable(Type.String({ description: 'operator; null for the system' })),
  from: Nullable(Type.String({ description: 'client address of the request' })),
  note: Nullable(Type.String()),
})
export type AlertHistoryEntry = Type.Static<typeof AlertHistoryEntry>

export const AlertDetail = Type.Object({ alert: Alert, history: Type.Array(AlertHistoryEntry) }, { $id: 'AlertDetail' })
export type AlertDetail = Type.Static<typeof AlertDetail>

export const AlertListQuery = Type.Object({
  state: Type.Optional(
    Type.Union([AlertStateSchema, Type.Literal('open')], { description: 'open = raised or acknowledged' }),
  ),
  severity: Type.Optional(AlertSeveritySchema),
  unit: Type.Optional(Type.String({ pattern: '^\\d{6,15}$', description: 'unit code prefix' })),
  rule: Type.Optional(AlertRuleSchema),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
})
export type AlertListQuery = Type.Static<typeof AlertListQuery>

export const AlertList = Type.Object(
  {
    items: Type.Array(Alert, { description: 'newest first' }),
    nextOffset: Nullable(Type.Integer({ minimum: 0 })),
  },
  { $id: 'AlertList' },
)
export type AlertList = Type.Static<typeof AlertList>

export const AlertActionBody = Type.Object(
  {
    note: Type.Optional(Type.String({ maxLength: 500 })),
    operator: Type.Optional(
      Type.String({ minLength: 1, maxLength: 64, description: 'who is acting (name or staff number)' }),
    ),
  },
  { additionalProperties: false },
)
export type AlertActionBody = Type.Static<typeof AlertActionBody>

export const DispatchCandidate = Type.Object({
  id: Type.String(),
  name: Nullable(Type.String()),
  role: Nullable(Type.String()),
  gridCode: Nullable(Type.String()),
  ownGrid: Type.Boolean({ description: "the member's own grid is the case's grid" }),
  distanceM: Type.Number({ description: 'straight-line distance to the case, metres' }),
  lon: Type.Number(),
  lat: Type.Number(),
})
export type DispatchCandidate = Type.Static<typeof DispatchCandidate>

export const DispatchCandidates = Type.Object(
  { caseId: Type.String(), items: Type.Array(DispatchCandidate) },
  { $id: 'DispatchCandidates' },
)
export type DispatchCandidates = Type.Static<typeof DispatchCandidates>

export const DispatchBody = Type.Object(
  {
    memberId: Type.String({ minLength: 1, maxLength: 64 }),
    operator: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  { additionalProperties: false },
)
export type DispatchBody = Type.Static<typeof DispatchBody>

export const DispatchResult = Type.Object(
  { caseId: Type.String(), memberId: Type.String(), status: Type.Literal('dispatched') },
  { $id: 'DispatchResult' },
)
export type DispatchResult = Type.Static<typeof DispatchResult>

/** `/live` payload: the open alerts of the socket's scope (on connect). */
export interface LiveAlerts {
  alerts: Alert[]
}
