/**
 * Paints the unit choropleth into MapLibre feature-state from the mirror's KPIs.
 * Called when the stream applied something; a unit is touched only when its KPI
 * row changed (the mirror replaces a unit's row when its figures change) or the
 * scale did (metric switch, a count domain that grew or shrank a step).
 */
import type { Map as MapLibreMap } from 'maplibre-gl'
import type { LiveMirror } from '@gridsight/shared'
import type { ChoroplethMetric } from '../stores/layers.ts'
import { CHOROPLETH_SCALES, levelOfCode, niceCeil, rampExpression } from './choropleth-scale.ts'
import { choroLayerId, UNIT_LEVELS, type UnitSourceLevel } from './offline-style.ts'

const isUnitLevel = (l: string | null): l is UnitSourceLevel => l === 'street' || l === 'community' || l === 'grid'

export class ChoroplethPainter {
  private readonly map: MapLibreMap
  /** the KPI row each unit was painted from, and its ramp position (-1: no value) */
  private readonly painted = new Map<string, { row: readonly (number | null)[]; t: number; seen: number }>()
  private metric: ChoroplethMetric | null = null
  private pass = 0
  /** upper end of the count scales per level (nice numbers) */
  readonly max: Record<UnitSourceLevel, number> = { street: 1, community: 1, grid: 1 }

  constructor(map: MapLibreMap) {
    this.map = map
  }

  /** Returns true when the scale changed (the legend must redraw its ticks). */
  update(mirror: LiveMirror, metric: ChoroplethMetric): boolean {
    const scale = CHOROPLETH_SCALES[metric]
    const k = mirror.kpiFields.indexOf(scale.field)
    let full = false
    if (metric !== this.metric) {
      for (const level of UNIT_LEVELS) {
        this.map.setPaintProperty(choroLayerId(level), 'fill-color', rampExpression(scale.ramp))
      }
      this.metric = metric
      full = true
    }
    if (scale.dynamic) {
      const top = { street: 0, community: 0, grid: 0 }
      for (const [code, row] of mirror.kpis) {
        const level = levelOfCode(code)
        const v = row[k]
        if (isUnitLevel(level) && typeof v === 'number' && v > top[level]) top[level] = v
      }
      for (const level of UNIT_LEVELS) {
        const m = niceCeil(top[level])
        if (m !== this.max[level]) {
          this.max[level] = m
          full = true
        }
      }
    }
    const pass = ++this.pass
    for (const [code, row] of mirror.kpis) {
      const level = levelOfCode(code)
      if (!isUnitLevel(level)) continue
      const was = this.painted.get(code)
      if (was && !full && was.row === row) {
        was.seen = pass
        continue
      }
      const v = k < 0 ? null : row[k]
      const t = typeof v === 'number' && Number.isFinite(v) ? scale.t(v, this.max[level]) : -1
      if (!was || was.t !== t) this.map.setFeatureState({ source: level, id: code }, { t })
      if (was) {
        was.row = row
        was.t = t
        was.seen = pass
      } else this.painted.set(code, { row, t, seen: pass })
    }
    // units that left the stream (another scope) lose their colour
    for (const [code, p] of this.painted) {
      if (p.seen === pass) continue
      const level = levelOfCode(code) as UnitSourceLevel
      this.map.removeFeatureState({ source: level, id: code })
      this.painted.delete(code)
    }
    return full
  }

  /** The painted ramp position of a unit (E2E and hover), -1 when it has no value. */
  positionOf(code: string): number | undefined {
    return this.painted.get(code)?.t
  }

  setVisible(on: boolean): void {
    for (const level of UNIT_LEVELS)
      this.map.setLayoutProperty(choroLayerId(level), 'visibility', on ? 'visible' : 'none')
  }
}
