/**
 * One entity kind of one live stream, as columns: latest position, status and
 * attribute per row (and, for the timed kinds, the entity's own time: `at`; for the flagged
 * kind, cases, the server's overdue bits: `flags`), plus
 * the rows changed since the last drain. Coalescing is inherent: an entity changed
 * twice within a tick is sent once, latest values.
 */
import type { TableChanges, TableSnapshot } from '@gridsight/shared'
import { toWire } from './wire.ts'

export class EntityTable {
  readonly ids: string[] = []
  readonly dict: string[] = []
  private readonly rowOf = new Map<string, number>()
  private readonly dictOf = new Map<string, number>()
  private lon = new Float64Array(256)
  private lat = new Float64Array(256)
  private status = new Uint8Array(256)
  private attr = new Uint16Array(256)
  /** Unix seconds (0: unknown), only sent when the table is timed (TIMED_KINDS) */
  private at = new Uint32Array(256)
  /** bits per row (CASE_FLAGS), only sent when the table is flagged (FLAGGED_KINDS); kept across upserts */
  private flags = new Uint8Array(256)
  private dirty = new Uint8Array(256)
  private dirtyRows: number[] = []
  private addedIds: string[] = []
  private addedDict: string[] = []

  /** the rows carry a time on the wire (cameras, cases, disputes; not members) */
  readonly timed: boolean
  /** the rows carry server-set bits on the wire (cases: overdue; see FLAGGED_KINDS) */
  readonly flagged: boolean

  constructor(timed = false, flagged = false) {
    this.timed = timed
    this.flagged = flagged
  }

  get size(): number {
    return this.ids.length
  }

  /** `atMs`: the entity's own time, epoch ms (NaN: unknown); kept only by timed tables */
  upsert(id: string, lon: number, lat: number, status: number, attrLabel: string, atMs = Number.NaN): void {
    let row = this.rowOf.get(id)
    if (row === undefined) {
      row = this.ids.length
      if (row === this.lon.length) this.grow()
      this.ids.push(id)
      this.rowOf.set(id, row)
      this.addedIds.push(id)
    }
    let a = this.dictOf.get(attrLabel)
    if (a === undefined) {
      a = this.dict.length
      this.dict.push(attrLabel)
      this.dictOf.set(attrLabel, a)
      this.addedDict.push(attrLabel)
    }
    this.lon[row] = lon
    this.lat[row] = lat
    this.status[row] = status
    this.attr[row] = a
    if (this.timed) this.at[row] = atMs > 0 ? Math.floor(atMs / 1000) : 0
    this.touch(row)
  }

  /**
   * Sets a row's bits (flagged tables; an upsert leaves them as they are). The row goes in the
   * next delta only when they change; an id not in this table is ignored.
   */
  setFlags(id: string, flags: number): void {
    const row = this.rowOf.get(id)
    if (row === undefined || !this.flagged || this.flags[row] === flags) return
    this.flags[row] = flags
    this.touch(row)
  }

  private touch(row: number): void {
    if (this.dirty[row] === 0) {
      this.dirty[row] = 1
      this.dirtyRows.push(row)
    }
  }

  position(id: string): [number, number] | undefined {
    const row = this.rowOf.get(id)
    return row === undefined ? undefined : [this.lon[row]!, this.lat[row]!]
  }

  snapshot(): TableSnapshot<Buffer> {
    const n = this.ids.length
    const pos = new Float32Array(n * 2)
    for (let i = 0; i < n; i++) {
      pos[2 * i] = this.lon[i]!
      pos[2 * i + 1] = this.lat[i]!
    }
    return {
      ids: [...this.ids],
      dict: [...this.dict],
      pos: toWire(pos),
      status: toWire(this.status.subarray(0, n)),
      attr: toWire(this.attr.subarray(0, n)),
      ...(this.timed ? { at: toWire(this.at.subarray(0, n)) } : {}),
      ...(this.flagged ? { flags: toWire(this.flags.subarray(0, n)) } : {}),
    }
  }

  /** Rows changed since the last drain, or null when nothing changed. */
  drain(): TableChanges<Buffer> | null {
    const n = this.dirtyRows.length
    if (n === 0) return null
    const idx = new Uint32Array(n)
    const pos = new Float32Array(n * 2)
    const status = new Uint8Array(n)
    const attr = new Uint16Array(n)
    const at = this.timed ? new Uint32Array(n) : null
    const flags = this.flagged ? new Uint8Array(n) : null
    for (let k = 0; k < n; k++) {
      const row = this.dirtyRows[k]!
      idx[k] = row
      pos[2 * k] = this.lon[row]!
      pos[2 * k + 1] = this.lat[row]!
      status[k] = this.status[row]!
      attr[k] = this.attr[row]!
      if (at) at[k] = this.at[row]!
      if (flags) flags[k] = this.flags[row]!
      this.dirty[row] = 0
    }
    const changes = {
      added: this.addedIds,
      dictAdded: this.addedDict,
      idx: toWire(idx),
      pos: toWire(pos),
      status: toWire(status),
      attr: toWire(attr),
      ...(at ? { at: toWire(at) } : {}),
      ...(flags ? { flags: toWire(flags) } : {}),
    }
    this.dirtyRows = []
    this.addedIds = []
    this.addedDict = []
    return changes
  }

  private grow(): void {
    const cap = this.lon.length * 2
    const grown = <T extends Float64Array | Uint8Array | Uint16Array | Uint32Array>(
      a: T,
      make: (n: number) => T,
    ): T => {
      const b = make(cap)
      b.set(a)
      return b
    }
    this.lon = grown(this.lon, (n) => new Float64Array(n))
    this.lat = grown(this.lat, (n) => new Float64Array(n))
    this.status = grown(this.status, (n) => new Uint8Array(n))
    this.attr = grown(this.attr, (n) => new Uint16Array(n))
    if (this.timed) this.at = grown(this.at, (n) => new Uint32Array(n))
    if (this.flagged) this.flags = grown(this.flags, (n) => new Uint8Array(n))
    this.dirty = grown(this.dirty, (n) => new Uint8Array(n))
  }
}
