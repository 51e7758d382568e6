/**
 * Kysely table types: the database as it is (snake_case columns, epoch-ms integers).
 * Booleans are INTEGER 0/1 in SQLite and BOOLEAN in PostgreSQL; see `toBool` in store.ts.
 */
import type { ColumnType, Generated } from 'kysely'

type Bool = ColumnType<boolean | number, boolean | number, boolean | number>

export interface UnitsTable {
  code: string
  name: string
  level: string
  parent: string | null
  urban: Bool
  area_km2: number
}

export interface CamerasTable {
  id: string
  name: string | null
  kind: string
  lon: number
  lat: number
  grid_code: string | null
  status: string
  ts: number
  updated_at: number
}

export interface CameraStatusEventsTable {
  id: Generated<number>
  camera_id: string
  status: string
  ts: number
}

export interface MembersTable {
  id: string
  name: string | null
  role: string | null
  on_duty: Bool
  grid_code: string | null
  lon: number
  lat: number
  accuracy: number | null
  speed: number | null
  heading: number | null
  ts: number
  updated_at: number
}

export interface MemberTracksTable {
  member_id: string
  ts: number
  lon: number
  lat: number
}

export interface CasesTable {
  id: string
  type: string
  status: string
  priority: number | null
  title: string | null
  source: string | null
  assignee: string | null
  lon: number
  lat: number
  grid_code: string | null
  reported_at: number
  ts: number
  updated_at: number
}

export interface CaseEventsTable {
  id: Generated<number>
  case_id: string
  status: string
  ts: number
}

export interface DisputesTable {
  id: string
  category: string
  status: string
  title: string | null
  parties: number | null
  lon: number
  lat: number
  grid_code: string | null
  accepted_at: number
  ts: number
  updated_at: number
}

export interface DisputeEventsTable {
  id: Generated<number>
  dispute_id: string
  status: string
  ts: number
}

export interface Database {
  units: UnitsTable
  cameras: CamerasTable
  camera_status_events: CameraStatusEventsTable
  members: MembersTable
  member_tracks: MemberTracksTable
  cases: CasesTable
  case_events: CaseEventsTable
  disputes: DisputesTable
  dispute_events: DisputeEventsTable
}
