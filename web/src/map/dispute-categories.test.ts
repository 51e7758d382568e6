import { describe, expect, it } from 'vitest'
import { categoriesIn, sameList } from './dispute-categories.ts'

describe('categoriesIn', () => {
  it('lists the categories of the rows, most frequent first, leaving out dict entries no row uses', () => {
    const table = {
      count: 5,
      dict: ['邻里纠纷', '物业纠纷', '劳资纠纷', '其他'],
      // a sixth slot past count is not a row
      attr: new Uint16Array([1, 0, 1, 3, 1, 2]),
    }
    expect(categoriesIn(table)).toEqual(['物业纠纷', '其他', '邻里纠纷'])
  })

  it('counts a category named twice in the dict once, under its name', () => {
    const table = { count: 3, dict: ['邻里纠纷', '物业纠纷', '邻里纠纷'], attr: new Uint16Array([0, 2, 1]) }
    expect(categoriesIn(table)).toEqual(['邻里纠纷', '物业纠纷'])
  })

  it('is empty for an empty table', () => {
    expect(categoriesIn({ count: 0, dict: [], attr: new Uint16Array(0) })).toEqual([])
  })
})

describe('sameList', () => {
  it('compares entries in order', () => {
    expect(sameList(['a', 'b'], ['a', 'b'])).toBe(true)
    expect(sameList(['a', 'b'], ['b', 'a'])).toBe(false)
    expect(sameList(['a'], ['a', 'b'])).toBe(false)
  })
})
