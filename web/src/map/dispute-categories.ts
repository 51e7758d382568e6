/**
 * The dispute categories the legend's filter offers, from the live mirror: the heatmap and the
 * dots both draw the mirror's disputes, so the filter lists what they can show.
 */
import type { MirrorTable } from '@gridsight/shared'

/** The categories of the disputes in the table, most frequent first (ties by name). */
export function categoriesIn(table: Pick<MirrorTable, 'count' | 'attr' | 'dict'>): string[] {
  // the dict may name an entry twice (appended by deltas): count by name, not by index
  const byIndex = new Uint32Array(table.dict.length)
  for (let i = 0; i < table.count; i++) byIndex[table.attr[i]!]!++
  const n = new Map<string, number>()
  table.dict.forEach((name, k) => {
    if (byIndex[k]! > 0) n.set(name, (n.get(name) ?? 0) + byIndex[k]!)
  })
  return [...n.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([c]) => c)
}

/** Whether two lists hold the same entries in the same order (to keep the legend's list when nothing changed). */
export function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i])
}
