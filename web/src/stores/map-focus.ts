/**
 * Requests to move the map's camera, from anything that is not the map: an alert
 * flying to its subject, a scene of the carousel, a detail panel's "locate".
 * The map watches `request` and flies; each request is a new object, so asking
 * twice for the same place flies twice.
 */
import { defineStore } from 'pinia'
import { shallowRef } from 'vue'
import type { BBox } from '@gridsight/shared'

export type MapFocusTarget = { kind: 'point'; lon: number; lat: number; zoom?: number } | { kind: 'bbox'; bbox: BBox }

export interface MapFocusRequest {
  target: MapFocusTarget
  /** who asked, for logs and tests: 'alert', 'scene', 'scope', 'detail' … */
  reason: string
  /** 0 jumps; otherwise the fly duration in ms */
  durationMs: number
}

export const useMapFocusStore = defineStore('map-focus', () => {
  const request = shallowRef<MapFocusRequest | null>(null)

  function focus(target: MapFocusTarget, reason: string, durationMs = 1500): void {
    request.value = { target, reason, durationMs }
  }

  return { request, focus }
})
