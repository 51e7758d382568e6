import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { effectScope, nextTick, shallowRef } from 'vue'

const calls: string[] = []
vi.mock('../api/http.ts', () => ({
  apiFetch: (url: string) => {
    calls.push(url)
    const id = decodeURIComponent(url.split('/').at(-1)!)
    if (id === 'GONE') return Promise.resolve(new Response('{}', { status: 404 }))
    return Promise.resolve(
      new Response(JSON.stringify({ id, priority: 1, reportedAt: '2026-11-22T01:00:00.000Z', history: [] })),
    )
  },
}))

const { clearCaseSummaries, useCaseSummary } = await import('./useCaseSummary.ts')

describe('useCaseSummary', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    calls.length = 0
    clearCaseSummaries()
  })
  afterEach(() => vi.useRealTimers())

  it('asks only once the pointer rests on a case, and not again for a while', async () => {
    const id = shallowRef<string | null>('A1')
    const scope = effectScope()
    const summary = scope.run(() => useCaseSummary(id, { delayMs: 150, ttlMs: 30_000 }))!
    // sweeping over A1 and A2 on the way to A3 sends nothing for them
    vi.advanceTimersByTime(100)
    id.value = 'A2'
    await nextTick()
    vi.advanceTimersByTime(100)
    id.value = 'A3'
    await nextTick()
    expect(calls).toEqual([])
    await vi.advanceTimersByTimeAsync(150)
    expect(calls).toEqual(['/api/v1/cases/A3'])
    await vi.waitFor(() =>
      expect(summary.value).toEqual({ id: 'A3', priority: 1, reportedAt: Date.parse('2026-11-22T01:00:00Z') }),
    )

    // off the case and back: from the cache, at once
    id.value = null
    await nextTick()
    expect(summary.value).toBeNull()
    id.value = 'A3'
    await nextTick()
    expect(summary.value?.id).toBe('A3')
    expect(calls).toHaveLength(1)

    // the cache entry expires
    id.value = null
    await nextTick()
    vi.advanceTimersByTime(30_000)
    id.value = 'A3'
    await nextTick()
    expect(summary.value).toBeNull()
    await vi.advanceTimersByTimeAsync(150)
    expect(calls).toHaveLength(2)
    scope.stop()
  })

  it('shows nothing more for a case the server does not answer for, and stops with its scope', async () => {
    const id = shallowRef<string | null>('GONE')
    const scope = effectScope()
    const summary = scope.run(() => useCaseSummary(id, { delayMs: 50 }))!
    await vi.advanceTimersByTimeAsync(50)
    expect(calls).toEqual(['/api/v1/cases/GONE'])
    expect(summary.value).toBeNull()
    id.value = 'B1'
    await nextTick()
    scope.stop()
    await vi.advanceTimersByTimeAsync(500)
    expect(calls).toHaveLength(1)
  })
})
