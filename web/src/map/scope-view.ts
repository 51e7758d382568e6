/**
 * How the map shows the scope: everything outside it dimmed, the unit outlined,
 * and only its children clickable (the hit layers drill one level down).
 */
import type { FilterSpecification, Map as MapLibreMap } from 'maplibre-gl'
import { dimLayerId, hitLayerId, outlineLayerId, UNIT_LEVELS } from './offline-style.ts'

export interface ScopeView {
  code: string
  level: 'district' | 'street' | 'community' | 'grid'
  /** the level a click drills into; null at grid level */
  childLevel: 'district' | 'street' | 'community' | 'grid' | null
}

const NOTHING: FilterSpecification = ['==', ['get', 'code'], '']

export function applyScopeView(map: MapLibreMap, scope: ScopeView | null): void {
  for (const level of UNIT_LEVELS) {
    const here = scope !== null && scope.level === level
    map.setFilter(dimLayerId(level), here ? ['!=', ['get', 'code'], scope.code] : NOTHING)
    map.setFilter(outlineLayerId(level), here ? ['==', ['get', 'code'], scope.code] : NOTHING)
    const drill = scope !== null && scope.childLevel === level
    // at the lowest level the unit itself is clickable: a click opens its figures
    const self = here && scope.childLevel === null
    map.setFilter(
      hitLayerId(level),
      drill ? ['==', ['get', 'parent'], scope.code] : self ? ['==', ['get', 'code'], scope.code] : NOTHING,
    )
  }
}

/** The child unit of the scope under a screen point, if any. */
export function unitAt(map: MapLibreMap, point: { x: number; y: number }, scope: ScopeView | null): string | null {
  if (!scope?.childLevel || scope.childLevel === 'district') return null
  const hit = map.queryRenderedFeatures([point.x, point.y], { layers: [hitLayerId(scope.childLevel)] })[0]
  const code = hit?.properties?.code
  return typeof code === 'string' ? code : null
}

/** The scope unit itself under a screen point, when it has no children to drill into (a grid). */
export function scopeUnitAt(map: MapLibreMap, point: { x: number; y: number }, scope: ScopeView | null): string | null {
  if (!scope || scope.childLevel !== null || scope.level === 'district') return null
  const hit = map.queryRenderedFeatures([point.x, point.y], { layers: [hitLayerId(scope.level)] })[0]
  return hit?.properties?.code === scope.code ? scope.code : null
}
