/**
 * Which alert dialog is open (list, detail, operator login), shared by the ticker, the banner
 * and the dialogs host, and the operator flow: an action needs a user with the role operator or
 * admin. On a wall (display token, read only) an operator logs in on the spot — asked once, then
 * that session acts until it has been idle a while — and is asked again, saying why, when the
 * server refuses (401: the session is over; 403: this user may not). A user logged in at a desk
 * acts as themselves; a refusal there is an error with the server's message.
 */
import { shallowRef } from 'vue'
import type { Alert } from '@gridsight/shared'
import { OperatorAuthError } from '../stores/alerts.ts'
import { useAuthStore } from '../stores/auth.ts'
import { useDetailStore } from '../stores/detail.ts'
import { useMapFocusStore } from '../stores/map-focus.ts'
import { alertDetailTarget, alertFocus } from './useAlertFormat.ts'

export interface OperatorPrompt {
  /** 0: nobody who may act is logged in; 401/403: the server refused the last attempt */
  reason: 0 | 401 | 403
  /** the server's message for 401/403 */
  message: string | null
  done: (ok: boolean) => void
}

const listOpen = shallowRef(false)
const detailId = shallowRef<string | null>(null)
const operatorPrompt = shallowRef<OperatorPrompt | null>(null)

function askOperator(reason: OperatorPrompt['reason'], message: string | null): Promise<boolean> {
  operatorPrompt.value?.done(false)
  return new Promise((resolve) => {
    operatorPrompt.value = {
      reason,
      message,
      done: (ok) => {
        operatorPrompt.value = null
        resolve(ok)
      },
    }
  })
}

/**
 * Runs `action` as an operator, asking one to log in first on a wall where none is, and again
 * when the server refuses. Resolves to undefined when the operator cancels; other errors (and
 * refusals of a desk user, who has the login page) are thrown.
 */
async function withOperator<T>(action: () => Promise<T>): Promise<T | undefined> {
  const auth = useAuthStore()
  let prompt: Pick<OperatorPrompt, 'reason' | 'message'> | null =
    auth.kiosk && auth.user === null ? { reason: 0, message: null } : null
  for (;;) {
    if (prompt !== null && !(await askOperator(prompt.reason, prompt.message))) return undefined
    try {
      return await action()
    } catch (err) {
      if (!(err instanceof OperatorAuthError) || (!auth.kiosk && err.status !== 0)) throw err
      // a user who may not act is no use to the next attempt
      if (err.status === 403) await auth.logout()
      prompt = { reason: err.status, message: err.status === 0 ? null : err.message }
    }
  }
}

/**
 * Opens the detail panel of an alert's subject (a case, a dispute, a camera …) and flies the map
 * there; the alert dialogs close, so the panel and the map are in view.
 */
function openSubject(alert: Pick<Alert, 'subject' | 'lon' | 'lat'>): void {
  listOpen.value = false
  detailId.value = null
  useDetailStore().open(alertDetailTarget(alert))
  const at = alertFocus(alert)
  if (at) useMapFocusStore().focus(at, 'alert')
}

export function useAlertDialogs() {
  return {
    openSubject,
    listOpen,
    detailId,
    operatorPrompt,
    withOperator,
    openList: () => {
      listOpen.value = true
    },
    openDetail: (id: string) => {
      detailId.value = id
    },
    close: () => {
      detailId.value = null
      listOpen.value = false
    },
  }
}
