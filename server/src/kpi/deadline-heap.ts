/** A binary min-heap of (deadline, ref) in typed arrays: no allocation per push or pop. */
export class DeadlineHeap {
  private t = new Float64Array(1024)
  private r = new Int32Array(1024)
  size = 0

  clear(): void {
    this.size = 0
  }

  /** the earliest deadline, or Infinity when empty */
  peek(): number {
    return this.size > 0 ? this.t[0]! : Infinity
  }

  push(time: number, ref: number): void {
    if (this.size === this.t.length) {
      const t = new Float64Array(this.size * 2)
      t.set(this.t)
      this.t = t
      const r = new Int32Array(this.size * 2)
      r.set(this.r)
      this.r = r
    }
    let i = this.size++
    while (i > 0) {
      const p = (i - 1) >> 1
      if (this.t[p]! <= time) break
      this.t[i] = this.t[p]!
      this.r[i] = this.r[p]!
      i = p
    }
    this.t[i] = time
    this.r[i] = ref
  }

  /** removes the earliest entry and returns its ref (its deadline is `peek()` before the call) */
  pop(): number {
    const top = this.r[0]!
    const n = --this.size
    if (n > 0) {
      const time = this.t[n]!
      const ref = this.r[n]!
      let i = 0
      for (;;) {
        const l = 2 * i + 1
        if (l >= n) break
        const c = l + 1 < n && this.t[l + 1]! < this.t[l]! ? l + 1 : l
        if (this.t[c]! >= time) break
        this.t[i] = this.t[c]!
        this.r[i] = this.r[c]!
        i = c
      }
      this.t[i] = time
      this.r[i] = ref
    }
    return top
  }
}
