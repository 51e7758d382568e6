import { describe, expect, it } from 'vitest'
import { messages, resolveLocale } from './messages.ts'

describe('resolveLocale', () => {
  it('takes ?lang= first, then the stored setting, then zh-CN', () => {
    expect(resolveLocale('?lang=en', 'zh-CN')).toBe('en')
    expect(resolveLocale('?lang=zh', 'en')).toBe('zh-CN')
    expect(resolveLocale('?scale=wide', 'en')).toBe('en')
    expect(resolveLocale('?lang=fr', 'xx')).toBe('zh-CN')
    expect(resolveLocale('', null)).toBe('zh-CN')
  })
})

/** Every key path of a message tree, e.g. `panel.members`. */
function keys(tree: object, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) =>
    typeof v === 'object' && v !== null ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`],
  )
}

describe('messages', () => {
  it('has the same keys in every language, none of them empty except English count units (人, 路, 件)', () => {
    expect(keys(messages.en).sort()).toEqual(keys(messages['zh-CN']).sort())
    const empty = keys(messages.en).filter((k) => {
      const v = k.split('.').reduce<unknown>((o, p) => (o as Record<string, unknown>)[p], messages.en)
      return v === ''
    })
    expect(empty.sort()).toEqual(['kpi.cameraUnit', 'kpi.caseUnit', 'kpi.personUnit'])
  })
})
