/**
 * Alerts on the screen (issue 8): the open alerts of the screen's scope, kept from the `/live`
 * socket (`alerts` on connect replaces the list, `alert` upserts or drops one), newest first;
 * acknowledge / resolve / dispatch over REST as the logged-in user (role operator or admin; the
 * server records who). On a wall, whose display token only reads, an operator logs in on the spot
 * (useAlertDialogs.withOperator).
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
import { apiError, apiFetch, apiJson } from '../api/http.ts'
import { useAuthStore } from './auth.ts'

/**
 * Acting needs a user who may: none is logged in (status 0), the session is over (401), or the
 * user may not act here (403: the server's message says why).
 */
export class OperatorAuthError extends Error {
  override name = 'OperatorAuthError'
  readonly status: 0 | 401 | 403
  constructor(message: string, status: 0 | 401 | 403) {
    super(message)
    this.status = status
  }
}

export const useAlertsStore = defineStore('alerts', () => {
  const byId = ref(new Map<string, Alert>())
  const auth = useAuthStore()

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

  async function post<T>(url: string, body: object): Promise<T> {
    if (auth.tokenFor('act') === undefined) throw new OperatorAuthError('log in as an operator', 0)
    const res = await apiFetch(url, {
      method: 'POST',
      purpose: 'act',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    if (!res.ok) {
      const err = await apiError(res)
      if (res.status === 401 || res.status === 403) throw new OperatorAuthError(err.message, res.status)
      throw err
    }
    auth.touch()
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
    return apiJson<DispatchCandidates>(`/api/v1/cases/${encodeURIComponent(caseId)}/dispatch-candidates`)
  }

  async function dispatch(caseId: string, memberId: string): Promise<void> {
    await post(`/api/v1/cases/${encodeURIComponent(caseId)}/dispatch`, { memberId })
  }

  return {
    open,
    urgent,
    replace,
    apply,
    attach,
    acknowledge,
    resolve,
    candidates,
    dispatch,
  }
})
