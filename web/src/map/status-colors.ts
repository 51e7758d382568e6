import type { MirrorTable } from '@gridsight/shared'

export type Rgba = readonly [number, number, number, number]

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
