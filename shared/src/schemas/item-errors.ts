/**
 * Turns TypeBox validation errors for one flat ingest item into short sentences
 * that name the field: "status must be one of online, offline, fault (got "up")".
 */
import { Compile } from 'typebox/compile'
import type { TSchema } from 'typebox'

interface SchemaNode {
  anyOf?: { const?: unknown }[]
  properties?: Record<string, SchemaNode>
  required?: string[]
  type?: string
  minimum?: number
  maximum?: number
  minLength?: number
  maxLength?: number
  pattern?: string
  description?: string
}

const show = (v: unknown): string => {
  const text = typeof v === 'string' ? JSON.stringify(v) : String(JSON.stringify(v) ?? v)
  return text.length > 40 ? `${text.slice(0, 37)}…` : text
}

function expectation(node: SchemaNode): string {
  if (node.anyOf?.every((b) => b.const !== undefined)) return `one of ${node.anyOf.map((b) => b.const).join(', ')}`
  const range =
    node.minimum !== undefined && node.maximum !== undefined ? ` from ${node.minimum} to ${node.maximum}` : ''
  switch (node.type) {
    case 'integer':
      return `an integer${range}`
    case 'number':
      return `a number${range}`
    case 'boolean':
      return 'true or false'
    case 'string': {
      if (node.description?.startsWith('ISO 8601'))
        return 'an ISO 8601 date-time with offset (e.g. 2026-11-22T09:30:00+08:00)'
      const len = node.maxLength !== undefined ? ` of ${node.minLength ?? 0} to ${node.maxLength} characters` : ''
      return node.pattern ? `a string${len} matching ${node.pattern}` : `a string${len}`
    }
    default:
      return `of type ${node.type ?? 'value'}`
  }
}

export interface ItemValidator<T> {
  check(item: unknown): item is T
  /** One sentence per offending field, in field order; empty when valid. */
  errors(item: unknown): string[]
}

export function itemValidator<T>(schema: TSchema): ItemValidator<T> {
  const compiled = Compile(schema)
  const root = schema as unknown as SchemaNode
  const fieldChecks = new Map(
    Object.entries(root.properties ?? {}).map(([key, node]) => [key, Compile(node as unknown as TSchema)]),
  )
  return {
    check: (item): item is T => compiled.Check(item),
    errors(item) {
      if (typeof item !== 'object' || item === null || Array.isArray(item)) return ['item must be an object']
      const record = item as Record<string, unknown>
      const messages = new Map<string, string>()
      for (const key of root.required ?? []) {
        if (!(key in record)) messages.set(key, `${key} is required`)
      }
      for (const key of Object.keys(record)) {
        const node = root.properties?.[key]
        const check = fieldChecks.get(key)
        if (!node || !check) {
          messages.set(key, `${key} is not a known field`)
        } else if (!check.Check(record[key])) {
          messages.set(key, `${key} must be ${expectation(node)} (got ${show(record[key])})`)
        }
      }
      // Anything the per-field pass did not explain still gets reported.
      if (messages.size === 0 && !compiled.Check(item)) {
        for (const e of compiled.Errors(item)) messages.set(e.instancePath, `${e.instancePath || 'item'} ${e.message}`)
      }
      return [...messages.values()]
    },
  }
}
