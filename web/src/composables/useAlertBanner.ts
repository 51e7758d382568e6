/**
 * What a P1 does to the wall while it is unacknowledged: the carousel holds, the map
 * flies to each new one, and the chime plays (unless muted). When the browser blocks
 * sound (no user gesture yet on an unattended wall) `soundBlocked` turns on and
 * `enableSound()`, called from a click, plays it and clears the hint.
 */
import { onScopeDispose, shallowRef, watch } from 'vue'
import { playChime } from '../audio/chime.ts'
import { useAlertsStore } from '../stores/alerts.ts'
import { useCarouselStore } from '../stores/carousel.ts'
import { useMapFocusStore } from '../stores/map-focus.ts'
import { useSettingsStore } from '../stores/settings.ts'
import { takeNew } from './useAlertFormat.ts'

const HOLD = 'alert'

export function useAlertBanner() {
  const alerts = useAlertsStore()
  const carousel = useCarouselStore()
  const mapFocus = useMapFocusStore()
  const settings = useSettingsStore()
  const soundBlocked = shallowRef(false)
  const seen = new Set<string>()

  async function chime(): Promise<void> {
    if (settings.alertSoundMuted) return
    soundBlocked.value = (await playChime()) === 'blocked'
  }

  watch(
    () => alerts.urgent,
    (urgent) => {
      // hold before flying, so the carousel cannot move the map away again
      if (urgent.length) carousel.hold(HOLD)
      else carousel.release(HOLD)
      const fresh = takeNew(seen, urgent)
      const newest = fresh.at(-1)
      if (!newest) return
      if (newest.lon !== null && newest.lat !== null)
        mapFocus.focus({ kind: 'point', lon: newest.lon, lat: newest.lat, zoom: 16 }, 'alert')
      void chime()
    },
    { immediate: true },
  )
  watch(
    () => settings.alertSoundMuted,
    (muted) => {
      if (muted) soundBlocked.value = false
    },
  )

  onScopeDispose(() => carousel.release(HOLD))

  return {
    soundBlocked,
    enableSound: () => void chime(),
  }
}
