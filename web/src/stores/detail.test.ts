import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { isReactive } from 'vue'
import { DETAIL_HOLD, useDetailStore } from './detail.ts'
import { useCarouselStore } from './carousel.ts'

describe('detail store', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('holds the carousel while a panel is open and releases it on close', () => {
    const detail = useDetailStore()
    const carousel = useCarouselStore()
    expect(carousel.held).toBe(false)
    detail.open({ kind: 'cameras', id: 'C1' })
    expect(carousel.held).toBe(true)
    expect(carousel.holds.has(DETAIL_HOLD)).toBe(true)
    // another entity: still one hold, the new target
    detail.open({ kind: 'cases', id: 'A1' })
    expect(detail.target).toEqual({ kind: 'cases', id: 'A1' })
    expect([...carousel.holds]).toEqual([DETAIL_HOLD])
    detail.close()
    expect(detail.target).toBeNull()
    expect(carousel.held).toBe(false)
  })

  it("never releases another holder's hold", () => {
    const detail = useDetailStore()
    const carousel = useCarouselStore()
    carousel.hold('alert')
    detail.open({ kind: 'unit', id: '330402001001001' })
    detail.close()
    detail.close()
    expect([...carousel.holds]).toEqual(['alert'])
  })

  it('keeps only the track of the member on show, unproxied, and drops it with the panel', () => {
    const detail = useDetailStore()
    detail.open({ kind: 'members', id: 'M1' })
    detail.setTrack('M2', [[120, 30]])
    expect(detail.track).toBeNull()
    detail.setTrack('M1', [
      [120, 30],
      [120.1, 30.1],
    ])
    expect(detail.track?.path).toHaveLength(2)
    expect(isReactive(detail.track)).toBe(false)
    detail.open({ kind: 'cameras', id: 'C1' })
    expect(detail.track).toBeNull()
    detail.open({ kind: 'members', id: 'M1' })
    detail.setTrack('M1', [[120, 30]])
    detail.close()
    expect(detail.track).toBeNull()
  })
})
