/**
 * A V8 heap snapshot (`.heapsnapshot` JSON, as CDP's HeapProfiler.takeHeapSnapshot writes it) counted
 * by what holds the bytes, for the wall soak: objects by constructor, closures by function name, the
 * rest (strings, compiled code, arrays, native) by node type.
 */
export interface HeapSnapshotJson {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } }
  nodes: number[]
  strings: string[]
}

export type Census = Map<string, { count: number; size: number }>

export function census(snap: HeapSnapshotJson): Census {
  const fields = snap.snapshot.meta.node_fields
  const types = snap.snapshot.meta.node_types[0]
  const F = fields.length
  const iType = fields.indexOf('type')
  const iName = fields.indexOf('name')
  const iSize = fields.indexOf('self_size')
  const out: Census = new Map()
  for (let i = 0; i < snap.nodes.length; i += F) {
    const type = types[snap.nodes[i + iType]!]!
    const name =
      type === 'object' || type === 'closure' ? `${type}:${snap.strings[snap.nodes[i + iName]!]}` : `(${type})`
    const c = out.get(name) ?? { count: 0, size: 0 }
    c.count++
    c.size += snap.nodes[i + iSize]!
    out.set(name, c)
  }
  return out
}

/** Self sizes in bytes: V8's compiled code and bytecode, strings, native (DOM, C++) and the rest (JS objects). */
export interface CensusSummary {
  total: number
  code: number
  strings: number
  native: number
  objects: number
}

const STRINGS = new Set(['(string)', '(concatenated string)', '(sliced string)'])

export function summarise(c: Census): CensusSummary {
  const out: CensusSummary = { total: 0, code: 0, strings: 0, native: 0, objects: 0 }
  for (const [name, { size }] of c) {
    out.total += size
    if (name === '(code)') out.code += size
    else if (name === '(native)') out.native += size
    else if (STRINGS.has(name)) out.strings += size
    else out.objects += size
  }
  return out
}
