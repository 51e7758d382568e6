import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import type { Alert } from '@gridsight/shared'
import type { Socket } from 'socket.io-client'
import { useAlertsStore } from './alerts.ts'

const alert = (id: string, raisedAt: number, over: Partial<Alert> = {}): Alert => ({
  id,
  rule: 'caseP1',
  severity: 'P1',
  state: 'raised',
  unitCode: '330402001001001',
  subject: { kind: 'case', id: `c-${id}` },
  lon: 120.7,
  lat: 30.7,
  raisedAt,
  lastAt: raisedAt,
  count: 1,
  message: { zh: '紧急', en: 'urgent' },
  ackBy: null,
  ackAt: null,
  resolvedAt: null,
  resolvedBy: null,
  note: null,
  ...over,
})

describe('alerts store', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('keeps open alerts newest first; an acknowledged P1 leaves the banner, a resolved alert leaves the list', () => {
    const s = useAlertsStore()
    s.replace([alert('a', 1), alert('b', 3, { severity: 'P3', rule: 'cameraOffline' })])
    s.apply(alert('c', 2))
    expect(s.open.map((a) => a.id)).toEqual(['b', 'c', 'a'])
    expect(s.urgent.map((a) => a.id)).toEqual(['c', 'a'])
    s.apply(alert('a', 1, { state: 'acknowledged', ackBy: 'x', ackAt: 5 }))
    expect(s.urgent.map((a) => a.id)).toEqual(['c'])
    s.apply(alert('c', 2, { state: 'resolved', resolvedAt: 6 }))
    expect(s.open.map((a) => a.id)).toEqual(['b', 'a'])
    expect(s.urgent).toEqual([])
  })

  it('follows a socket: alerts replaces, alert upserts, a deliberate disconnect (scope change) clears', () => {
    const s = useAlertsStore()
    const handlers = new Map<string, (arg: unknown) => void>()
    const socket = { on: (ev: string, fn: (arg: unknown) => void) => handlers.set(ev, fn) }
    s.attach(socket as unknown as Socket)
    handlers.get('alerts')!({ alerts: [alert('a', 1)] })
    handlers.get('alert')!(alert('b', 2))
    expect(s.open.map((a) => a.id)).toEqual(['b', 'a'])
    handlers.get('disconnect')!('transport close')
    expect(s.open.map((a) => a.id)).toEqual(['b', 'a'])
    handlers.get('disconnect')!('io client disconnect')
    expect(s.open).toEqual([])
  })
})
