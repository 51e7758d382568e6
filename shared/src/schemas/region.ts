import Type from 'typebox'
import { Basemap } from './basemap.ts'

export const UnitLevel = Type.Union(
  [Type.Literal('district'), Type.Literal('street'), Type.Literal('community'), Type.Literal('grid')],
  { description: '区 · 街道/镇 · 社区/村 · 网格' },
)
export type UnitLevel = Type.Static<typeof UnitLevel>

export const RegionSummary = Type.Object(
  {
    adcode: Type.String({ pattern: '^\\d{6}$' }),
    name: Type.String(),
    fullName: Type.String(),
    bbox: Type.Tuple([Type.Number(), Type.Number(), Type.Number(), Type.Number()], {
      description: '[west, south, east, north], WGS-84 degrees',
    }),
    centre: Type.Tuple([Type.Number(), Type.Number()]),
    areaKm2: Type.Number(),
    densityStandards: Type.Object({
      urbanPerKm2: Type.Number({ description: 'cameras per km², urban units (national practice: 70)' }),
      ruralPerKm2: Type.Number({ description: 'cameras per km², non-urban units (national practice: 8)' }),
    }),
    counts: Type.Object({ street: Type.Integer(), community: Type.Integer(), grid: Type.Integer() }),
    dataNotes: Type.Object(
      { zh: Type.String(), en: Type.String() },
      { description: 'what is real and what is generated' },
    ),
    basemap: Basemap,
  },
  { $id: 'RegionSummary' },
)
export type RegionSummary = Type.Static<typeof RegionSummary>
