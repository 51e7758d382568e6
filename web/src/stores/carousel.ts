/**
 * Scene carousel for briefings and unattended walls: a playlist of scenes (a saved
 * viewport + scope + layers + panel metric) applied one after another every
 * `intervalS` seconds.
 *
 * Anyone may `hold(reason)` it (the alerts engineer holds on a P1 until it is
 * acknowledged; a presenter pauses with the space bar): while any hold or the
 * pause is on, the carousel stays on its scene. Holds are by reason so that two
 * holders never release each other.
 */
import { defineStore } from 'pinia'
import { computed, ref, shallowRef, watch } from 'vue'
import type { BBox } from '@gridsight/shared'
import { useScopeStore, type ScopeUnit } from './scope.ts'
import { useMapFocusStore, type MapFocusTarget } from './map-focus.ts'
import { defaultLayerState, mergeLayerState, useLayersStore, type LayerState, type LayerStatePatch } from './layers.ts'
import { isRankingMetric, type RankingMetric } from '../components/ranking-metrics.ts'

export interface Scene {
  /** unit code the panels and /live follow */
  scope: string
  /** where the map looks; default: the scope unit's bbox */
  view?: MapFocusTarget
  /**
   * layers and choropleth metric (see the layers store): the scene's whole layer set, what it
   * leaves out as on a fresh screen (defaultLayerState), so a scene looks the same each time round
   * whatever the scene before it or the legend left on
   */
  layers?: LayerStatePatch
  /** figure the ranking panel ranks by; default: compliance */
  panelMetric?: RankingMetric
  /** shown by the indicator; default: the unit's name */
  title?: string
}

export const MIN_INTERVAL_S = 2
export const MAX_INTERVAL_S = 3600
export const DEFAULT_INTERVAL_S = 20
/** the ranking panel's figure when a scene names none */
export const DEFAULT_PANEL_METRIC: RankingMetric = 'compliance'

/**
 * `?carousel=N` (seconds; 0 or `off` stops it) over the stored setting. null:
 * neither says anything, the carousel is off.
 */
export function resolveInterval(search: string, stored: string | null): number | null {
  const raw = new URLSearchParams(search).get('carousel') ?? stored
  if (raw === null || raw === '') return null
  if (raw === 'off' || raw === '0') return 0
  if (raw === 'on') return DEFAULT_INTERVAL_S
  const n = Number(raw)
  if (!Number.isFinite(n) || n <= 0) return null
  return Math.min(MAX_INTERVAL_S, Math.max(MIN_INTERVAL_S, n))
}

/**
 * The playlist a wall gets when nobody wrote one: the whole district, then the
 * streets with the most open cases (busiest first), each with the layers that
 * tell its story.
 */
export function defaultScenes(
  units: Iterable<ScopeUnit>,
  openCases: (code: string) => number | null | undefined,
  streets = 3,
): Scene[] {
  const list = [...units]
  const root = list.find((u) => u.level === 'district')
  if (!root) return []
  const busiest = list
    .filter((u) => u.level === 'street')
    .map((u) => ({ u, open: openCases(u.code) ?? -1 }))
    .sort((a, b) => b.open - a.open || (a.u.code < b.u.code ? -1 : 1))
    .slice(0, streets)
  return [
    { scope: root.code, layers: { choropleth: 'compliance' }, panelMetric: 'compliance' },
    ...busiest.map(({ u }): Scene => ({
      scope: u.code,
      layers: { choropleth: 'openCases', visible: { cases: true } },
      panelMetric: 'overdue',
    })),
  ]
}

/** The layer set a scene shows: its own layers over the defaults, never over what was on before. */
export function sceneLayers(scene: Pick<Scene, 'layers'>): LayerState {
  return mergeLayerState(defaultLayerState(), scene.layers)
}

const isBBox = (v: unknown): v is BBox => Array.isArray(v) && v.length === 4 && v.every((x) => Number.isFinite(x))

/**
 * Reads a playlist written by hand (JSON setting). Every problem is reported with
 * the scene's index; scenes with problems are left out, the others kept.
 */
export function parseScenes(json: string): { scenes: Scene[]; errors: string[] } {
  let raw: unknown
  try {
    raw = JSON.parse(json)
  } catch (err) {
    return { scenes: [], errors: [`playlist is not valid JSON: ${(err as Error).message}`] }
  }
  if (!Array.isArray(raw)) return { scenes: [], errors: ['playlist must be a JSON array of scenes'] }
  const scenes: Scene[] = []
  const errors: string[] = []
  raw.forEach((s: unknown, i) => {
    const problems: string[] = []
    if (typeof s !== 'object' || s === null) {
      errors.push(`scene ${i}: must be an object`)
      return
    }
    const o = s as Record<string, unknown>
    if (typeof o.scope !== 'string' || !/^\d{6,15}$/.test(o.scope)) problems.push('scope must be a unit code')
    let view: MapFocusTarget | undefined
    if (o.bbox !== undefined) {
      if (isBBox(o.bbox)) view = { kind: 'bbox', bbox: o.bbox }
      else problems.push('bbox must be [west, south, east, north]')
    } else if (o.center !== undefined) {
      const c = o.center
      if (Array.isArray(c) && c.length === 2 && c.every((x) => Number.isFinite(x))) {
        const zoom = o.zoom === undefined ? undefined : Number(o.zoom)
        if (zoom !== undefined && !Number.isFinite(zoom)) problems.push('zoom must be a number')
        view = { kind: 'point', lon: c[0] as number, lat: c[1] as number, zoom }
      } else problems.push('center must be [lon, lat]')
    }
    if (o.panelMetric !== undefined && !isRankingMetric(o.panelMetric))
      problems.push(`panelMetric must be one of compliance, onlineRate, overdue, resolution`)
    if (o.layers !== undefined && (typeof o.layers !== 'object' || o.layers === null))
      problems.push('layers must be an object')
    if (problems.length) {
      errors.push(`scene ${i}: ${problems.join('; ')}`)
      return
    }
    scenes.push({
      scope: o.scope as string,
      view,
      layers: o.layers as LayerStatePatch | undefined,
      panelMetric: o.panelMetric as RankingMetric | undefined,
      title: typeof o.title === 'string' ? o.title : undefined,
    })
  })
  return { scenes, errors }
}

export const useCarouselStore = defineStore('carousel', () => {
  const scenes = shallowRef<readonly Scene[]>([])
  /** the scene on screen; -1 before the first */
  const index = ref(-1)
  /** seconds per scene; 0 is off (the presenter can still step with the keys) */
  const intervalS = ref(0)
  /** the presenter's pause (space bar) */
  const paused = ref(false)
  const holds = shallowRef<ReadonlySet<string>>(new Set())
  /** the ranking panel's figure; scenes set it, the panel's tabs too */
  const panelMetric = ref<RankingMetric>(DEFAULT_PANEL_METRIC)

  const enabled = computed(() => intervalS.value > 0 && scenes.value.length > 0)
  const held = computed(() => holds.value.size > 0)
  /** advancing by itself now */
  const running = computed(() => enabled.value && !paused.value && !held.value)
  const current = computed(() => scenes.value[index.value] ?? null)

  let timer: ReturnType<typeof setTimeout> | undefined
  function schedule(): void {
    clearTimeout(timer)
    timer = running.value ? setTimeout(() => step(1), intervalS.value * 1000) : undefined
  }
  // Any change of state restarts the count: a released hold gives the scene a full interval.
  watch([running, intervalS, index], schedule)

  function applyScene(s: Scene): void {
    const scope = useScopeStore()
    scope.drillTo(s.scope)
    const unit = scope.unit(s.scope)
    const view = s.view ?? (unit ? ({ kind: 'bbox', bbox: unit.bbox } as const) : null)
    if (view) useMapFocusStore().focus(view, 'scene')
    useLayersStore().apply(sceneLayers(s))
    panelMetric.value = s.panelMetric ?? DEFAULT_PANEL_METRIC
  }

  function step(by: number): void {
    const n = scenes.value.length
    if (n === 0) return
    index.value = index.value < 0 ? 0 : (((index.value + by) % n) + n) % n
    applyScene(scenes.value[index.value]!)
    // the same index again (a one-scene playlist) does not trigger the watcher
    schedule()
  }

  function next(): void {
    step(1)
  }
  function prev(): void {
    step(-1)
  }
  function pause(): void {
    paused.value = true
  }
  function resume(): void {
    paused.value = false
  }
  function togglePause(): void {
    paused.value = !paused.value
  }
  function hold(reason: string): void {
    if (!holds.value.has(reason)) holds.value = new Set([...holds.value, reason])
  }
  function release(reason: string): void {
    if (!holds.value.has(reason)) return
    const rest = new Set(holds.value)
    rest.delete(reason)
    holds.value = rest
  }

  /** Replaces the playlist; a running carousel starts over at its first scene. */
  function setScenes(list: readonly Scene[]): void {
    scenes.value = list
    index.value = -1
    if (enabled.value) step(1)
  }

  /** Seconds per scene (clamped), 0 to stop; starting it shows the first scene at once. */
  function setSeconds(seconds: number): void {
    const was = enabled.value
    intervalS.value = seconds <= 0 ? 0 : Math.min(MAX_INTERVAL_S, Math.max(MIN_INTERVAL_S, seconds))
    if (!was && enabled.value && index.value < 0) step(1)
  }

  return {
    scenes,
    index,
    intervalS,
    paused,
    holds,
    panelMetric,
    enabled,
    held,
    running,
    current,
    next,
    prev,
    pause,
    resume,
    togglePause,
    hold,
    release,
    setScenes,
    setSeconds,
  }
})
