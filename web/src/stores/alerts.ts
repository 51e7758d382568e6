/**
 * Alerts on the screen (issue 8): the open alerts of the screen's scope, kept from the `/live`
 * socket (`alerts` on connect replaces the list, `alert` upserts or drops one), newest first;
 * acknowledge / resolve / dispatch over REST with the operator key, entered once per browser
 * session (sessionStorage, never localStorage: a wall browser must not keep it).
 */
import { computed, ref } from 'vue'
import { defineStore } from 'pinia'
import type { Socket } from 'socket.io-client'
import type {
  Alert,
  AlertDetail,
  ClientToServerEvents,
  DispatchCandidates,
  ServerToClientEvents,
} from '@gridsight/shared'

const KEY_STORAGE = 'gridsight.operatorKey'
const NAME_STORAGE = 'gridsight.operatorName'

// absent outside a browser (unit tests)
const session: Storage | null = typeof sessionStorage === 'undefined' ? null : sessionStorage

/** The operator key is missing (status 0), not sent (401) or wrong (403). */
export class OperatorKeyError extends Error {
  override name = 'OperatorKeyError'
  readonly status: 0 | 401 | 403
  constructor(message: string, status: 0 | 401 | 403) {
    super(message)
    this.status = status
  }
}

export const useAlertsStore = defineStore('alerts', () => {
  const byId = ref(new Map<string, Alert>())
  const operatorKey = ref<string | null>(session?.getItem(KEY_STORAGE) ?? null)
  const operatorName = ref<string | null>(session?.getItem(NAME_STORAGE) ?? null)

  /** open alerts, newest first */
  const open = computed(() => [...byId.value.values()].sort((a, b) => b.raisedAt - a.raisedAt))
  /** P1 alerts not yet acknowledged: they hold the banner */
  const urgent = computed(() => open.value.filter((a) => a.severity === 'P1' && a.state === 'raised'))

  function replace(alerts: readonly Alert[]): void {
    byId.value = new Map(alerts.map((a) => [a.id, a]))
  }

  function apply(alert: Alert): void {
    const next = new Map(byId.value)
    if (alert.state === 'resolved') next.delete(alert.id)
    else next.set(alert.id, alert)
    byId.value = next
  }

  /**
   * Follows a `/live` socket (call once per socket). The socket is closed on purpose when the
   * screen's scope changes: the old scope's alerts go at once, the new scope's `alerts` follows
   * on connect. After a network loss they stay until the server's `alerts` replaces them.
   */
  function attach(socket: Socket<ServerToClientEvents, ClientToServerEvents>): void {
    socket.on('alerts', (payload) => replace(payload.alerts))
    socket.on('alert', (alert) => apply(alert))
    socket.on('disconnect', (reason) => {
      if (reason === 'io client disconnect') replace([])
    })
  }

  function setOperator(key: string, name?: string): void {
    operatorKey.value = key
    session?.setItem(KEY_STORAGE, key)
    if (name) {
      operatorName.value = name
      session?.setItem(NAME_STORAGE, name)
    }
  }

  async function post<T>(url: string, body: object): Promise<T> {
    if (!operatorKey.value) throw new OperatorKeyError('operator key required', 0)
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${operatorKey.value}` },
      body: JSON.stringify({ ...body, ...(operatorName.value ? { operator: operatorName.value } : {}) }),
    })
    if (res.status === 401 || res.status === 403) {
      operatorKey.value = null
      session?.removeItem(KEY_STORAGE)
      throw new OperatorKeyError(
        res.status === 401 ? 'operator key required' : 'operator key refused',
        res.status as 401 | 403,
      )
    }
    if (!res.ok) throw new Error(((await res.json()) as { message?: string }).message ?? res.statusText)
    return (await res.json()) as T
  }

  async function acknowledge(id: string, note?: string): Promise<void> {
    const d = await post<AlertDetail>(`/api/v1/alerts/${encodeURIComponent(id)}/ack`, note ? { note } : {})
    apply(d.alert)
  }

  async function resolve(id: string, note?: string): Promise<void> {
    const d = await post<AlertDetail>(`/api/v1/alerts/${encodeURIComponent(id)}/resolve`, note ? { note } : {})
    apply(d.alert)
  }

  async function candidates(caseId: string): Promise<DispatchCandidates> {
    const res = await fetch(`/api/v1/cases/${encodeURIComponent(caseId)}/dispatch-candidates`)
    if (!res.ok) throw new Error(res.statusText)
    return (await res.json()) as DispatchCandidates
  }

  async function dispatch(caseId: string, memberId: string): Promise<void> {
    await post(`/api/v1/cases/${encodeURIComponent(caseId)}/dispatch`, { memberId })
  }

  return {
    open,
    urgent,
    operatorKey,
    operatorName,
    replace,
    apply,
    attach,
    setOperator,
    acknowledge,
    resolve,
    candidates,
    dispatch,
  }
})
