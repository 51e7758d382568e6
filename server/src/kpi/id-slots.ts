/**
 * Entity id → slot number in the engine's columns. The map is built only when first asked for:
 * a full recompute assigns slots in row order and needs no lookups (ids are unique there), so a
 * consistency check never pays for 400,000 string-keyed inserts; the incremental path builds it
 * once, on its first change of that kind.
 */
export class IdSlots {
  private ids: string[] = []
  private map: Map<string, number> | null = null

  get size(): number {
    return this.ids.length
  }

  clear(): void {
    this.ids = []
    this.map = null
  }

  /** slots 0 … n − 1 for the given ids, which must be unique (a recompute into empty slots); keeps the array */
  adopt(ids: string[]): void {
    if (this.ids.length > 0) throw new Error('IdSlots.adopt needs empty slots')
    this.ids = ids
    this.map = null
  }

  /** a new slot for an id not held yet */
  add(id: string): number {
    const i = this.ids.length
    this.ids.push(id)
    this.map?.set(id, i)
    return i
  }

  /** the id held in a slot */
  idAt(slot: number): string {
    return this.ids[slot]!
  }

  get(id: string): number | undefined {
    return (this.map ??= this.build()).get(id)
  }

  /** whether the id → slot map exists yet (for tests and the bench) */
  get indexed(): boolean {
    return this.map !== null
  }

  private build(): Map<string, number> {
    const m = new Map<string, number>()
    const ids = this.ids
    for (let i = 0; i < ids.length; i++) m.set(ids[i]!, i)
    return m
  }
}
