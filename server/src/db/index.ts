/**
 * Storage: one Kysely query layer over SQLite (default, `${DATA_DIR}/gridsight.sqlite`) and
 * PostgreSQL (`DATABASE_URL`), with versioned migrations applied at open and group commit.
 */
export type {
  CameraRow,
  CaseRow,
  CommitInfo,
  DisputeRow,
  Engine,
  EntityStatusEvent,
  ListCamerasQuery,
  ListCasesQuery,
  ListDisputesQuery,
  ListMembersQuery,
  MemberRow,
  OpenStoreOptions,
  Page,
  RawStatement,
  StatusEvent,
  Store,
  StoreStats,
  StoredChange,
  TrackPoint,
  UnitRow,
} from './types.ts'
export { openStore, StoreQueryError, SQLITE_FILE } from './store.ts'
export { WriterError } from './writer.ts'
export { queryBuilder } from './query-builder.ts'
export { CAMERA_KINDS, CAMERA_STATUSES, CASE_STATUSES, DISPUTE_STATUSES } from './migrations/001_initial.ts'
