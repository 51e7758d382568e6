import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import type * as SettingsModule from './settings.ts'

class MemoryStorage {
  private m = new Map<string, string>()
  getItem(k: string): string | null {
    return this.m.get(k) ?? null
  }
  setItem(k: string, v: string): void {
    this.m.set(k, v)
  }
  clear(): void {
    this.m.clear()
  }
}
const storage = new MemoryStorage()
// the settings store (and the i18n it drives) reads the address bar and writes the document title
Object.assign(globalThis, {
  localStorage: storage,
  location: new URL('http://wall.test/'),
  history: { state: null, replaceState: () => undefined },
  document: { documentElement: { lang: '' }, title: '' },
})

let settings: typeof SettingsModule
beforeAll(async () => {
  settings = await import('./settings.ts')
})

describe('legend default', () => {
  it('is collapsed on a wall (display token) and open for a logged-in user until someone chooses', () => {
    expect(settings.legendOpenFor(null, true)).toBe(false)
    expect(settings.legendOpenFor(null, false)).toBe(true)
  })

  it('follows the choice made on this browser, on a wall and for a user alike', () => {
    for (const kiosk of [true, false]) {
      expect(settings.legendOpenFor(true, kiosk)).toBe(true)
      expect(settings.legendOpenFor(false, kiosk)).toBe(false)
    }
  })

  it('reads only a stored 1 or 0 as a choice', () => {
    expect(settings.parseLegendOpen('1')).toBe(true)
    expect(settings.parseLegendOpen('0')).toBe(false)
    for (const raw of [null, '', 'true', 'open']) expect(settings.parseLegendOpen(raw)).toBeNull()
  })
})

describe('settings store: legend', () => {
  beforeEach(() => {
    storage.clear()
    setActivePinia(createPinia())
  })

  it('has no choice on a fresh browser, and remembers a toggle across reloads', () => {
    const first = settings.useSettingsStore()
    expect(first.legendOpen).toBeNull()
    first.setLegendOpen(true)
    expect(storage.getItem(settings.LEGEND_OPEN_KEY)).toBe('1')

    // a reload: a new store reads the stored choice back
    setActivePinia(createPinia())
    const reloaded = settings.useSettingsStore()
    expect(reloaded.legendOpen).toBe(true)
    expect(settings.legendOpenFor(reloaded.legendOpen, true)).toBe(true)

    reloaded.setLegendOpen(false)
    setActivePinia(createPinia())
    expect(settings.useSettingsStore().legendOpen).toBe(false)
  })
})
