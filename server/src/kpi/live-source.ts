/**
 * The KPI engine as the live hub's `kpiSource`: a snapshot carries the figures of the scope unit,
 * its descendants and its ancestors; a delta only the units among those whose figures changed
 * since the previous tick. A tick is recognised by its `now` (all streams of one tick are cut with
 * the same one): the first stream cut in a tick advances the engine's clock (deadlines, windows)
 * and takes the set of changed units that every stream of that tick filters by its scope: those
 * whose values differ from the last ones sent.
 */
import { KPI_FIELDS, type LiveKpis } from '@gridsight/shared'
import type { KpiSource } from '../live/scope-stream.ts'
import type { KpiEngine } from './engine.ts'

const FIELDS = KPI_FIELDS.length

export class KpiLiveSource implements KpiSource {
  private readonly engine: KpiEngine
  private tickNow = NaN
  private changed: number[] = []
  private readonly buf = new Float64Array(FIELDS)
  /** the values last sent per unit: a unit touched by changes that cancel out (a member moving within its grid) is not sent */
  private readonly sent: Float64Array

  constructor(engine: KpiEngine) {
    this.engine = engine
    this.sent = engine.allValues()
  }

  /** the touched units whose values differ from the last ones sent (NaN equals NaN) */
  private reallyChanged(touched: number[]): number[] {
    const out: number[] = []
    for (const u of touched) {
      const v = this.engine.values(u, this.buf)
      const o = u * FIELDS
      let same = true
      for (let k = 0; k < FIELDS; k++) {
        const a = v[k]!
        const b = this.sent[o + k]!
        if (a !== b && (a === a || b === b)) {
          same = false
          break
        }
      }
      if (same) continue
      this.sent.set(v, o)
      out.push(u)
    }
    return out
  }

  /** KPI values of one unit for the wire: NaN → null */
  row(u: number): (number | null)[] {
    const v = this.engine.values(u, this.buf)
    const out = new Array<number | null>(FIELDS)
    for (let k = 0; k < FIELDS; k++) {
      const x = v[k]!
      out[k] = x === x ? x : null
    }
    return out
  }

  snapshot(scope: string, now: number): LiveKpis {
    this.engine.advance(now)
    const units: LiveKpis['units'] = {}
    for (const u of this.engine.tree.scopeUnits(scope)) units[this.engine.tree.units[u]!.code] = this.row(u)
    return { fields: KPI_FIELDS, units }
  }

  delta(scope: string, now: number): LiveKpis | null {
    if (now !== this.tickNow) {
      this.tickNow = now
      this.engine.advance(now)
      this.changed = this.reallyChanged(this.engine.drainChanged())
    }
    if (this.changed.length === 0) return null
    const tree = this.engine.tree
    let units: LiveKpis['units'] | null = null
    for (const u of this.changed) {
      if (!tree.inScope(scope, u)) continue
      ;(units ??= {})[tree.units[u]!.code] = this.row(u)
    }
    return units ? { units } : null
  }
}
