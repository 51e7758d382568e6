/** A tiny region and builders for the alert engine's tests. */
import type { CameraRow, CaseRow, DisputeRow, MemberRow } from '../db/index.ts'
import { loadKpiConfig } from '../kpi/config.ts'
import { loadAlertsConfig } from './config.ts'
import { AlertEngine, type AlertUnit } from './engine.ts'
import { AlertBook, type Transition } from './lifecycle.ts'

export const G1 = '330402001001001'
export const G2 = '330402001001002'
export const COMM = '330402001001'
export const MINUTE = 60_000
/** Monday 2026-11-23 10:00 in Shanghai (duty hours) */
export const T0 = Date.parse('2026-11-23T10:00:00+08:00')

const unit = (code: string, level: AlertUnit['level'], parent: string | null, areaKm2 = 1): AlertUnit => ({
  code,
  name: `U${code}`,
  level,
  parent,
  urban: true,
  areaKm2,
  centre: [120.5, 30.5],
})

export function makeEngine(tweak: (rules: ReturnType<typeof loadAlertsConfig>['rules']) => void = () => {}) {
  const rules = structuredClone(loadAlertsConfig().rules)
  tweak(rules)
  const transitions: Transition[] = []
  const book = new AlertBook((t) => transitions.push(t))
  const engine = new AlertEngine({
    units: [
      unit('330402', 'district', null, 100),
      unit('330402001', 'street', '330402', 10),
      unit(COMM, 'community', '330402001', 2),
      unit(G1, 'grid', COMM, 1),
      // a small grid: 1 km² at the urban standard of 70/km²
      unit(G2, 'grid', COMM, 1),
    ],
    regionCode: '330402',
    densityStandards: { urbanPerKm2: 70, ruralPerKm2: 8 },
    rules,
    kpi: loadKpiConfig(),
    book,
    // west of 120.5 is G1, east is G2
    locate: (lon) => (lon < 120.5 ? G1 : G2),
  })
  const open = () => [...book.open.values()]
  const raised = (rule: string) => transitions.filter((t) => t.alert.rule === rule && t.action === 'raised')
  return { engine, book, transitions, open, raised }
}

export const camera = (id: string, status: CameraRow['status'], ts: number, gridCode = G1): CameraRow => ({
  id,
  name: null,
  kind: 'public',
  lon: gridCode === G1 ? 120.4 : 120.6,
  lat: 30.5,
  gridCode,
  status,
  ts,
})

export const member = (id: string, ts: number, over: Partial<MemberRow> = {}): MemberRow => ({
  id,
  name: null,
  role: 'full_time',
  onDuty: true,
  gridCode: G1,
  lon: 120.4,
  lat: 30.5,
  accuracy: null,
  speed: null,
  heading: null,
  ts,
  sos: false,
  ...over,
})

export const caseRow = (id: string, status: string, ts: number, over: Partial<CaseRow> = {}): CaseRow => ({
  id,
  type: '环境卫生',
  status,
  priority: 3,
  title: null,
  source: null,
  assignee: null,
  lon: 120.4,
  lat: 30.5,
  gridCode: G1,
  reportedAt: ts,
  ts,
  ...over,
})

export const dispute = (id: string, status: string, ts: number, acceptedAt = ts): DisputeRow => ({
  id,
  category: '邻里纠纷',
  status,
  title: null,
  parties: 2,
  lon: 120.4,
  lat: 30.5,
  gridCode: G1,
  acceptedAt,
  ts,
})

export const empty = { cameras: [], members: [], cases: [], disputes: [] }
