import { createI18n } from 'vue-i18n'
import { messages, type Locale } from './messages.ts'

const requested = new URLSearchParams(location.search).get('lang')
const locale: Locale = requested === 'en' ? 'en' : 'zh-CN'

export const i18n = createI18n({ legacy: false, locale, fallbackLocale: 'zh-CN', messages })
