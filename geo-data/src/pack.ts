/** The region pack format (see geo-data/README.md). Types only, plus the format constants. */
import type { Level } from './validate.ts'

export const PACK_FORMAT = 'gridsight-region-pack/1'

export type UnitLevel = Level
export type LayerName = UnitLevel | 'context'

export interface UnitProps {
  /** statistical code: 6 digits district, 9 street, 12 community, 15 grid (community + 3) */
  code: string
  name: string
  level: UnitLevel
  /** code of the unit one level up; null for the district */
  parent: string | null
  /** urban (城镇: 70 cameras/km²) or not (非城镇: 8/km²) */
  urban: boolean
  /** geodesic area on WGS-84, km², 6 decimals (1 m²) */
  areaKm2: number
}

export interface UnitFeature {
  type: 'Feature'
  properties: UnitProps
  geometry:
    | { type: 'Polygon'; coordinates: [number, number][][] }
    | { type: 'MultiPolygon'; coordinates: [number, number][][][] }
}

export interface UnitCollection {
  type: 'FeatureCollection'
  features: UnitFeature[]
}

export const CAMERA_FIELDS = ['id', 'lon', 'lat', 'grid', 'kind'] as const
/** [GB/T 28181-style id, lon, lat, grid code, 'public' (公安/政府) | 'social' (社会)] */
export type CameraRow = [string, number, number, string, 'public' | 'social']

export const MEMBER_FIELDS = ['id', 'name', 'role', 'grid'] as const
/** full_time 专职网格员 · part_time 兼职网格员 · police 社区民警 · auxiliary 辅警/公安特勤 */
export type MemberRole = 'full_time' | 'part_time' | 'police' | 'auxiliary'
export type MemberRow = [string, string, MemberRole, string]

export interface RegionMeta {
  format: string
  adcode: string
  name: string
  fullName: string
  seed: string
  crs: string
  /** [lon, lat] */
  centre: [number, number]
  /** [west, south, east, north] */
  bounds: [number, number, number, number]
  densityStandards: { urbanPerKm2: number; ruralPerKm2: number }
  layers: Record<LayerName, string>
  counts: { street: number; community: number; grid: number; camera: number; member: number }
  areaKm2: number
  files: { cameras: string; members: string }
  dataNotes: { zh: string; en: string }
  sources: { name: string; use: string; licence: string; notice: string }[]
  /** set by `pnpm gridsight import`: where the boundaries of the listed levels came from */
  imported?: { source: string; crs: string; levels: UnitLevel[] }
  stats: {
    urbanCameraDensity: number
    ruralCameraDensity: number
    urbanGridsBelowStandard: number
    ruralGridsBelowStandard: number
    socialCameras: number
  }
}
