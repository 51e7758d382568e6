/**
 * What the detail panel shows: one entity (camera, case, member, dispute) or one unit,
 * chosen by a click on the map. While it is open the carousel is held (reason
 * `detail`), so the scene does not change under the reader; closing releases it.
 * The panel hands a member's track here for the map to draw (markRaw: deck.gl
 * reads it, Vue must not proxy it).
 */
import { defineStore } from 'pinia'
import { markRaw, shallowRef } from 'vue'
import type { EntityKind } from '@gridsight/shared'
import { useCarouselStore } from './carousel.ts'

export type DetailKind = EntityKind | 'unit'

export interface DetailTarget {
  kind: DetailKind
  /** entity id, or the unit code */
  id: string
}

export interface DetailTrack {
  memberId: string
  /** [lon, lat] per fix, oldest first */
  path: [number, number][]
}

export const DETAIL_HOLD = 'detail'

export const useDetailStore = defineStore('detail', () => {
  const target = shallowRef<DetailTarget | null>(null)
  const track = shallowRef<DetailTrack | null>(null)

  function open(next: DetailTarget): void {
    const cur = target.value
    if (cur && cur.kind === next.kind && cur.id === next.id) return
    target.value = { kind: next.kind, id: next.id }
    track.value = null
    useCarouselStore().hold(DETAIL_HOLD)
  }

  function close(): void {
    if (target.value === null) return
    target.value = null
    track.value = null
    useCarouselStore().release(DETAIL_HOLD)
  }

  /** The track of the member on show; ignored when another entity is on show by now. */
  function setTrack(memberId: string, path: [number, number][]): void {
    const cur = target.value
    if (cur?.kind !== 'members' || cur.id !== memberId) return
    track.value = markRaw({ memberId, path: markRaw(path) })
  }

  return { target, track, open, close, setTrack }
})
