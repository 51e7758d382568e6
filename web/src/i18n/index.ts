import { createI18n } from 'vue-i18n'
import { messages, resolveLocale } from './messages.ts'
import { readSetting, SETTING_KEYS } from '../settings/storage.ts'

export const i18n = createI18n({
  legacy: false,
  locale: resolveLocale(location.search, readSetting(SETTING_KEYS.locale)),
  fallbackLocale: 'zh-CN',
  messages,
})
