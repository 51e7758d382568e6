/**
 * deck.gl's aggregation layers (camera aggregation at low zoom, hexagon columns,
 * the dispute heatmap) load on first need, outside the first screen's bundle.
 * Until they are in, callers draw without them.
 */
import type * as Aggregation from '@deck.gl/aggregation-layers'

type AggregationModule = typeof Aggregation

let mod: AggregationModule | null = null
let pending: Promise<AggregationModule> | null = null

/** The module if loaded; otherwise starts loading it and calls `onLoad` once it is in. */
export function aggregationLayers(onLoad: () => void): AggregationModule | null {
  if (mod) return mod
  pending ??= import('@deck.gl/aggregation-layers').then((m) => (mod = m))
  void pending.then(onLoad)
  return null
}
