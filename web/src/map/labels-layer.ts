/**
 * Chinese unit names on the map without a glyph server: a deck.gl TextLayer
 * whose font atlas is drawn in the browser from the installed Noto Sans CJK SC,
 * for exactly the characters of the region's unit names.
 */
import { TextLayer } from '@deck.gl/layers'
import type { ScopeUnit } from '../stores/scope.ts'

export const LABELS_LAYER_ID = 'unit-labels'
export const LABEL_FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif'

export interface UnitLabel {
  code: string
  name: string
  position: [number, number]
}

/** Every distinct character of the names (plus digits, for 第1网格), in a stable order. */
export function characterSetOf(names: Iterable<string>): string[] {
  const set = new Set<string>('0123456789')
  for (const n of names) for (const ch of n) set.add(ch)
  return [...set].sort()
}

/** The units of `level` inside the scope, each labelled at its bounding box's centre. */
export function unitLabels(units: Iterable<ScopeUnit>, scopeCode: string, level: ScopeUnit['level']): UnitLabel[] {
  const out: UnitLabel[] = []
  for (const u of units) {
    if (u.level !== level || !u.code.startsWith(scopeCode)) continue
    const [w, s, e, n] = u.bbox
    out.push({ code: u.code, name: u.name, position: [(w + e) / 2, (s + n) / 2] })
  }
  return out
}

export function labelsLayer(labels: UnitLabel[], characterSet: string[], symbolScale: number): TextLayer<UnitLabel> {
  return new TextLayer<UnitLabel>({
    id: LABELS_LAYER_ID,
    data: labels,
    characterSet,
    fontFamily: LABEL_FONT,
    fontWeight: 500,
    // SDF at 32 px keeps the atlas of ~700 CJK glyphs quick to draw and still crisp when scaled
    fontSettings: { sdf: true, fontSize: 32, buffer: 4 },
    getPosition: (d) => d.position,
    getText: (d) => d.name,
    getSize: 16,
    sizeScale: symbolScale,
    getColor: [220, 236, 255, 230],
    outlineWidth: 4,
    outlineColor: [5, 13, 26, 230],
    getTextAnchor: 'middle',
    getAlignmentBaseline: 'center',
    pickable: false,
  })
}
