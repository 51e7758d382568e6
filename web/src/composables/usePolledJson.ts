/**
 * GETs a JSON resource now, whenever its URL changes, and every `intervalMs`
 * (figures that move slowly: trends, category counts). A URL change clears the
 * data at once, so a panel never shows one unit's figures under another's name;
 * an answer to a superseded request is dropped. Stops with the calling scope.
 */
import { onScopeDispose, shallowRef, toValue, watch, type MaybeRefOrGetter } from 'vue'
import { apiError, apiFetch } from '../api/http.ts'

export function usePolledJson<T>(url: MaybeRefOrGetter<string | null>, intervalMs = 60_000) {
  const data = shallowRef<T | null>(null)
  const error = shallowRef<string | null>(null)
  let timer: ReturnType<typeof setTimeout> | undefined
  let inflight: AbortController | undefined

  async function load(u: string): Promise<void> {
    inflight?.abort()
    const ctrl = (inflight = new AbortController())
    try {
      const res = await apiFetch(u, { signal: ctrl.signal })
      if (!res.ok) throw await apiError(res, `GET ${u}`)
      const body = (await res.json()) as T
      if (ctrl !== inflight) return
      data.value = body
      error.value = null
    } catch (err) {
      if (ctrl.signal.aborted) return
      error.value = (err as Error).message
    }
  }

  function poll(): void {
    clearTimeout(timer)
    const u = toValue(url)
    if (u === null) return
    void load(u)
    timer = setTimeout(poll, intervalMs)
  }

  watch(
    () => toValue(url),
    () => {
      data.value = null
      error.value = null
      poll()
    },
    { immediate: true },
  )

  onScopeDispose(() => {
    clearTimeout(timer)
    inflight?.abort()
  })
  return { data, error }
}
