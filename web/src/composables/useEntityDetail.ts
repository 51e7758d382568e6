/**
 * Loads what the detail panel shows for its target, through `apiFetch` (the one place
 * REST calls get their credential):
 *
 * - cameras: `GET /api/v1/cameras/:id` (record + status history)
 * - cases: `GET /api/v1/cases/:id` (record + lifecycle history)
 * - members: `GET /api/v1/members/:id` (record + today's track)
 * - disputes: `GET /api/v1/disputes/:id` (record + status history)
 * - unit: `GET /api/v1/stats?unit=` (all its figures)
 *
 * A new target clears the data at once (the panel never shows one entity under
 * another's name) and an answer to a superseded request is dropped. The live stream
 * keeps it fresh: when a delta touches the entity's row (status, attribute, position
 * or report time), it is loaded again, at most once per `minGapMs`; a unit's figures
 * are reloaded on a timer. Stops with the calling scope.
 */
import { onScopeDispose, shallowRef, toValue, watch, type MaybeRefOrGetter } from 'vue'
import type {
  CameraRecord,
  CaseRecord,
  DisputeRecord,
  MemberRecord,
  StatusEvent,
  TrackPoint,
  UnitStats,
} from '@gridsight/shared'
import { apiFetch } from '../api/http.ts'
import { useLiveStore } from '../stores/live.ts'
import type { DetailTarget } from '../stores/detail.ts'

export type CameraDetail = CameraRecord & { history: StatusEvent[] }
export type CaseDetail = CaseRecord & { history: StatusEvent[] }
export type MemberDetail = MemberRecord & { track: TrackPoint[] }
export type DisputeDetail = DisputeRecord & { history: StatusEvent[] }

export type EntityDetail =
  | { kind: 'cameras'; record: CameraDetail }
  | { kind: 'cases'; record: CaseDetail }
  | { kind: 'members'; record: MemberDetail }
  | { kind: 'disputes'; record: DisputeDetail }
  | { kind: 'unit'; record: UnitStats }

/** The REST resource of a target. */
export function detailUrl(target: DetailTarget): string {
  const id = encodeURIComponent(target.id)
  return target.kind === 'unit' ? `/api/v1/stats?unit=${id}` : `/api/v1/${target.kind}/${id}`
}

export interface EntityDetailOptions {
  /** least time between two loads caused by the stream (default 1 s; a moving member's track: 5 s) */
  minGapMs?: (target: DetailTarget) => number
  /** how often a unit's figures are reloaded (default 10 s) */
  unitRefreshMs?: number
}

const defaultGap = (t: DetailTarget) => (t.kind === 'members' ? 5000 : 1000)

export function useEntityDetail(target: MaybeRefOrGetter<DetailTarget | null>, options: EntityDetailOptions = {}) {
  const live = useLiveStore()
  const data = shallowRef<EntityDetail | null>(null)
  const error = shallowRef<{ status: number; message: string } | null>(null)
  const loading = shallowRef(false)
  const minGap = options.minGapMs ?? defaultGap
  const unitRefreshMs = options.unitRefreshMs ?? 10_000

  let inflight: AbortController | undefined
  let lastLoad = Number.NEGATIVE_INFINITY
  let timer: ReturnType<typeof setTimeout> | undefined
  /** what the stream last said of the entity's row */
  let rowSig = ''

  async function load(t: DetailTarget): Promise<void> {
    inflight?.abort()
    const ctrl = (inflight = new AbortController())
    lastLoad = Date.now()
    loading.value = true
    try {
      const res = await apiFetch(detailUrl(t), { signal: ctrl.signal })
      if (!res.ok) {
        const body = (await res.json().catch(() => null)) as { message?: string } | null
        if (ctrl !== inflight) return
        error.value = { status: res.status, message: body?.message ?? `HTTP ${res.status}` }
        return
      }
      const record = (await res.json()) as never
      if (ctrl !== inflight) return
      data.value = { kind: t.kind, record } as EntityDetail
      error.value = null
    } catch (err) {
      if (ctrl.signal.aborted) return
      error.value = { status: 0, message: (err as Error).message }
    } finally {
      if (ctrl === inflight) loading.value = false
    }
  }

  /** Loads now, or at the end of the current gap. */
  function reload(): void {
    const t = toValue(target)
    if (!t) return
    const wait = lastLoad + minGap(t) - Date.now()
    if (wait <= 0) {
      clearTimeout(timer)
      timer = undefined
      void load(t)
    } else timer ??= setTimeout(() => ((timer = undefined), reload()), wait)
  }

  function signature(t: DetailTarget): string {
    if (t.kind === 'unit') return ''
    const table = live.mirror.tables[t.kind]
    const row = table.row(t.id)
    if (row === undefined) return 'absent'
    return `${table.status[row]}/${table.attr[row]}/${table.pos[2 * row]}/${table.pos[2 * row + 1]}/${table.seen[row]}`
  }

  watch(
    () => {
      const t = toValue(target)
      return t ? `${t.kind}/${t.id}` : null
    },
    () => {
      clearTimeout(timer)
      timer = undefined
      inflight?.abort()
      inflight = undefined
      data.value = null
      error.value = null
      loading.value = false
      const t = toValue(target)
      if (!t) return
      rowSig = signature(t)
      lastLoad = Number.NEGATIVE_INFINITY
      void load(t)
    },
    { immediate: true },
  )

  // The stream says the entity changed: load it again (throttled).
  watch(
    () => live.version,
    () => {
      const t = toValue(target)
      if (!t || t.kind === 'unit') return
      const sig = signature(t)
      if (sig === rowSig) return
      rowSig = sig
      reload()
    },
  )

  const unitTimer = setInterval(() => {
    if (toValue(target)?.kind === 'unit') reload()
  }, unitRefreshMs)

  onScopeDispose(() => {
    clearTimeout(timer)
    clearInterval(unitTimer)
    inflight?.abort()
  })

  return { data, error, loading, reload }
}
