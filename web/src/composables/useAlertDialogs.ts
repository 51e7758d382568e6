/**
 * Which alert dialog is open (list, detail, operator key), shared by the ticker, the banner
 * and the dialogs host, and the operator-key flow: an action that needs the key asks for
 * it once (then sessionStorage keeps it) and asks again, saying why, when the server
 * refuses it (401/403).
 */
import { shallowRef } from 'vue'
import { OperatorKeyError, useAlertsStore } from '../stores/alerts.ts'

export interface KeyPrompt {
  /** 0: no key yet; 401/403: the server refused the one sent */
  reason: 0 | 401 | 403
  done: (ok: boolean) => void
}

const listOpen = shallowRef(false)
const detailId = shallowRef<string | null>(null)
const keyPrompt = shallowRef<KeyPrompt | null>(null)

function askKey(reason: KeyPrompt['reason']): Promise<boolean> {
  keyPrompt.value?.done(false)
  return new Promise((resolve) => {
    keyPrompt.value = {
      reason,
      done: (ok) => {
        keyPrompt.value = null
        resolve(ok)
      },
    }
  })
}

/**
 * Runs `action`, asking for the operator key first if there is none and again when it is
 * refused. Resolves to undefined when the operator cancels; other errors are thrown.
 */
async function withOperatorKey<T>(action: () => Promise<T>): Promise<T | undefined> {
  const alerts = useAlertsStore()
  let reason: KeyPrompt['reason'] | null = alerts.operatorKey ? null : 0
  for (;;) {
    if (reason !== null && !(await askKey(reason))) return undefined
    try {
      return await action()
    } catch (err) {
      if (!(err instanceof OperatorKeyError)) throw err
      reason = err.status
    }
  }
}

export function useAlertDialogs() {
  return {
    listOpen,
    detailId,
    keyPrompt,
    withOperatorKey,
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
