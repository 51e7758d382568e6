/**
 * What a case's hover card needs that the stream does not carry: its priority and
 * report time. Asked from `GET /api/v1/cases/:id` (through apiFetch) once the pointer
 * has rested on the case for `delayMs`, and kept for `ttlMs` in a small cache shared
 * by every card, so sweeping the pointer over the map sends nothing and hovering the
 * same case again sends nothing for a while.
 */
import { onScopeDispose, shallowRef, toValue, watch, type MaybeRefOrGetter } from 'vue'
import type { CaseRecord } from '@gridsight/shared'
import { apiFetch } from '../api/http.ts'

export interface CaseSummary {
  id: string
  priority: number | null
  /** epoch ms */
  reportedAt: number
}

const CACHE_MAX = 200
const cache = new Map<string, { summary: CaseSummary; at: number }>()

/** Forgets every cached summary (tests). */
export function clearCaseSummaries(): void {
  cache.clear()
}

function remember(summary: CaseSummary, now: number): void {
  cache.delete(summary.id)
  cache.set(summary.id, { summary, at: now })
  if (cache.size > CACHE_MAX) cache.delete(cache.keys().next().value!)
}

export function useCaseSummary(
  id: MaybeRefOrGetter<string | null>,
  options: { delayMs?: number; ttlMs?: number } = {},
) {
  const delayMs = options.delayMs ?? 150
  const ttlMs = options.ttlMs ?? 30_000
  const summary = shallowRef<CaseSummary | null>(null)
  let timer: ReturnType<typeof setTimeout> | undefined
  let inflight: AbortController | undefined

  async function load(caseId: string): Promise<void> {
    inflight?.abort()
    const ctrl = (inflight = new AbortController())
    try {
      const res = await apiFetch(`/api/v1/cases/${encodeURIComponent(caseId)}`, { signal: ctrl.signal })
      if (!res.ok) return
      const r = (await res.json()) as CaseRecord
      const s: CaseSummary = { id: r.id, priority: r.priority, reportedAt: Date.parse(r.reportedAt) }
      remember(s, Date.now())
      if (ctrl === inflight) summary.value = s
    } catch {
      // the card shows what the stream knows; nothing to report on a hover
    }
  }

  watch(
    () => toValue(id),
    (caseId) => {
      clearTimeout(timer)
      inflight?.abort()
      inflight = undefined
      summary.value = null
      if (caseId === null) return
      const hit = cache.get(caseId)
      if (hit && Date.now() - hit.at < ttlMs) {
        summary.value = hit.summary
        return
      }
      timer = setTimeout(() => void load(caseId), delayMs)
    },
    { immediate: true },
  )

  onScopeDispose(() => {
    clearTimeout(timer)
    inflight?.abort()
  })
  return summary
}
