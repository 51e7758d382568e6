/**
 * Screen settings: language and wall-scaling mode. URL parameters (`?lang=`,
 * `?scale=`) win at start-up; choices made on screen are stored and written back
 * to a URL parameter that is present.
 */
import { defineStore } from 'pinia'
import { ref, watch } from 'vue'
import { i18n } from '../i18n/index.ts'
import { messages, type Locale } from '../i18n/messages.ts'
import { resolveScaleMode, type ScaleMode } from '../layout/wall-scale.ts'
import { readSetting, replaceUrlParam, SETTING_KEYS, writeSetting } from '../settings/storage.ts'

export const useSettingsStore = defineStore('settings', () => {
  const locale = ref<Locale>(i18n.global.locale.value as Locale)
  const scaleMode = ref<ScaleMode>(resolveScaleMode(location.search, readSetting(SETTING_KEYS.scaleMode)))

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

  return { locale, scaleMode, setLocale, setScaleMode }
})
