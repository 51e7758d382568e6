import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { effectScope, nextTick, shallowRef } from 'vue'
import { useThrottled } from './useThrottled.ts'

describe('useThrottled', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('passes the first change at once and the latest one per interval, then stops', async () => {
    const source = shallowRef(0)
    const scope = effectScope()
    const out = scope.run(() => useThrottled(source, 1000))!

    source.value = 1
    await nextTick()
    expect(out.value).toBe(1)

    for (const v of [2, 3, 4]) {
      source.value = v
      await nextTick()
    }
    expect(out.value).toBe(1)
    vi.advanceTimersByTime(1000)
    expect(out.value).toBe(4)

    source.value = 5
    await nextTick()
    scope.stop()
    vi.advanceTimersByTime(5000)
    expect(out.value).toBe(4)
    expect(vi.getTimerCount()).toBe(0)
  })
})
