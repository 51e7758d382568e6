/**
 * Client-side mirror of one live stream: applies a snapshot, then deltas in seq
 * order. Anything that breaks the chain (another epoch or scope, a skipped seq,
 * an unknown row) is reported as a gap so the caller can ask for a resync.
 * Columns live in growable typed arrays that renderers can use directly.
 */
import { readFloat32, readUint16, readUint32, readUint8 } from './binary.ts'
import {
  ENTITY_KINDS,
  KPI_FIELDS,
  STATUS_CODES,
  type KpiField,
  type LiveKpis,
  type EntityKind,
  type LiveDelta,
  type LiveSnapshot,
  type TableChanges,
  type TableSnapshot,
} from './protocol.ts'

export type DeltaResult = 'applied' | 'gap' | 'stale' | 'waiting'

export class MirrorTable {
  readonly ids: string[] = []
  readonly dict: string[] = []
  /** interleaved lon,lat; the first `count * 2` entries are meaningful */
  pos = new Float32Array(0)
  status = new Uint8Array(0)
  attr = new Uint16Array(0)
  /**
   * server time (epoch ms) of the delta that last carried each row — a report
   * of the entity, e.g. a camera's heartbeat; NaN for rows known only from a
   * snapshot, whose last report time the stream does not carry
   */
  seen = new Float64Array(0)
  /**
   * the entity's own time from the stream's `at` column (epoch ms, NaN unknown or not carried):
   * a camera's last report, a case's report time, a dispute's acceptance (TIMED_KINDS)
   */
  at = new Float64Array(0)
  /**
   * the server's per-row bits from the stream's `flags` column (FLAGGED_KINDS; for cases
   * CASE_FLAGS: past the dispatch or resolve deadline); 0 when the server sends none
   */
  flags = new Uint8Array(0)
  /** whether the last snapshot carried the `flags` column: false for a server that sends none */
  flagged = false
  /** rises whenever a snapshot or delta touched this table: renderers skip tables that did not change */
  revision = 0
  /** id → row, built on the first lookup: a 100k-row snapshot should not pay for a map no one reads */
  private rowIndex: Map<string, number> | null = null

  get count(): number {
    return this.ids.length
  }

  reset(s: TableSnapshot): void {
    this.ids.length = 0
    this.dict.length = 0
    this.rowIndex = null
    this.register(s.ids)
    this.dict.push(...s.dict)
    this.pos.set(readFloat32(s.pos))
    this.status.set(readUint8(s.status))
    this.attr.set(readUint16(s.attr))
    this.seen.fill(Number.NaN)
    this.at.fill(Number.NaN)
    if (s.at !== undefined) {
      const at = readUint32(s.at)
      for (let i = 0; i < at.length; i++) if (at[i] !== 0) this.at[i] = at[i]! * 1000
    }
    this.flags.fill(0)
    this.flagged = s.flags !== undefined
    if (s.flags !== undefined) this.flags.set(readUint8(s.flags))
    this.revision++
  }

  /** false when the changes refer to a row this mirror does not have */
  apply(c: TableChanges, ts = Number.NaN): boolean {
    this.revision++
    this.register(c.added)
    this.dict.push(...c.dictAdded)
    const idx = readUint32(c.idx)
    const pos = readFloat32(c.pos)
    const status = readUint8(c.status)
    const attr = readUint16(c.attr)
    const at = c.at === undefined ? null : readUint32(c.at)
    const flags = c.flags === undefined ? null : readUint8(c.flags)
    const n = this.ids.length
    for (let k = 0; k < idx.length; k++) {
      const row = idx[k]!
      if (row >= n) return false
      this.pos[2 * row] = pos[2 * k]!
      this.pos[2 * row + 1] = pos[2 * k + 1]!
      this.status[row] = status[k]!
      this.attr[row] = attr[k]!
      this.seen[row] = ts
      if (at !== null) this.at[row] = at[k] === 0 ? Number.NaN : at[k]! * 1000
      if (flags !== null) this.flags[row] = flags[k]!
    }
    return true
  }

  /** How many rows have one of these status codes. */
  countStatus(codes: readonly number[]): number {
    let n = 0
    for (let i = 0; i < this.ids.length; i++) if (codes.includes(this.status[i]!)) n++
    return n
  }

  row(id: string): number | undefined {
    return this.rowOf().get(id)
  }

  position(id: string): [number, number] | undefined {
    const row = this.rowOf().get(id)
    return row === undefined ? undefined : [this.pos[2 * row]!, this.pos[2 * row + 1]!]
  }

  private rowOf(): Map<string, number> {
    if (!this.rowIndex) {
      this.rowIndex = new Map()
      for (let i = 0; i < this.ids.length; i++) this.rowIndex.set(this.ids[i]!, i)
    }
    return this.rowIndex
  }

  private register(ids: readonly string[]): void {
    for (const id of ids) {
      this.rowIndex?.set(id, this.ids.length)
      this.ids.push(id)
    }
    const need = this.ids.length
    if (this.status.length >= need) return
    const cap = Math.max(need, this.status.length * 2, 256)
    const grow = <T extends Float32Array | Float64Array | Uint8Array | Uint16Array>(
      a: T,
      n: number,
      make: (n: number) => T,
    ): T => {
      const b = make(n)
      b.set(a)
      return b
    }
    this.pos = grow(this.pos, cap * 2, (n) => new Float32Array(n))
    this.status = grow(this.status, cap, (n) => new Uint8Array(n))
    this.attr = grow(this.attr, cap, (n) => new Uint16Array(n))
    this.seen = grow(this.seen, cap, (n) => new Float64Array(n).fill(Number.NaN))
    this.at = grow(this.at, cap, (n) => new Float64Array(n).fill(Number.NaN))
    this.flags = grow(this.flags, cap, (n) => new Uint8Array(n))
  }
}

export class LiveMirror {
  epoch: string | null = null
  scope: string | null = null
  seq = -1
  /** server time of the newest applied state (epoch ms) */
  ts = 0
  readonly tables: Record<EntityKind, MirrorTable> = {
    members: new MirrorTable(),
    cameras: new MirrorTable(),
    cases: new MirrorTable(),
    disputes: new MirrorTable(),
  }
  /** KPI values by unit code, in `kpiFields` order (see KPI_FIELDS) */
  readonly kpis = new Map<string, (number | null)[]>()
  /** the field order of the server this mirror follows (from the last snapshot) */
  kpiFields: readonly string[] = KPI_FIELDS
  private kpiIndex = new Map<string, number>(KPI_FIELDS.map((f, k) => [f, k]))

  applySnapshot(s: LiveSnapshot): void {
    this.epoch = s.epoch
    this.scope = s.scope
    this.seq = s.seq
    this.ts = s.ts
    for (const kind of ENTITY_KINDS) this.tables[kind].reset(s.tables[kind])
    this.kpis.clear()
    if (s.kpis) {
      if (s.kpis.fields) {
        this.kpiFields = s.kpis.fields
        this.kpiIndex = new Map(s.kpis.fields.map((f, k) => [f, k]))
      }
      this.applyKpis(s.kpis)
    }
  }

  private applyKpis(k: LiveKpis): void {
    for (const [code, values] of Object.entries(k.units)) this.kpis.set(code, values)
  }

  /** One figure of one unit; undefined when the unit or the field is not in this stream. */
  kpi(code: string, field: KpiField | (string & {})): number | null | undefined {
    const k = this.kpiIndex.get(field)
    const row = this.kpis.get(code)
    return k === undefined || row === undefined ? undefined : row[k]
  }

  applyDelta(d: LiveDelta): DeltaResult {
    if (this.epoch === null) return 'waiting'
    if (d.epoch !== this.epoch || d.scope !== this.scope) return 'gap'
    if (d.seq <= this.seq) return 'stale'
    if (d.seq !== this.seq + 1) return 'gap'
    for (const kind of ENTITY_KINDS) {
      const changes = d.tables[kind]
      if (changes && !this.tables[kind].apply(changes, d.ts)) return 'gap'
    }
    if (d.kpis) this.applyKpis(d.kpis)
    this.seq = d.seq
    this.ts = d.ts
    return 'applied'
  }

  /** Status name of an entity, e.g. 'offline' for a camera. */
  statusOf(kind: EntityKind, id: string): string | undefined {
    const t = this.tables[kind]
    const row = t.row(id)
    return row === undefined ? undefined : STATUS_CODES[kind][t.status[row]!]
  }

  // Shorthands for the members table, which the map draws on every tick.
  get memberIds(): string[] {
    return this.tables.members.ids
  }
  get memberPos(): Float32Array {
    return this.tables.members.pos
  }
  get memberCount(): number {
    return this.tables.members.count
  }
  memberPosition(id: string): [number, number] | undefined {
    return this.tables.members.position(id)
  }
}
