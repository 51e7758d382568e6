/**
 * Latest position per member in columnar typed arrays, plus the set of rows
 * changed since the last drain. Coalescing is inherent: a member moved twice
 * within one tick is sent once, with its latest position.
 */
export class MemberPositions {
  readonly ids: string[] = []
  private readonly index = new Map<string, number>()
  private lon = new Float64Array(256)
  private lat = new Float64Array(256)
  private dirtyFlag = new Uint8Array(256)
  private dirtyRows: number[] = []
  private addedSinceDrain: string[] = []

  get size(): number {
    return this.ids.length
  }

  upsert(id: string, lon: number, lat: number): void {
    let row = this.index.get(id)
    if (row === undefined) {
      row = this.ids.length
      if (row === this.lon.length) this.grow()
      this.ids.push(id)
      this.index.set(id, row)
      this.addedSinceDrain.push(id)
    }
    this.lon[row] = lon
    this.lat[row] = lat
    if (this.dirtyFlag[row] === 0) {
      this.dirtyFlag[row] = 1
      this.dirtyRows.push(row)
    }
  }

  position(id: string): [number, number] | undefined {
    const row = this.index.get(id)
    return row === undefined ? undefined : [this.lon[row]!, this.lat[row]!]
  }

  /** Interleaved lon,lat of every member, in registry order. */
  snapshotPositions(): Float32Array {
    const pos = new Float32Array(this.ids.length * 2)
    for (let i = 0; i < this.ids.length; i++) {
      pos[2 * i] = this.lon[i]!
      pos[2 * i + 1] = this.lat[i]!
    }
    return pos
  }

  /** Rows changed since the last drain, or null when nothing changed. */
  drainChanges(): { added: string[]; idx: Uint32Array; pos: Float32Array } | null {
    const n = this.dirtyRows.length
    if (n === 0) return null
    const idx = new Uint32Array(n)
    const pos = new Float32Array(n * 2)
    for (let k = 0; k < n; k++) {
      const row = this.dirtyRows[k]!
      idx[k] = row
      pos[2 * k] = this.lon[row]!
      pos[2 * k + 1] = this.lat[row]!
      this.dirtyFlag[row] = 0
    }
    this.dirtyRows = []
    const added = this.addedSinceDrain
    this.addedSinceDrain = []
    return { added, idx, pos }
  }

  private grow(): void {
    const cap = this.lon.length * 2
    const grow64 = (a: Float64Array) => {
      const b = new Float64Array(cap)
      b.set(a)
      return b
    }
    this.lon = grow64(this.lon)
    this.lat = grow64(this.lat)
    const flags = new Uint8Array(cap)
    flags.set(this.dirtyFlag)
    this.dirtyFlag = flags
  }
}
