/**
 * Client-side mirror of the live stream: applies a snapshot, then deltas in seq
 * order. Anything that breaks the chain (another epoch, a skipped seq) is
 * reported as a gap so the caller can ask for a resync. Positions live in one
 * growable Float32Array (interleaved lon,lat) that renderers can use directly.
 */
import { readFloat32, readUint32 } from './binary.ts'
import type { LiveDelta, LiveSnapshot } from './protocol.ts'

export type DeltaResult = 'applied' | 'gap' | 'stale' | 'waiting'

export class LiveMirror {
  epoch: string | null = null
  seq = -1
  /** server time of the newest applied state (epoch ms) */
  ts = 0
  readonly memberIds: string[] = []
  /** interleaved lon,lat; only the first `memberIds.length * 2` entries are meaningful */
  memberPos = new Float32Array(0)

  get memberCount(): number {
    return this.memberIds.length
  }

  applySnapshot(s: LiveSnapshot): void {
    this.epoch = s.epoch
    this.seq = s.seq
    this.ts = s.ts
    this.memberIds.length = 0
    this.memberIds.push(...s.members.ids)
    const pos = readFloat32(s.members.pos)
    this.ensureCapacity(this.memberIds.length)
    this.memberPos.set(pos)
  }

  applyDelta(d: LiveDelta): DeltaResult {
    if (this.epoch === null) return 'waiting'
    if (d.epoch !== this.epoch) return 'gap'
    if (d.seq <= this.seq) return 'stale'
    if (d.seq !== this.seq + 1) return 'gap'
    const { added } = d.members
    if (added.length > 0) {
      this.memberIds.push(...added)
      this.ensureCapacity(this.memberIds.length)
    }
    const idx = readUint32(d.members.idx)
    const pos = readFloat32(d.members.pos)
    const n = this.memberIds.length
    for (let k = 0; k < idx.length; k++) {
      const row = idx[k]!
      if (row >= n) return 'gap'
      this.memberPos[2 * row] = pos[2 * k]!
      this.memberPos[2 * row + 1] = pos[2 * k + 1]!
    }
    this.seq = d.seq
    this.ts = d.ts
    return 'applied'
  }

  memberPosition(id: string): [number, number] | undefined {
    const row = this.memberIds.indexOf(id)
    return row < 0 ? undefined : [this.memberPos[2 * row]!, this.memberPos[2 * row + 1]!]
  }

  private ensureCapacity(count: number): void {
    if (this.memberPos.length >= count * 2) return
    const next = new Float32Array(Math.max(count * 2, this.memberPos.length * 2, 512))
    next.set(this.memberPos)
    this.memberPos = next
  }
}
