/**
 * Min-heap of (time, key) events in typed arrays. Ties on time are broken by key, so the order of
 * events (and therefore of random draws and emitted items) never depends on insertion order or on
 * how the caller partitions simulated time into steps.
 */
export class EventQueue {
  private times = new Float64Array(1024)
  private keys = new Float64Array(1024)
  size = 0

  push(time: number, key: number): void {
    if (this.size === this.times.length) {
      const t = new Float64Array(this.size * 2)
      const k = new Float64Array(this.size * 2)
      t.set(this.times)
      k.set(this.keys)
      this.times = t
      this.keys = k
    }
    let i = this.size++
    const times = this.times
    const keys = this.keys
    while (i > 0) {
      const p = (i - 1) >> 1
      const pt = times[p]!
      if (pt < time || (pt === time && keys[p]! <= key)) break
      times[i] = pt
      keys[i] = keys[p]!
      i = p
    }
    times[i] = time
    keys[i] = key
  }

  /** Time of the earliest event, or Infinity when empty. */
  peekTime(): number {
    return this.size > 0 ? this.times[0]! : Infinity
  }

  /** Removes the earliest event and returns its key (its time is `peekTime()` before the call). */
  pop(): number {
    const times = this.times
    const keys = this.keys
    const top = keys[0]!
    const n = --this.size
    if (n === 0) return top
    const t = times[n]!
    const k = keys[n]!
    let i = 0
    for (;;) {
      let c = 2 * i + 1
      if (c >= n) break
      const r = c + 1
      if (r < n && (times[r]! < times[c]! || (times[r] === times[c] && keys[r]! < keys[c]!))) c = r
      if (times[c]! > t || (times[c] === t && keys[c]! >= k)) break
      times[i] = times[c]!
      keys[i] = keys[c]!
      i = c
    }
    times[i] = t
    keys[i] = k
    return top
  }
}
