import { describe, expect, it } from 'vitest'
import { census, summarise, type HeapSnapshotJson } from './heap-census.ts'

// the layout V8 writes: flat node records of node_fields, names as indexes into strings
const snap: HeapSnapshotJson = {
  snapshot: {
    meta: {
      node_fields: ['type', 'name', 'id', 'self_size', 'edge_count'],
      node_types: [['hidden', 'array', 'string', 'object', 'code', 'closure', 'native', 'concatenated string']],
    },
  },
  nodes: [
    ...[3, 0, 1, 40, 0], // object Mirror
    ...[3, 0, 3, 24, 0], // object Mirror
    ...[3, 1, 5, 16, 0], // object Object
    ...[4, 2, 7, 1000, 0], // code
    ...[2, 3, 9, 30, 0], // string
    ...[7, 3, 11, 20, 0], // concatenated string
    ...[6, 4, 13, 500, 0], // native
    ...[5, 5, 15, 32, 0], // closure onDelta
  ],
  strings: ['Mirror', 'Object', '(code)', 'abc', 'HTMLDivElement', 'onDelta'],
}

describe('heap census', () => {
  it('counts objects by constructor, closures by name and the rest by node type', () => {
    const c = census(snap)
    expect(c.get('object:Mirror')).toEqual({ count: 2, size: 64 })
    expect(c.get('object:Object')).toEqual({ count: 1, size: 16 })
    expect(c.get('closure:onDelta')).toEqual({ count: 1, size: 32 })
    expect(c.get('(code)')).toEqual({ count: 1, size: 1000 })
    expect(c.get('(native)')).toEqual({ count: 1, size: 500 })
  })

  it('sums code, strings, native and the JS objects apart', () => {
    expect(summarise(census(snap))).toEqual({ total: 1662, code: 1000, strings: 50, native: 500, objects: 112 })
  })
})
