import { describe, expect, it } from 'vitest'
import { ALERT_RULES } from '@gridsight/shared'
import { LOCALES, messages, resolveLocale } from './messages.ts'

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

describe('alert rule labels', () => {
  it('names every rule the server evaluates, in every language, and no rule it does not', () => {
    for (const locale of LOCALES) {
      const labels: Record<string, string> = messages[locale].alert.rule
      for (const rule of ALERT_RULES) {
        expect(typeof labels[rule], `${locale}: alert.rule.${rule}`).toBe('string')
        expect(labels[rule]!.trim(), `${locale}: alert.rule.${rule}`).not.toBe('')
      }
      expect(Object.keys(labels).sort()).toEqual([...ALERT_RULES].sort())
    }
    // the two languages word each rule differently (no English left in the Chinese labels)
    for (const rule of ALERT_RULES) {
      expect(messages['zh-CN'].alert.rule[rule]).not.toBe(messages.en.alert.rule[rule])
      expect(messages['zh-CN'].alert.rule[rule]).toMatch(/[\u4e00-\u9fff]/)
    }
  })
})
