/**
 * The last N positions of each member in one typed ring buffer (row-major,
 * N slots of lon,lat per member), for short trails and for a heading derived
 * from the last two positions (the stream carries no heading). Rows are the
 * mirror's wire indexes; `reset` when the stream's epoch or scope changes.
 */
export const TRAIL_LENGTH = 8

export class TrailBuffer {
  readonly length: number
  private xy = new Float32Array(0)
  /** slot the next position goes to, per member */
  private head = new Uint8Array(0)
  /** positions held, per member (≤ length) */
  private filled = new Uint8Array(0)
  private rows = 0

  constructor(length = TRAIL_LENGTH) {
    if (!Number.isInteger(length) || length < 2 || length > 255) {
      throw new RangeError(`trail length must be an integer from 2 to 255, got ${length}`)
    }
    this.length = length
  }

  /** Members with room in the buffer. */
  get capacity(): number {
    return this.head.length
  }

  /** How many positions a member has. */
  size(row: number): number {
    return row < this.rows ? this.filled[row]! : 0
  }

  reset(): void {
    this.filled.fill(0)
    this.head.fill(0)
    this.rows = 0
  }

  /** Records a position; a member that has not moved keeps its trail. Returns whether it was added. */
  push(row: number, lon: number, lat: number): boolean {
    if (row >= this.head.length) this.grow(row + 1)
    if (row >= this.rows) this.rows = row + 1
    const n = this.filled[row]!
    const base = row * this.length
    if (n > 0) {
      const last = base + ((this.head[row]! + this.length - 1) % this.length)
      if (this.xy[2 * last] === Math.fround(lon) && this.xy[2 * last + 1] === Math.fround(lat)) return false
    }
    const slot = base + this.head[row]!
    this.xy[2 * slot] = lon
    this.xy[2 * slot + 1] = lat
    this.head[row] = (this.head[row]! + 1) % this.length
    if (n < this.length) this.filled[row] = n + 1
    return true
  }

  /** The k-th newest position of a member (k = 0 the newest), written into `out`; false if it has none. */
  at(row: number, k: number, out: Float32Array | number[]): boolean {
    if (k >= this.size(row)) return false
    const slot = row * this.length + ((this.head[row]! + this.length - 1 - k) % this.length)
    out[0] = this.xy[2 * slot]!
    out[1] = this.xy[2 * slot + 1]!
    return true
  }

  /**
   * Heading of the last move in degrees clockwise from north (0–360), from the
   * last two positions on a local flat projection; NaN before the second one.
   */
  heading(row: number): number {
    if (this.size(row) < 2) return Number.NaN
    const l = this.length
    const base = row * l
    const a = base + ((this.head[row]! + l - 2) % l)
    const b = base + ((this.head[row]! + l - 1) % l)
    const lat = (this.xy[2 * b + 1]! * Math.PI) / 180
    const dx = (this.xy[2 * b]! - this.xy[2 * a]!) * Math.cos(lat)
    const dy = this.xy[2 * b + 1]! - this.xy[2 * a + 1]!
    const deg = (Math.atan2(dx, dy) * 180) / Math.PI
    return deg < 0 ? deg + 360 : deg
  }

  /**
   * Writes every member's trail as segments, oldest to newest, into the given
   * buffers (sized by `maxSegments`): source and target lon,lat pairs and the
   * age of each segment, 0 for the newest to 1 for the oldest possible. Members
   * for which `include(row)` is false are skipped; `rowOf`, when given, gets
   * each segment's member row. Returns the segment count.
   */
  segments(
    source: Float32Array,
    target: Float32Array,
    age: Float32Array,
    include: (row: number) => boolean = () => true,
    rowOf?: Uint32Array,
  ): number {
    const l = this.length
    let s = 0
    for (let row = 0; row < this.rows; row++) {
      const n = this.filled[row]!
      if (n < 2 || !include(row)) continue
      const base = row * l
      const head = this.head[row]!
      for (let k = n - 1; k >= 1; k--) {
        const from = base + ((head + l - 1 - k) % l)
        const to = base + ((head + l - k) % l)
        source[2 * s] = this.xy[2 * from]!
        source[2 * s + 1] = this.xy[2 * from + 1]!
        target[2 * s] = this.xy[2 * to]!
        target[2 * s + 1] = this.xy[2 * to + 1]!
        age[s] = (k - 1) / (l - 2)
        if (rowOf) rowOf[s] = row
        s++
      }
    }
    return s
  }

  /** The most segments `segments` can write for `rows` members. */
  maxSegments(rows = this.rows): number {
    return rows * (this.length - 1)
  }

  private grow(need: number): void {
    const cap = Math.max(need, this.head.length * 2, 64)
    const xy = new Float32Array(cap * this.length * 2)
    xy.set(this.xy)
    this.xy = xy
    const head = new Uint8Array(cap)
    head.set(this.head)
    this.head = head
    const filled = new Uint8Array(cap)
    filled.set(this.filled)
    this.filled = filled
  }
}
