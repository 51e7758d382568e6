/**
 * Screen settings: language, wall-scaling mode, scene carousel, alert sound and whether the map
 * legend is open. URL parameters
 * (`?lang=`, `?scale=`, `?carousel=`) win at start-up; choices made on screen are stored and written back
 * to a URL parameter that is present.
 */
import { defineStore } from 'pinia'
import { ref, watch } from 'vue'
import { i18n } from '../i18n/index.ts'
import { messages, type Locale } from '../i18n/messages.ts'
import { resolveScaleMode, type ScaleMode } from '../layout/wall-scale.ts'
import { readSetting, replaceUrlParam, SETTING_KEYS, writeSetting } from '../settings/storage.ts'
import { resolveInterval } from './carousel.ts'

/** seconds per carousel scene (0: off), and a hand-written playlist (JSON, see parseScenes) */
export const CAROUSEL_KEYS = { seconds: 'gridsight.carousel', scenes: 'gridsight.scenes' } as const
const ALERT_SOUND_KEY = 'gridsight.alertSoundMuted'
/** '1' open, '0' collapsed; absent until someone toggles the legend on this browser */
export const LEGEND_OPEN_KEY = 'gridsight.legendOpen'

/** The stored legend choice, or null when nobody has made one on this browser. */
export function parseLegendOpen(raw: string | null): boolean | null {
  return raw === '1' ? true : raw === '0' ? false : null
}

/**
 * Whether the map legend is open: the choice made on this browser, else collapsed on an unattended
 * wall (a display-token session, where it would cover the map) and open for a logged-in user.
 */
export function legendOpenFor(choice: boolean | null, kiosk: boolean): boolean {
  return choice ?? !kiosk
}

export const useSettingsStore = defineStore('settings', () => {
  const locale = ref<Locale>(i18n.global.locale.value as Locale)
  const scaleMode = ref<ScaleMode>(resolveScaleMode(location.search, readSetting(SETTING_KEYS.scaleMode)))

  const carouselSeconds = ref(resolveInterval(location.search, readSetting(CAROUSEL_KEYS.seconds)) ?? 0)
  const scenesJson = ref<string | null>(readSetting(CAROUSEL_KEYS.scenes) || null)
  const alertSoundMuted = ref(readSetting(ALERT_SOUND_KEY) === '1')
  /** the legend toggled on this browser (null: never, the default for the session applies) */
  const legendOpen = ref<boolean | null>(parseLegendOpen(readSetting(LEGEND_OPEN_KEY)))

  function setLegendOpen(next: boolean): void {
    legendOpen.value = next
    writeSetting(LEGEND_OPEN_KEY, next ? '1' : '0')
  }

  function setAlertSoundMuted(next: boolean): void {
    alertSoundMuted.value = next
    writeSetting(ALERT_SOUND_KEY, next ? '1' : '0')
  }

  function setCarouselSeconds(next: number): void {
    carouselSeconds.value = next
    writeSetting(CAROUSEL_KEYS.seconds, String(next))
    replaceUrlParam('carousel', String(next))
  }

  /** A playlist written by hand; empty goes back to the default scenes. */
  function setScenesJson(next: string | null): void {
    scenesJson.value = next === null || next.trim() === '' ? null : next
    writeSetting(CAROUSEL_KEYS.scenes, scenesJson.value ?? '')
  }

  function setLocale(next: Locale): void {
    locale.value = next
    writeSetting(SETTING_KEYS.locale, next)
    replaceUrlParam('lang', next === 'en' ? 'en' : 'zh-CN')
  }

  function setScaleMode(next: ScaleMode): void {
    scaleMode.value = next
    writeSetting(SETTING_KEYS.scaleMode, next)
    replaceUrlParam('scale', next)
  }

  watch(
    locale,
    (next) => {
      i18n.global.locale.value = next
      document.documentElement.lang = next
      document.title = messages[next].documentTitle
    },
    { immediate: true },
  )

  return {
    locale,
    scaleMode,
    carouselSeconds,
    scenesJson,
    alertSoundMuted,
    legendOpen,
    setAlertSoundMuted,
    setLegendOpen,
    setLocale,
    setScaleMode,
    setCarouselSeconds,
    setScenesJson,
  }
})
