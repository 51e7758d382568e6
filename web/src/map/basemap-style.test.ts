import { describe, expect, it } from 'vitest'
import type { RasterSourceSpecification } from 'maplibre-gl'
import type { Basemap } from '@gridsight/shared'
import { BASEMAP_LAYER, BASEMAP_SOURCE, withBasemap } from './basemap-style.ts'
import { offlineStyle } from './offline-style.ts'

const ORIGIN = 'http://screen.lan:8080'
const xyz: Basemap & { kind: 'xyz' } = {
  kind: 'xyz',
  tiles: ['https://t0.tianditu.gov.cn/DataServer?x={x}&y={y}&l={z}&tk=k'],
  tileSize: 256,
  attribution: '© 天地图',
}

describe('withBasemap', () => {
  it('leaves the offline style exactly as it is', () => {
    const style = offlineStyle('330402')
    expect(withBasemap(style, { kind: 'offline' }, ORIGIN)).toBe(style)
    expect(JSON.stringify(withBasemap(offlineStyle('330402'), { kind: 'offline' }, ORIGIN))).toBe(
      JSON.stringify(offlineStyle('330402')),
    )
  })

  it('puts an XYZ basemap right above the ground and below every boundary, with the same tile URLs', () => {
    const style = withBasemap(offlineStyle('330402'), xyz, ORIGIN)
    const ids = style.layers.map((l) => l.id)
    expect(ids.slice(0, 3)).toEqual(['ground', BASEMAP_LAYER, 'context-fill'])
    expect(ids.filter((id) => id === BASEMAP_LAYER)).toHaveLength(1)
    expect(style.layers[1]).toEqual({ id: BASEMAP_LAYER, type: 'raster', source: BASEMAP_SOURCE })
    expect(style.sources[BASEMAP_SOURCE]).toEqual({ type: 'raster', tiles: xyz.tiles, tileSize: 256 })
    // every offline layer is still there, in the same order
    expect(ids.filter((id) => id !== BASEMAP_LAYER)).toEqual(offlineStyle('330402').layers.map((l) => l.id))
  })

  it('turns the neighbours’ fill off and the region’s land translucent, touching no other layer', () => {
    const offline = offlineStyle('330402')
    const style = withBasemap(offline, xyz, ORIGIN)
    const paint = (id: string) => (style.layers.find((l) => l.id === id) as { paint?: Record<string, unknown> }).paint
    expect(paint('context-fill')).toEqual({ 'fill-color': '#0b1a2e', 'fill-opacity': 0 })
    expect(paint('district-fill')?.['fill-opacity']).toBeGreaterThan(0)
    expect(paint('district-fill')?.['fill-opacity']).toBeLessThan(1)
    const others = style.layers.filter((l) => ![BASEMAP_LAYER, 'context-fill', 'district-fill'].includes(l.id))
    expect(others).toEqual(offline.layers.filter((l) => !['context-fill', 'district-fill'].includes(l.id)))
  })

  it('reads a PMTiles archive through the pmtiles protocol at an absolute URL on our origin', () => {
    const style = withBasemap(
      offlineStyle('330402'),
      { kind: 'pmtiles', url: '/basemap/city.pmtiles', attribution: '' },
      ORIGIN,
    )
    const source = style.sources[BASEMAP_SOURCE] as RasterSourceSpecification
    expect(source).toEqual({
      type: 'raster',
      url: 'pmtiles://http://screen.lan:8080/basemap/city.pmtiles',
      tileSize: 256,
    })
    expect(style.layers[1]?.id).toBe(BASEMAP_LAYER)
  })
})
