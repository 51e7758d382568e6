import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { nextTick } from 'vue'
import { defaultLayerState, LAYERS_SETTING_KEY, mergeLayerState, useLayersStore } from './layers.ts'

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
Object.assign(globalThis, { localStorage: storage })

describe('mergeLayerState', () => {
  it('keeps valid parts and ignores unknown ids, metrics and windows', () => {
    const s = mergeLayerState(defaultLayerState(), {
      visible: { cameras: false, nope: true, members: 'yes' },
      choropleth: 'bogus',
      heatWindow: '30d',
      disputeCategory: '邻里纠纷',
    })
    expect(s.visible.cameras).toBe(false)
    expect(s.visible.members).toBe(true)
    expect('nope' in s.visible).toBe(false)
    expect(s.choropleth).toBe('compliance')
    expect(s.heatWindow).toBe('30d')
    expect(s.disputeCategory).toBe('邻里纠纷')
  })

  it('reads the category under its former name (heatCategory) from settings and playlists written before', () => {
    expect(mergeLayerState(defaultLayerState(), { heatCategory: '物业纠纷' }).disputeCategory).toBe('物业纠纷')
    const base = { ...defaultLayerState(), disputeCategory: '物业纠纷' }
    expect(mergeLayerState(base, { heatCategory: null }).disputeCategory).toBeNull()
    // the new name wins when both are there
    expect(mergeLayerState(base, { disputeCategory: '邻里纠纷', heatCategory: null }).disputeCategory).toBe('邻里纠纷')
    expect(mergeLayerState(base, { heatCategory: 3 }).disputeCategory).toBe('物业纠纷')
  })

  it('returns the base for junk', () => {
    expect(mergeLayerState(defaultLayerState(), 'x')).toEqual(defaultLayerState())
  })
})

describe('layers store', () => {
  beforeEach(() => {
    storage.clear()
    setActivePinia(createPinia())
  })

  it('toggles and applies partial states', () => {
    const s = useLayersStore()
    s.setVisible('cameraHex', true)
    expect(s.visible.cameraHex).toBe(true)
    s.toggle('cameraHex')
    expect(s.visible.cameraHex).toBe(false)
    s.apply({ choropleth: 'onlineRate', visible: { members: false } })
    expect(s.choropleth).toBe('onlineRate')
    expect(s.visible.members).toBe(false)
    expect(s.visible.cameras).toBe(true)
  })

  it('persists and restores', async () => {
    const s = useLayersStore()
    s.apply({ choropleth: 'disputes', heatWindow: '24h', visible: { disputeHeat: true } })
    await nextTick()
    expect(JSON.parse(storage.getItem(LAYERS_SETTING_KEY)!).choropleth).toBe('disputes')
    setActivePinia(createPinia())
    const again = useLayersStore()
    expect(again.choropleth).toBe('disputes')
    expect(again.heatWindow).toBe('24h')
    expect(again.visible.disputeHeat).toBe(true)
  })

  it('survives a corrupt stored value', () => {
    storage.setItem(LAYERS_SETTING_KEY, '{not json')
    expect(useLayersStore().choropleth).toBe('compliance')
  })
})
