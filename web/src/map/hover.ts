/**
 * What a hover over a deck.gl entity layer points at, resolved against the
 * mirror's columns (the layers draw rows of the mirror's tables by index).
 */
import { STATUS_CODES, type EntityKind, type LiveMirror } from '@gridsight/shared'
import { CAMERAS_LAYER_ID } from './cameras-layer.ts'
import { MEMBERS_LAYER_ID } from './members-layer.ts'
import { DISPUTES_LAYER_ID } from './disputes-layer.ts'
import { CASES_LAYER_ID, overdueDeadlines, type OverdueDeadline } from './cases-layer.ts'

export interface HoverTarget {
  kind: EntityKind
  id: string
  status: string
  /** the row's label: camera kind, member role, case type, dispute category */
  attr: string | null
  /** a case past a deadline: which, from the server's flags (absent when none, or not sent) */
  overdue?: OverdueDeadline[]
  /** pointer position in the map's CSS pixels */
  x: number
  y: number
}

const KIND_OF_LAYER: Record<string, EntityKind> = {
  [CAMERAS_LAYER_ID]: 'cameras',
  [MEMBERS_LAYER_ID]: 'members',
  [CASES_LAYER_ID]: 'cases',
  [DISPUTES_LAYER_ID]: 'disputes',
}

/**
 * `index` is the mirror row: the cameras and members layers draw every row, so their
 * picked index is the row; the cases layer leaves closed cases out and the disputes layer
 * old finished ones, so their caller maps the picked index first (CasesLayers.rowAt,
 * DisputesLayers.rowAt).
 */
export function hoverTarget(
  mirror: LiveMirror,
  layerId: string | undefined,
  index: number,
  x: number,
  y: number,
): HoverTarget | null {
  const kind = layerId === undefined ? undefined : KIND_OF_LAYER[layerId]
  if (!kind || index < 0) return null
  const t = mirror.tables[kind]
  if (index >= t.count) return null
  const status: readonly string[] = STATUS_CODES[kind]
  return {
    kind,
    id: t.ids[index]!,
    status: status[t.status[index]!] ?? 'unknown',
    attr: t.dict[t.attr[index]!] ?? null,
    ...(kind === 'cases' && t.flags[index] ? { overdue: overdueDeadlines(t.flags[index]!) } : {}),
    x,
    y,
  }
}

/**
 * What the hover card shows: the hovered entity, unless the detail panel is open on that very
 * entity. The panel then says all the card would, and the card (drawn over the screen's panels,
 * at the pointer) would stand over it; it comes back once the panel closes or the pointer moves
 * to another entity. Leaving the map for the panel ends the hover itself (deck.gl's pointerleave).
 */
export function hoverCardTarget(
  hover: HoverTarget | null,
  detail: { kind: string; id: string } | null,
): HoverTarget | null {
  if (hover === null || (detail !== null && detail.kind === hover.kind && detail.id === hover.id)) return null
  return hover
}
