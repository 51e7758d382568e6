/**
 * Live state for the screen. The high-rate part (positions) stays in a raw
 * LiveMirror outside Vue's reactivity; components watch `version`, which ticks
 * once per applied snapshot or delta.
 */
import { defineStore } from 'pinia'
import { markRaw, ref, shallowRef } from 'vue'
import {
  ENTITY_KINDS,
  LiveMirror,
  STATUS_CODES,
  type DeltaResult,
  type EntityKind,
  type LiveDelta,
  type LiveSnapshot,
  type TableSnapshot,
} from '@gridsight/shared'

const ON_DUTY = [STATUS_CODES.members.indexOf('on-duty'), STATUS_CODES.members.indexOf('sos')]

export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'offline'

export const useLiveStore = defineStore('live', () => {
  const mirror = markRaw(new LiveMirror())
  const version = shallowRef(0)
  const connection = ref<ConnectionState>('connecting')
  /** client clock when data last arrived; drives the data-age display */
  const receivedAt = ref<number | null>(null)
  const memberCount = ref(0)
  /** members on duty (including those raising an SOS) */
  const membersOnDuty = ref(0)

  function touched(): void {
    version.value++
    receivedAt.value = Date.now()
    memberCount.value = mirror.memberCount
    membersOnDuty.value = mirror.tables.members.countStatus(ON_DUTY)
  }

  function applySnapshot(s: LiveSnapshot): void {
    mirror.applySnapshot(s)
    touched()
  }

  function applyDelta(d: LiveDelta): DeltaResult {
    const result = mirror.applyDelta(d)
    if (result === 'applied') touched()
    return result
  }

  /**
   * Forgets the stream: a new scope is a new stream, so nothing of the old one may
   * stay on screen or be offered as `since`. Figures read null until its snapshot.
   */
  function reset(): void {
    const empty: TableSnapshot = {
      ids: [],
      dict: [],
      pos: new Uint8Array(0),
      status: new Uint8Array(0),
      attr: new Uint8Array(0),
    }
    const tables = Object.fromEntries(ENTITY_KINDS.map((k) => [k, empty])) as Record<EntityKind, TableSnapshot>
    mirror.applySnapshot({ epoch: '', scope: '', seq: -1, ts: 0, tables })
    mirror.epoch = null
    mirror.scope = null
    version.value++
    receivedAt.value = null
    memberCount.value = 0
    membersOnDuty.value = 0
  }

  return { mirror, version, connection, receivedAt, memberCount, membersOnDuty, applySnapshot, applyDelta, reset }
})
