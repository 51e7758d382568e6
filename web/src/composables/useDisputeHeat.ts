/**
 * The disputes for the heatmap, from REST: the live stream carries disputes'
 * positions and categories but not when they were accepted, so the list
 * (GET /api/v1/disputes) is read while the layer is on, at most once a minute,
 * and filtered here by window and category. Stops when the caller's scope ends.
 */
import { onScopeDispose, shallowRef, toValue, watch, type MaybeRefOrGetter } from 'vue'
import { apiError, apiFetch } from '../api/http.ts'
import type { HeatWindow } from '../stores/layers.ts'
import { categoriesOf, packHeat, type DisputeItem, type HeatPoints } from '../map/dispute-heat.ts'

/** pages of 1,000; a district holds a few thousand disputes in 30 days */
const MAX_PAGES = 20
export const HEAT_REFRESH_MS = 60_000

export function useDisputeHeat(options: {
  enabled: MaybeRefOrGetter<boolean>
  window: MaybeRefOrGetter<HeatWindow>
  category: MaybeRefOrGetter<string | null>
  refreshMs?: number
}) {
  const items = shallowRef<DisputeItem[]>([])
  const points = shallowRef<HeatPoints>({ positions: new Float32Array(0), count: 0 })
  const categories = shallowRef<string[]>([])
  const error = shallowRef<string | null>(null)
  let controller: AbortController | null = null
  let timer = 0

  async function load(): Promise<void> {
    controller?.abort()
    const ac = (controller = new AbortController())
    try {
      const all: DisputeItem[] = []
      let cursor: string | null = null
      for (let page = 0; page < MAX_PAGES; page++) {
        const q = new URLSearchParams({ limit: '1000' })
        if (cursor) q.set('cursor', cursor)
        const res = await apiFetch(`/api/v1/disputes?${q}`, { signal: ac.signal })
        if (!res.ok) throw await apiError(res, 'GET /api/v1/disputes')
        const body = (await res.json()) as { items: DisputeItem[]; nextCursor: string | null }
        all.push(...body.items)
        cursor = body.nextCursor
        if (!cursor) break
      }
      items.value = all
      categories.value = categoriesOf(all)
      error.value = null
      repack()
    } catch (err) {
      if (!ac.signal.aborted) error.value = (err as Error).message
    }
  }

  function repack(): void {
    points.value = packHeat(items.value, Date.now(), toValue(options.window), toValue(options.category))
  }

  function stop(): void {
    controller?.abort()
    window.clearInterval(timer)
    timer = 0
  }

  watch(
    () => toValue(options.enabled),
    (on) => {
      stop()
      if (!on) return
      void load()
      timer = window.setInterval(() => void load(), options.refreshMs ?? HEAT_REFRESH_MS)
    },
    { immediate: true },
  )
  watch([() => toValue(options.window), () => toValue(options.category)], repack)
  onScopeDispose(stop)

  return { points, categories, error }
}
