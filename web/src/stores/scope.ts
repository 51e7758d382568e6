/**
 * The screen's scope: which unit (district → street → community → grid) the map,
 * the panels and the `/live` subscription follow. The path runs from the region
 * (district) down to the current unit and is what the breadcrumb shows.
 *
 * The unit directory comes from the region pack's GeoJSON (one fetch per level);
 * only code, name, level, parent and bbox are kept, not the geometry.
 *
 * A principal below the region (a street's wall or user) has a floor: its jurisdiction. The
 * screen starts there, cannot go up past it, and does not drill into units outside it (the
 * server would refuse them).
 */
import { defineStore } from 'pinia'
import { computed, shallowRef } from 'vue'
import { bboxOf, type BBox, type UnitLevel } from '@gridsight/shared'
import { apiFetch } from '../api/http.ts'

export interface ScopeUnit {
  code: string
  name: string
  level: UnitLevel
  parent: string | null
  urban: boolean
  areaKm2: number
  bbox: BBox
}

export const SCOPE_LEVELS: readonly UnitLevel[] = ['district', 'street', 'community', 'grid']

interface UnitFeature {
  properties: { code: string; name: string; level: UnitLevel; parent: string | null; urban?: boolean; areaKm2?: number }
  geometry: { coordinates: unknown }
}

export async function fetchUnits(
  adcode: string,
  fetcher: (url: string) => Promise<Response> = apiFetch,
): Promise<ScopeUnit[]> {
  const levels = await Promise.all(
    SCOPE_LEVELS.map(async (level) => {
      const res = await fetcher(`/api/v1/regions/${adcode}/units?level=${level}`)
      if (!res.ok) throw new Error(`units of level ${level}: HTTP ${res.status}`)
      const fc = (await res.json()) as { features: UnitFeature[] }
      return fc.features.map((f): ScopeUnit => ({
        code: f.properties.code,
        name: f.properties.name,
        level: f.properties.level,
        parent: f.properties.parent,
        urban: f.properties.urban ?? true,
        areaKm2: f.properties.areaKm2 ?? 0,
        bbox: bboxOf(f.geometry.coordinates),
      }))
    }),
  )
  return levels.flat()
}

export const useScopeStore = defineStore('scope', () => {
  const units = shallowRef<ReadonlyMap<string, ScopeUnit>>(new Map())
  const path = shallowRef<readonly ScopeUnit[]>([])
  /** the highest unit this screen may show (its jurisdiction); null: the whole region */
  const floor = shallowRef<string | null>(null)
  const current = computed(() => path.value.at(-1) ?? null)
  /** the followed unit's code; null until the directory is loaded */
  const code = computed(() => current.value?.code ?? null)
  /** the level a click on the map drills into; null at grid level */
  const childLevel = computed(() => {
    const c = current.value
    if (!c) return null
    return SCOPE_LEVELS[SCOPE_LEVELS.indexOf(c.level) + 1] ?? null
  })

  function pathTo(target: string): ScopeUnit[] | null {
    const chain: ScopeUnit[] = []
    let u = units.value.get(target)
    while (u) {
      chain.unshift(u)
      u = u.parent === null ? undefined : units.value.get(u.parent)
    }
    return chain.length > 0 && chain[0]!.level === 'district' ? chain : null
  }

  const within = (c: string) => floor.value === null || c.startsWith(floor.value)

  /**
   * Loads the directory and starts at `initial` (a unit code) or at the floor (the principal's
   * jurisdiction; default: the region).
   */
  function load(list: readonly ScopeUnit[], initial?: string, floorCode?: string): void {
    units.value = new Map(list.map((u) => [u.code, u]))
    floor.value = floorCode !== undefined && units.value.has(floorCode) ? floorCode : null
    const root = list.find((u) => u.level === 'district')
    path.value =
      (initial !== undefined && within(initial) ? pathTo(initial) : null) ??
      (floor.value !== null ? pathTo(floor.value) : null) ??
      (root ? [root] : [])
  }

  /** Follows any unit of the region within the floor; false (and nothing changes) otherwise. */
  function drillTo(target: string): boolean {
    if (!within(target)) return false
    const next = pathTo(target)
    if (!next) return false
    if (next.at(-1)!.code !== code.value) path.value = next
    return true
  }

  /** One level up; stays at the floor (the region, or the jurisdiction). */
  function up(): void {
    if (path.value.length > 1 && code.value !== floor.value) path.value = path.value.slice(0, -1)
  }

  function unit(c: string): ScopeUnit | undefined {
    return units.value.get(c)
  }

  function children(c: string): ScopeUnit[] {
    return [...units.value.values()].filter((u) => u.parent === c)
  }

  return { units, path, floor, current, code, childLevel, load, drillTo, up, unit, children }
})
