/**
 * The disputes for the heatmap, from the live mirror. The stream carries every dispute of the
 * scope with its position, category and acceptance time (`at`): open ones whatever their age,
 * finished ones until LIVE_RETENTION_DAYS (default 31) after their acceptance, when the server's
 * daily compaction drops them. So the 30-day window is all there: no REST list to poll.
 *
 * Repacked at once when the layer comes on or the window or category changes; after a delta that
 * touched the disputes at most every HEAT_REPACK_MS (deltas arrive several times a second, the
 * heat is a view of days); and every HEAT_AGE_MS while on, as disputes leave the window with time
 * alone. `points` only changes when the points drawn do (a status change moves no point), so the
 * map rebuilds its heatmap layer only then. Stops when the caller's scope ends.
 */
import { onScopeDispose, shallowRef, toValue, watch, type MaybeRefOrGetter } from 'vue'
import type { MirrorTable } from '@gridsight/shared'
import type { HeatWindow } from '../stores/layers.ts'
import { packHeat, sameHeat, type HeatPoints } from '../map/dispute-heat.ts'

export const HEAT_REPACK_MS = 5_000
export const HEAT_AGE_MS = 60_000

export function useDisputeHeat(options: {
  enabled: MaybeRefOrGetter<boolean>
  window: MaybeRefOrGetter<HeatWindow>
  category: MaybeRefOrGetter<string | null>
  /** the mirror's disputes table (the same object for the life of the mirror) */
  table: () => MirrorTable
  /** rises with every applied snapshot or delta (the live store's version) */
  version: MaybeRefOrGetter<number>
  /** server time now, epoch ms */
  now: () => number
}) {
  const points = shallowRef<HeatPoints>({ positions: new Float32Array(0), count: 0 })
  let packedRevision = -1
  let packedAt = -Infinity
  let pending: ReturnType<typeof setTimeout> | undefined
  let ageTimer: ReturnType<typeof setInterval> | undefined

  function repack(): void {
    clearTimeout(pending)
    pending = undefined
    const t = options.table()
    packedRevision = t.revision
    packedAt = Date.now()
    const next = packHeat(t, options.now(), toValue(options.window), toValue(options.category))
    if (!sameHeat(next, points.value)) points.value = next
  }

  function stop(): void {
    clearTimeout(pending)
    clearInterval(ageTimer)
    pending = ageTimer = undefined
  }

  watch(
    [() => toValue(options.enabled), () => toValue(options.window), () => toValue(options.category)],
    ([on]) => {
      stop()
      if (!on) return
      repack()
      ageTimer = setInterval(repack, HEAT_AGE_MS)
    },
    { immediate: true },
  )
  watch(
    () => toValue(options.version),
    () => {
      if (!toValue(options.enabled) || pending !== undefined || options.table().revision === packedRevision) return
      pending = setTimeout(repack, Math.max(0, packedAt + HEAT_REPACK_MS - Date.now()))
    },
  )
  onScopeDispose(stop)

  return { points }
}
