import { STATUS_CODES } from '@gridsight/shared'
import type { StoredChange } from '../db/index.ts'
import type { LiveEntity } from './live-hub.ts'

const code = (list: readonly string[], status: string) => Math.max(0, list.indexOf(status))

/** What the screens draw of a committed change. */
export function toLiveEntity(c: StoredChange): LiveEntity {
  const { id, lon, lat, gridCode } = c.row
  switch (c.kind) {
    case 'member':
      return {
        kind: 'members',
        id,
        lon,
        lat,
        gridCode,
        status: c.row.sos ? 2 : c.row.onDuty ? 1 : 0,
        attr: c.row.role ?? 'full_time',
      }
    case 'camera':
      return {
        kind: 'cameras',
        id,
        lon,
        lat,
        gridCode,
        status: code(STATUS_CODES.cameras, c.row.status),
        attr: c.row.kind,
        // every accepted report (a heartbeat too) moves it: the screen fades cameras silent too long
        at: c.row.ts,
      }
    case 'case':
      return {
        kind: 'cases',
        id,
        lon,
        lat,
        gridCode,
        status: code(STATUS_CODES.cases, c.row.status),
        attr: c.row.type,
        // the screen rings a case past its dispatch deadline, counted from here
        at: c.row.reportedAt,
      }
    case 'dispute':
      return {
        kind: 'disputes',
        id,
        lon,
        lat,
        gridCode,
        status: code(STATUS_CODES.disputes, c.row.status),
        attr: c.row.category,
        at: c.row.acceptedAt,
      }
  }
}
