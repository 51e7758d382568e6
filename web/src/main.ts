import { createApp } from 'vue'
import { createPinia } from 'pinia'
import AppShell from './AppShell.vue'
import { i18n } from './i18n/index.ts'
import './styles/theme.css'

createApp(AppShell).use(createPinia()).use(i18n).mount('#app')
