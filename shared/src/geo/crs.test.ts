import { describe, expect, it } from 'vitest'
import gcoordModule from 'gcoord'
import {
  bd09ToGcj02,
  bd09ToWgs84,
  convertCoordinates,
  convertPosition,
  gcj02ToBd09,
  gcj02ToWgs84,
  isInChina,
  parseCrs,
  wgs84ToBd09,
  wgs84ToGcj02,
} from './crs.ts'

// gcoord ships a CJS main with a default-export .d.ts; unwrap whichever shape the loader gives.
interface Gcoord {
  transform(input: [number, number], from: string, to: string): [number, number]
  WGS84: string
  GCJ02: string
  BD09: string
}
const gcoord = ((gcoordModule as unknown as { default?: Gcoord }).default ?? gcoordModule) as unknown as Gcoord

/** Great-circle-ish distance in metres, good enough for sub-metre comparisons. */
function metres(a: readonly number[], b: readonly number[]): number {
  const dLat = (a[1]! - b[1]!) * 111_320
  const dLon = (a[0]! - b[0]!) * 111_320 * Math.cos((a[1]! * Math.PI) / 180)
  return Math.hypot(dLat, dLon)
}

describe('published reference pairs', () => {
  it('WGS-84 → BD-09 (gcoord README: 天安门)', () => {
    const r = wgs84ToBd09(116.403988, 39.914266)
    expect(r[0]).toBeCloseTo(116.41661560068297, 8)
    expect(r[1]).toBeCloseTo(39.92196580126834, 8)
  })
  it('GCJ-02 → WGS-84 (gcoord README: [123, 45])', () => {
    const r = gcj02ToWgs84(123, 45)
    // gcoord stops iterating at 1e-6°; we iterate to 1e-10°, so agree to 6 decimals (~5 cm)
    expect(r[0]).toBeCloseTo(122.99395597, 6)
    expect(r[1]).toBeCloseTo(44.99804071, 6)
  })
  it('Jiaxing offset is the expected few hundred metres east/south', () => {
    const [lon, lat] = wgs84ToGcj02(120.75, 30.75)
    expect(lon - 120.75).toBeGreaterThan(0.004)
    expect(lon - 120.75).toBeLessThan(0.0047)
    expect(lat - 30.75).toBeLessThan(-0.002)
    expect(lat - 30.75).toBeGreaterThan(-0.0026)
    const bd = wgs84ToBd09(120.75, 30.75)
    expect(metres(bd, [120.75, 30.75])).toBeGreaterThan(800)
    expect(metres(bd, [120.75, 30.75])).toBeLessThan(1400)
  })
})

describe('agrees with gcoord inside China', () => {
  // deterministic pseudo-random points over eastern China
  let s = 42
  const rnd = (): number => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648
  const pts = Array.from({ length: 500 }, () => [103 + rnd() * 18, 26 + rnd() * 14] as [number, number])
  it('forward formulas match gcoord within 1 mm, inverses within 20–30 cm (gcoord iterates less)', () => {
    for (const p of pts) {
      expect(isInChina(p[0], p[1])).toBe(true)
      const pairs: [string, string, (lon: number, lat: number) => [number, number], number][] = [
        [gcoord.WGS84, gcoord.GCJ02, wgs84ToGcj02, 0.001],
        [gcoord.GCJ02, gcoord.BD09, gcj02ToBd09, 0.001],
        [gcoord.WGS84, gcoord.BD09, wgs84ToBd09, 0.001],
        [gcoord.GCJ02, gcoord.WGS84, gcj02ToWgs84, 0.2],
        [gcoord.BD09, gcoord.GCJ02, bd09ToGcj02, 0.2],
        [gcoord.BD09, gcoord.WGS84, bd09ToWgs84, 0.3],
      ]
      for (const [from, to, fn, tol] of pairs) {
        expect(metres(fn(p[0], p[1]), gcoord.transform([p[0], p[1]], from, to))).toBeLessThan(tol)
      }
    }
  })
  it('round trips to < 1 cm', () => {
    for (const p of pts) {
      expect(metres(gcj02ToWgs84(...wgs84ToGcj02(p[0], p[1])), p)).toBeLessThan(0.01)
      expect(metres(bd09ToWgs84(...wgs84ToBd09(p[0], p[1])), p)).toBeLessThan(0.01)
    }
  })
})

describe('outside China GCJ-02 is WGS-84', () => {
  it.each([
    ['Seoul', 126.978, 37.5665],
    ['Taipei', 121.5654, 25.033],
    ['Tokyo', 139.6917, 35.6895],
    ['Hanoi', 105.8342, 21.0278],
    ['Ulaanbaatar', 106.9057, 47.8864],
    ['London', -0.1276, 51.5072],
  ])('%s is not shifted', (_name, lon, lat) => {
    expect(isInChina(lon, lat)).toBe(false)
    expect(wgs84ToGcj02(lon, lat)).toEqual([lon, lat])
    expect(gcj02ToWgs84(lon, lat)).toEqual([lon, lat])
  })
  it.each([
    ['Beijing', 116.397, 39.908],
    ['Jiaxing', 120.75, 30.75],
    ['Urumqi', 87.617, 43.793],
    ['Lhasa', 91.117, 29.65],
    ['Harbin', 126.535, 45.803],
    ['Sanya', 109.512, 18.252],
    ['Hong Kong', 114.169, 22.319],
  ])('%s is inside China', (_name, lon, lat) => {
    expect(isInChina(lon, lat)).toBe(true)
    expect(wgs84ToGcj02(lon, lat)).not.toEqual([lon, lat])
  })
})

describe('CGCS2000 and conversions by name', () => {
  it('treats CGCS2000 as WGS-84', () => {
    expect(convertPosition(120.75, 30.75, 'cgcs2000', 'wgs84')).toEqual([120.75, 30.75])
    expect(convertPosition(120.75, 30.75, 'cgcs2000', 'gcj02')).toEqual(wgs84ToGcj02(120.75, 30.75))
  })
  it('parses user spellings', () => {
    expect(parseCrs('WGS-84')).toBe('wgs84')
    expect(parseCrs('EPSG:4490')).toBe('cgcs2000')
    expect(parseCrs('GCJ02')).toBe('gcj02')
    expect(parseCrs('bd09ll')).toBe('bd09')
    expect(parseCrs('EPSG:3857')).toBeNull()
  })
  it('converts nested coordinates without mutating, keeping z', () => {
    const poly = [
      [
        [120.75, 30.75, 5],
        [120.76, 30.75, 6],
        [120.76, 30.76, 7],
        [120.75, 30.75, 5],
      ],
    ]
    const copy = JSON.stringify(poly)
    const out = convertCoordinates(poly, 'gcj02', 'wgs84')
    expect(JSON.stringify(poly)).toBe(copy)
    expect(out[0]![1]![2]).toBe(6)
    expect(out[0]![0]![0]).toBeCloseTo(gcj02ToWgs84(120.75, 30.75)[0], 12)
  })
})
