/**
 * MapLibre's `pmtiles://` protocol for a PMTiles basemap. Registered only when the server serves
 * one, and the `pmtiles` reader is a chunk of its own loaded then: the offline default neither
 * loads nor runs any of it.
 */
import maplibregl from 'maplibre-gl'
import type { Protocol } from 'pmtiles'

let protocol: Promise<Protocol> | undefined

export function registerPmtilesProtocol(): void {
  if (protocol) return
  const loaded = import('pmtiles').then(({ Protocol }) => new Protocol())
  protocol = loaded
  maplibregl.addProtocol('pmtiles', async (params, abort) => (await loaded).tilev4(params, abort))
}
