/**
 * Persisted screen settings (localStorage, which a kiosk may forbid: every access
 * is guarded) and the URL parameters that override them.
 */
export const SETTING_KEYS = {
  locale: 'gridsight.locale',
  scaleMode: 'gridsight.scaleMode',
} as const

export function readSetting(key: string): string | null {
  try {
    return globalThis.localStorage?.getItem(key) ?? null
  } catch {
    return null
  }
}

export function writeSetting(key: string, value: string): void {
  try {
    globalThis.localStorage?.setItem(key, value)
  } catch {
    // storage disabled (kiosk profile, private mode): the URL parameter still works
  }
}

/**
 * Rewrites `param` in the address bar when it is already there, so a reload keeps
 * the choice made on screen; leaves a URL without it alone.
 */
export function replaceUrlParam(param: string, value: string): void {
  const url = new URL(location.href)
  if (!url.searchParams.has(param)) return
  url.searchParams.set(param, value)
  history.replaceState(history.state, '', url)
}
