import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { nextTick } from 'vue'
import { useAlertsStore } from '../stores/alerts.ts'
import { useAlertDialogs } from './useAlertDialogs.ts'

const ok = { alert: { id: 'a', state: 'acknowledged' }, history: [] }

describe('operator key flow', () => {
  let statuses: number[]
  let auth: (string | null)[]
  beforeEach(() => {
    setActivePinia(createPinia())
    statuses = []
    auth = []
    vi.stubGlobal('fetch', async (_url: string, init: RequestInit) => {
      auth.push(new Headers(init.headers).get('authorization'))
      const status = statuses.shift() ?? 200
      return new Response(JSON.stringify(status === 200 ? ok : { message: 'no' }), { status })
    })
  })
  afterEach(() => vi.unstubAllGlobals())

  it('asks for the key when there is none, then again with the reason when the server refuses it', async () => {
    const dialogs = useAlertDialogs()
    const alerts = useAlertsStore()
    statuses = [403, 200]
    const done = dialogs.withOperatorKey(() => alerts.acknowledge('a'))
    await nextTick()
    expect(dialogs.keyPrompt.value?.reason).toBe(0)
    alerts.setOperator('wrong-key-0123456789', 'duty-1')
    dialogs.keyPrompt.value!.done(true)
    await vi.waitFor(() => expect(dialogs.keyPrompt.value?.reason).toBe(403))
    expect(alerts.operatorKey).toBeNull()
    alerts.setOperator('right-key-0123456789')
    dialogs.keyPrompt.value!.done(true)
    await done
    expect(auth).toEqual(['Bearer wrong-key-0123456789', 'Bearer right-key-0123456789'])
    expect(dialogs.keyPrompt.value).toBeNull()
  })

  it('uses a key already given without asking, and a cancel gives up quietly', async () => {
    const dialogs = useAlertDialogs()
    const alerts = useAlertsStore()
    alerts.setOperator('right-key-0123456789')
    await dialogs.withOperatorKey(() => alerts.acknowledge('a'))
    expect(dialogs.keyPrompt.value).toBeNull()
    statuses = [401]
    const done = dialogs.withOperatorKey(() => alerts.acknowledge('a'))
    await vi.waitFor(() => expect(dialogs.keyPrompt.value?.reason).toBe(401))
    dialogs.keyPrompt.value!.done(false)
    expect(await done).toBeUndefined()
    expect(auth).toHaveLength(2)
  })

  it('passes other errors (409 already resolved) to the caller with the server message', async () => {
    const dialogs = useAlertDialogs()
    const alerts = useAlertsStore()
    alerts.setOperator('right-key-0123456789')
    statuses = [409]
    await expect(dialogs.withOperatorKey(() => alerts.resolve('a'))).rejects.toThrow('no')
  })
})
