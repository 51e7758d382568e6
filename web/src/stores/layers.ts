/**
 * What the map draws: which layers are on, which figure colours the grid
 * choropleth, the dispute heatmap's time window, and the dispute category shown
 * (by the heatmap and the dots alike). Set from the legend and from the scene
 * carousel (`apply`); persisted so a wall comes back as it was left.
 */
import { defineStore } from 'pinia'
import { ref, watch } from 'vue'
import { readSetting, writeSetting } from '../settings/storage.ts'

export const LAYER_IDS = [
  'choropleth',
  'cameras',
  'cameraHex',
  'disputeHeat',
  'disputes',
  'cases',
  'members',
  'memberTrails',
  'labels',
] as const
export type LayerId = (typeof LAYER_IDS)[number]

export const CHOROPLETH_METRICS = ['compliance', 'disputes', 'openCases', 'onlineRate'] as const
export type ChoroplethMetric = (typeof CHOROPLETH_METRICS)[number]

export const HEAT_WINDOWS = ['24h', '7d', '30d'] as const
export type HeatWindow = (typeof HEAT_WINDOWS)[number]

export interface LayerState {
  visible: Record<LayerId, boolean>
  choropleth: ChoroplethMetric
  heatWindow: HeatWindow
  /** the dispute category shown by the heatmap and by the dots; null for all */
  disputeCategory: string | null
}

export interface LayerStatePatch {
  visible?: Partial<Record<LayerId, boolean>>
  choropleth?: ChoroplethMetric
  heatWindow?: HeatWindow
  disputeCategory?: string | null
  /** the former name of `disputeCategory` (stored settings and playlists written before it) */
  heatCategory?: string | null
}

export const LAYERS_SETTING_KEY = 'gridsight.layers'

export function defaultLayerState(): LayerState {
  return {
    visible: {
      choropleth: true,
      cameras: true,
      cameraHex: false,
      disputeHeat: false,
      disputes: true,
      cases: true,
      members: true,
      memberTrails: true,
      labels: true,
    },
    choropleth: 'compliance',
    heatWindow: '7d',
    disputeCategory: null,
  }
}

const isIn = <T extends string>(list: readonly T[], v: unknown): v is T =>
  typeof v === 'string' && (list as readonly string[]).includes(v)

/**
 * Merges a partial state over `base`, keeping only what is valid: unknown layer
 * ids, metrics and windows are ignored, so a stale stored setting or a typo in a
 * scene cannot break the map.
 */
export function mergeLayerState(base: LayerState, patch: unknown): LayerState {
  const next: LayerState = { ...base, visible: { ...base.visible } }
  if (typeof patch !== 'object' || patch === null) return next
  const p = patch as Record<string, unknown>
  if (typeof p.visible === 'object' && p.visible !== null) {
    for (const [id, on] of Object.entries(p.visible))
      if (isIn(LAYER_IDS, id) && typeof on === 'boolean') next.visible[id] = on
  }
  if (isIn(CHOROPLETH_METRICS, p.choropleth)) next.choropleth = p.choropleth
  if (isIn(HEAT_WINDOWS, p.heatWindow)) next.heatWindow = p.heatWindow
  const category = 'disputeCategory' in p ? p.disputeCategory : p.heatCategory
  if (category === null || typeof category === 'string') next.disputeCategory = category
  return next
}

function readStored(): LayerState {
  const raw = readSetting(LAYERS_SETTING_KEY)
  if (raw === null) return defaultLayerState()
  try {
    return mergeLayerState(defaultLayerState(), JSON.parse(raw))
  } catch {
    return defaultLayerState()
  }
}

export const useLayersStore = defineStore('layers', () => {
  const initial = readStored()
  const visible = ref<Record<LayerId, boolean>>(initial.visible)
  const choropleth = ref<ChoroplethMetric>(initial.choropleth)
  const heatWindow = ref<HeatWindow>(initial.heatWindow)
  const disputeCategory = ref<string | null>(initial.disputeCategory)

  function snapshot(): LayerState {
    return {
      visible: { ...visible.value },
      choropleth: choropleth.value,
      heatWindow: heatWindow.value,
      disputeCategory: disputeCategory.value,
    }
  }

  /** Applies a partial state (a scene's layers); invalid parts are ignored. */
  function apply(patch: LayerStatePatch): void {
    const next = mergeLayerState(snapshot(), patch)
    visible.value = next.visible
    choropleth.value = next.choropleth
    heatWindow.value = next.heatWindow
    disputeCategory.value = next.disputeCategory
  }

  function setVisible(id: LayerId, on: boolean): void {
    apply({ visible: { [id]: on } })
  }

  function toggle(id: LayerId): void {
    setVisible(id, !visible.value[id])
  }

  watch(
    [visible, choropleth, heatWindow, disputeCategory],
    () => writeSetting(LAYERS_SETTING_KEY, JSON.stringify(snapshot())),
    {
      deep: true,
    },
  )

  return { visible, choropleth, heatWindow, disputeCategory, apply, setVisible, toggle, snapshot }
})
