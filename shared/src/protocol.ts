/**
 * The live stream between server and screens (Socket.IO namespace `/live`,
 * msgpack parser). Entities travel columnar and binary; see docs/protocol.md.
 */
import type { WireBytes } from './binary.ts'
import type { Alert, LiveAlerts } from './schemas/alerts.ts'

export const LIVE_NAMESPACE = '/live'
export const SOCKET_PATH = '/socket.io'

export const LiveEvent = {
  /** server → client: full state for the client's scope */
  snapshot: 'snapshot',
  /** server → client: changes since the previous seq */
  delta: 'delta',
  /** client → server: ask for a fresh snapshot (gap or new epoch seen) */
  resync: 'resync',
  /** server → client: the open alerts of the client's scope, sent on connect (docs/alerts.md) */
  alerts: 'alerts',
  /** server → client: one alert raised, repeated, acknowledged or resolved */
  alert: 'alert',
} as const

export const ENTITY_KINDS = ['members', 'cameras', 'cases', 'disputes'] as const
export type EntityKind = (typeof ENTITY_KINDS)[number]

/** Status byte per kind: the code is the index in these lists. */
export const STATUS_CODES = {
  members: ['off-duty', 'on-duty', 'sos'],
  cameras: ['online', 'offline', 'fault'],
  cases: ['reported', 'dispatched', 'handling', 'resolved', 'closed'],
  disputes: ['accepted', 'assigned', 'mediating', 'resolved', 'unresolved', 'escalated'],
} as const satisfies Record<EntityKind, readonly string[]>

/**
 * The statuses that finish a case or a dispute (the KPI engine counts them done). An escalated
 * dispute (督办) is not finished: it goes on, higher up. Finished items older than the server's
 * retention leave the live stream at its daily compaction (docs/protocol.md).
 */
export const FINISHED_STATUSES = {
  cases: ['resolved', 'closed'],
  disputes: ['resolved', 'unresolved'],
} as const satisfies { [K in 'cases' | 'disputes']: readonly (typeof STATUS_CODES)[K][number][] }

/**
 * The kinds whose rows carry a time (`at`, uint32 Unix seconds, 0 unknown): a camera's last
 * report (heartbeat or status), a case's report time, a dispute's acceptance time. Members carry
 * none: their update stays 15 bytes.
 */
export const TIMED_KINDS = ['cameras', 'cases', 'disputes'] as const satisfies readonly EntityKind[]

/**
 * The kinds whose rows carry a `flags` column (uint8 bits per row, 0: none): cases only, whose
 * bits are CASE_FLAGS. Members carry none: their update stays 15 bytes.
 */
export const FLAGGED_KINDS = ['cases'] as const satisfies readonly EntityKind[]

/**
 * Bits of a case's `flags`, set by the server's KPI engine on its own calendar and SLAs
 * (server/config/kpi.json): past the dispatch deadline while still reported, past the resolve
 * deadline (working days) while not yet resolved or closed. The server sets them when time alone
 * passes a deadline and clears them when the case moves on, sending the row in a delta each time.
 */
export const CASE_FLAGS = {
  dispatchOverdue: 1,
  resolveOverdue: 2,
} as const

/**
 * One entity kind as parallel columns. A row's index is its wire index for the
 * life of the stream. `attr` indexes `dict`: the member's role, the camera's kind
 * (public/social), the case's type, the dispute's category.
 */
export interface TableSnapshot<B = WireBytes> {
  ids: string[]
  dict: string[]
  /** float32 lon,lat interleaved */
  pos: B
  /** uint8 status code (STATUS_CODES) */
  status: B
  /** uint16 index into dict */
  attr: B
  /** TIMED_KINDS only: uint32 Unix seconds per row (0: unknown), see TIMED_KINDS */
  at?: B
  /** FLAGGED_KINDS only: uint8 bits per row (CASE_FLAGS); absent from a server that sends none */
  flags?: B
}

export interface TableChanges<B = WireBytes> {
  /** ids registered since the previous delta; they take the next indexes, in order */
  added: string[]
  /** dict entries added since the previous delta, appended in order */
  dictAdded: string[]
  /** uint32 row indexes of the changed entities */
  idx: B
  /** float32 lon,lat per changed row */
  pos: B
  /** uint8 status per changed row */
  status: B
  /** uint16 attr per changed row */
  attr: B
  /** TIMED_KINDS only: uint32 Unix seconds per changed row (0: unknown) */
  at?: B
  /** FLAGGED_KINDS only: uint8 bits per changed row (CASE_FLAGS) */
  flags?: B
}

export interface LiveSnapshot<B = WireBytes> {
  /** changes when the server's history is lost (restart) */
  epoch: string
  /** the unit code this stream is scoped to (the region's adcode for everything) */
  scope: string
  seq: number
  /** server time of the state, epoch ms */
  ts: number
  tables: Record<EntityKind, TableSnapshot<B>>
  /** figures of the scope unit, its descendants and its ancestors */
  kpis?: LiveKpis
}

export interface LiveDelta<B = WireBytes> {
  epoch: string
  scope: string
  /** exactly previous seq + 1 within one epoch and scope */
  seq: number
  ts: number
  /** only the kinds that changed */
  tables: Partial<Record<EntityKind, TableChanges<B>>>
  /** only the units (within the scope, or its ancestors) whose figures changed since the previous delta */
  kpis?: LiveKpis
}

/** The KPI windows: today, the last 7 and 30 days (today included) and the year so far, in local days. */
export const KPI_WINDOWS = ['today', '7d', '30d', 'year'] as const
export type KpiWindow = (typeof KPI_WINDOWS)[number]

const windowed = <const P extends string, const N extends readonly string[]>(prefix: P, names: N) =>
  KPI_WINDOWS.flatMap((w) => names.map((n) => `${prefix}.${n}.${w}` as const))

/**
 * The figures per unit on the live stream, in this order (docs/protocol.md, "KPIs"). Densities are
 * per km²; rates are 0–1; times in minutes; `disputes.backlogMeanAcceptedAt` is epoch ms (age =
 * now − it). A value is null when it has no denominator (a rate over zero cases).
 */
export const KPI_FIELDS = [
  'cameras.total',
  'cameras.online',
  'cameras.offline',
  'cameras.fault',
  'cameras.public',
  'cameras.social',
  'cameras.density',
  'cameras.onlineDensity',
  'cameras.standard',
  'cameras.compliance',
  'cameras.belowStandard',
  'cameras.onlineRate',
  'cameras.grids',
  'cameras.gridsMeeting',
  'members.onDuty',
  'members.offDuty',
  'members.silent',
  'members.voidGrids',
  'cases.reported',
  'cases.dispatched',
  'cases.handling',
  'cases.open',
  'cases.overdueDispatch',
  'cases.overdueResolve',
  'cases.overdue',
  'disputes.open',
  'disputes.escalatedOpen',
  'disputes.backlogMeanAcceptedAt',
  'disputes.backlogOld',
  ...windowed('cases', ['new', 'resolved', 'closureRate', 'avgHandlingMin', 'p90HandlingMin']),
  ...windowed('disputes', ['new', 'resolved', 'unresolved', 'escalated', 'resolutionRate']),
] as const
export type KpiField = (typeof KPI_FIELDS)[number]

/** KPI values by unit code, each in KPI_FIELDS order. */
export interface LiveKpis {
  /** snapshots only: the field names, so that a client can check it knows this server's order */
  fields?: readonly string[]
  units: Record<string, (number | null)[]>
}

/** Sent by the client in the Socket.IO handshake `auth`. */
export interface LiveAuth {
  /** access JWT of a user, or a wall's display token (`gsd_…`); required (docs/security.md) */
  token?: string
  /** unit code to subscribe to; default: the principal's jurisdiction */
  scope?: string
  /**
   * unit code whose alerts this screen watches; default: `scope`. A wall touring street scenes
   * keeps watching its whole jurisdiction, so a P1 elsewhere is not held back until the tour
   * comes round.
   */
  alertScope?: string
  /** resume after this point if the server still holds the deltas since */
  since?: { epoch: string; seq: number }
}

/**
 * Credential events on `/live` (mirrors `AuthEvent` in server/src/auth/socket-guard.ts). A refused
 * handshake (no token, a bad or revoked one, a scope outside the jurisdiction) arrives as
 * `connect_error` with the reason as its message.
 */
export const LiveAuthEvent = {
  /** client → server: `(token, ack)`, a fresh access token for a live socket before the old expires */
  refresh: 'auth:refresh',
  /** server → client, just before it closes a socket whose access token expired: `{message}` */
  expired: 'auth:expired',
  /** server → client, just before it closes a socket whose credential was revoked: `{message}` */
  revoked: 'auth:revoked',
} as const

export type LiveAuthRefreshAck = { ok: true; expiresAt: number | null } | { ok: false; message: string }

export interface ServerToClientEvents<B = WireBytes> {
  snapshot: (snapshot: LiveSnapshot<B>) => void
  delta: (delta: LiveDelta<B>) => void
  alerts: (payload: LiveAlerts) => void
  alert: (alert: Alert) => void
  'auth:expired': (payload: { message: string }) => void
  'auth:revoked': (payload: { message: string }) => void
}

export interface ClientToServerEvents {
  resync: () => void
  'auth:refresh': (token: string, ack: (answer: LiveAuthRefreshAck) => void) => void
}
