/**
 * Which page the app shows once someone is logged in: the wall, or (admins) the admin page,
 * `?page=admin` in the address bar so a reload or a bookmark keeps it. No router: two pages.
 */
import { shallowRef } from 'vue'

export type Page = 'wall' | 'admin'

const read = (): Page =>
  new URLSearchParams(globalThis.location?.search ?? '').get('page') === 'admin' ? 'admin' : 'wall'

export const page = shallowRef<Page>(read())
globalThis.addEventListener?.('popstate', () => (page.value = read()))

export function openPage(next: Page): void {
  if (next === page.value) return
  page.value = next
  const url = new URL(location.href)
  if (next === 'admin') url.searchParams.set('page', 'admin')
  else url.searchParams.delete('page')
  history.pushState(history.state, '', url)
}
