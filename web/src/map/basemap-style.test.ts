import { describe, expect, it } from 'vitest'
import type { LayerSpecification, RasterSourceSpecification } from 'maplibre-gl'
import { VECTOR_SCHEMA_LAYERS, VECTOR_SCHEMAS, type Basemap, type VectorSchema } from '@gridsight/shared'
import { BASEMAP_LAYER, BASEMAP_SOURCE, VECTOR_XYZ_MAX_ZOOM, rasterDimPaint, withBasemap } from './basemap-style.ts'
import { offlineStyle } from './offline-style.ts'

const ORIGIN = 'http://screen.lan:8080'
const xyz: Basemap & { kind: 'xyz' } = {
  kind: 'xyz',
  tiles: ['https://t0.tianditu.gov.cn/DataServer?x={x}&y={y}&l={z}&tk=k'],
  tileSize: 256,
  draw: { type: 'raster', dim: 0.7 },
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
    expect(style.layers[1]).toEqual({
      id: BASEMAP_LAYER,
      type: 'raster',
      source: BASEMAP_SOURCE,
      paint: rasterDimPaint(0.7),
    })
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
      { kind: 'pmtiles', url: '/basemap/city.pmtiles', draw: { type: 'raster', dim: 0 }, attribution: '' },
      ORIGIN,
    )
    const source = style.sources[BASEMAP_SOURCE] as RasterSourceSpecification
    expect(source).toEqual({
      type: 'raster',
      url: 'pmtiles://http://screen.lan:8080/basemap/city.pmtiles',
      tileSize: 256,
    })
    expect(style.layers[1]).toEqual({ id: BASEMAP_LAYER, type: 'raster', source: BASEMAP_SOURCE, paint: {} })
  })
})

describe('rasterDimPaint', () => {
  it('leaves the tiles as served at 0', () => {
    expect(rasterDimPaint(0)).toEqual({})
  })

  it('darkens the bright end, desaturates and flattens more as the dim grows, never to black', () => {
    const steps = [0.25, 0.5, 0.75, 1].map(rasterDimPaint)
    const max = steps.map((p) => p['raster-brightness-max'] as number)
    const saturation = steps.map((p) => p['raster-saturation'] as number)
    const contrast = steps.map((p) => p['raster-contrast'] as number)
    for (let i = 1; i < steps.length; i++) {
      expect(max[i]).toBeLessThan(max[i - 1]!)
      expect(saturation[i]).toBeLessThan(saturation[i - 1]!)
      expect(contrast[i]).toBeLessThan(contrast[i - 1]!)
    }
    expect(max[0]).toBeLessThan(1)
    expect(max.at(-1)).toBeGreaterThan(0)
    // within MapLibre's ranges: brightness 0..1, saturation and contrast -1..1
    for (const v of [...saturation, ...contrast]) expect(v).toBeGreaterThanOrEqual(-1)
    for (const p of steps) expect(p['raster-brightness-min']).toBeUndefined()
  })
})

const vectorXyz = (schema: VectorSchema): Basemap => ({
  kind: 'xyz',
  tiles: ['http://tiles.lan/{z}/{x}/{y}.pbf'],
  tileSize: 512,
  draw: { type: 'vector', schema },
  attribution: '',
})
type WithSourceLayer = LayerSpecification & { 'source-layer'?: string; source?: string }

describe('vector basemaps', () => {
  it.each(VECTOR_SCHEMAS)('%s: draws its layers right above the ground, below every offline layer', (schema) => {
    const style = withBasemap(offlineStyle('330402'), vectorXyz(schema), ORIGIN)
    const own = style.layers.filter((l) => (l as WithSourceLayer).source === BASEMAP_SOURCE)
    expect(own.length).toBeGreaterThan(5)
    const ids = style.layers.map((l) => l.id)
    expect(ids.slice(0, own.length + 2)).toEqual(['ground', ...own.map((l) => l.id), 'context-fill'])
    expect(ids.filter((id) => !id.startsWith('basemap'))).toEqual(offlineStyle('330402').layers.map((l) => l.id))
    expect(new Set(ids).size).toBe(ids.length)
  })

  it.each(VECTOR_SCHEMAS)(
    '%s: fills and lines only from the schema’s own source layers, no labels, no glyphs',
    (schema) => {
      const style = withBasemap(offlineStyle('330402'), vectorXyz(schema), ORIGIN)
      const own = style.layers.filter((l) => (l as WithSourceLayer).source === BASEMAP_SOURCE) as WithSourceLayer[]
      expect(new Set(own.map((l) => l.type))).toEqual(new Set(['fill', 'line']))
      expect(style.layers.some((l) => l.type === 'symbol')).toBe(false)
      expect(style.glyphs).toBeUndefined()
      expect(style.sprite).toBeUndefined()
      // every layer the server checks an archive for is drawn, and nothing else is asked for
      expect(new Set(own.map((l) => l['source-layer']))).toEqual(new Set(VECTOR_SCHEMA_LAYERS[schema]))
      // no sprite behind a pattern or icon either
      expect(JSON.stringify(own)).not.toMatch(/pattern|icon|text-/)
    },
  )

  it('maps each schema’s names: water and land use in both, roads and buildings under their own names', () => {
    const layerOf = (schema: VectorSchema) => {
      const style = withBasemap(offlineStyle('330402'), vectorXyz(schema), ORIGIN)
      return Object.fromEntries(
        style.layers
          .filter((l) => (l as WithSourceLayer).source === BASEMAP_SOURCE)
          .map((l) => [l.id, `${l.type}:${(l as WithSourceLayer)['source-layer']}`]),
      )
    }
    expect(layerOf('openmaptiles')).toMatchObject({
      'basemap-water': 'fill:water',
      'basemap-landuse': 'fill:landuse',
      'basemap-landcover': 'fill:landcover',
      'basemap-park': 'fill:park',
      'basemap-building': 'fill:building',
      'basemap-waterway': 'line:waterway',
      'basemap-road-major': 'line:transportation',
      'basemap-railway': 'line:transportation',
      'basemap-boundary': 'line:boundary',
    })
    expect(layerOf('protomaps')).toMatchObject({
      'basemap-earth': 'fill:earth',
      'basemap-water': 'fill:water',
      'basemap-landuse': 'fill:landuse',
      'basemap-building': 'fill:buildings',
      'basemap-road-major': 'line:roads',
      'basemap-railway': 'line:roads',
      'basemap-boundary': 'line:boundaries',
    })
  })

  it('reads vector XYZ tiles up to the zoom services cut, and a vector archive through the protocol', () => {
    expect(withBasemap(offlineStyle('330402'), vectorXyz('protomaps'), ORIGIN).sources[BASEMAP_SOURCE]).toEqual({
      type: 'vector',
      tiles: ['http://tiles.lan/{z}/{x}/{y}.pbf'],
      maxzoom: VECTOR_XYZ_MAX_ZOOM,
    })
    const archive = withBasemap(
      offlineStyle('330402'),
      {
        kind: 'pmtiles',
        url: '/basemap/city.pmtiles',
        draw: { type: 'vector', schema: 'openmaptiles' },
        attribution: '',
      },
      ORIGIN,
    )
    expect(archive.sources[BASEMAP_SOURCE]).toEqual({
      type: 'vector',
      url: 'pmtiles://http://screen.lan:8080/basemap/city.pmtiles',
    })
  })
})
