import Type from 'typebox'

export const RegionSummary = Type.Object(
  {
    adcode: Type.String({ pattern: '^\\d{6}$' }),
    name: Type.String(),
    bbox: Type.Tuple([Type.Number(), Type.Number(), Type.Number(), Type.Number()], {
      description: '[west, south, east, north], WGS-84 degrees',
    }),
  },
  { $id: 'RegionSummary' },
)
export type RegionSummary = Type.Static<typeof RegionSummary>
