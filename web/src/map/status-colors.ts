import type { MirrorTable } from '@gridsight/shared'

export type Rgba = readonly [number, number, number, number]

/**
 * The wall's colours for where a piece of work stands, shared by cases and disputes so that one
 * colour means one stage on every layer: waiting amber, assigned blue, in hand violet, done green,
 * and the alarm red of overdue, escalated (督办) and offline.
 */
export const STAGE = {
  waiting: [255, 176, 32],
  assigned: [63, 169, 255],
  inHand: [176, 132, 255],
  done: [46, 230, 166],
  alarm: [255, 77, 79],
} as const satisfies Record<string, readonly [number, number, number]>

/** A stage colour at an opacity (0–255). */
export function stage(name: keyof typeof STAGE, alpha = 255): Rgba {
  const [r, g, b] = STAGE[name]
  return [r, g, b, alpha]
}

/**
 * A colour per row from a table's status column, written into one reused buffer
 * (4 bytes a row) that deck.gl takes as a binary attribute. One painter per layer.
 */
export function statusPainter(palette: readonly Rgba[]): (table: MirrorTable) => Uint8Array {
  let colors = new Uint8Array(0)
  return (table) => {
    const n = table.count
    if (colors.length < n * 4) colors = new Uint8Array(Math.max(n * 4, colors.length * 2))
    for (let i = 0; i < n; i++) colors.set(palette[table.status[i]!] ?? palette[0]!, i * 4)
    return colors.subarray(0, n * 4)
  }
}
