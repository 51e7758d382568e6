import { describe, expect, it } from 'vitest'
import { effectScope, nextTick, shallowRef } from 'vue'
import type { ScaleMode } from '../layout/wall-scale.ts'
import { useWallScale, type WallWindow } from './useWallScale.ts'

/** A window stand-in that records its listeners. */
function fakeWindow(width: number, height: number, dpr: number) {
  const resize = new Set<() => void>()
  const media = new Map<string, Set<() => void>>()
  const win = {
    innerWidth: width,
    innerHeight: height,
    devicePixelRatio: dpr,
    addEventListener: (_: 'resize', l: () => void) => void resize.add(l),
    removeEventListener: (_: 'resize', l: () => void) => void resize.delete(l),
    matchMedia(query: string) {
      const set = media.get(query) ?? new Set()
      media.set(query, set)
      return {
        addEventListener: (_: string, l: () => void) => void set.add(l),
        removeEventListener: (_: string, l: () => void) => void set.delete(l),
      } as unknown as MediaQueryList
    },
  }
  return {
    win: win as WallWindow,
    resizeTo(w: number, h: number) {
      win.innerWidth = w
      win.innerHeight = h
      for (const l of [...resize]) l()
    },
    changeDpr(next: number) {
      const old = media.get(`(resolution: ${win.devicePixelRatio}dppx)`)
      win.devicePixelRatio = next
      for (const l of [...(old ?? [])]) l()
    },
    listenerCount: () => resize.size + [...media.values()].reduce((n, s) => n + s.size, 0),
  }
}

describe('useWallScale', () => {
  it('follows the viewport, the device pixel ratio and the mode, then removes its listeners', async () => {
    const fake = fakeWindow(1920, 1080, 1)
    const mode = shallowRef<ScaleMode>('fit')
    const scope = effectScope()
    const layout = scope.run(() => useWallScale({ mode, window: fake.win }))!

    expect(layout.value).toMatchObject({ scaleX: 1, mapPixelRatio: 1 })
    expect(fake.listenerCount()).toBe(2)

    fake.resizeTo(5760, 1080)
    expect(layout.value.stage).toMatchObject({ x: 1920, width: 1920 })

    mode.value = 'wide'
    await nextTick()
    expect(layout.value).toMatchObject({ mode: 'wide', canvas: { width: 5760, height: 1080 } })

    fake.changeDpr(2)
    expect(layout.value).toMatchObject({ dpr: 2, mapPixelRatio: 2 })
    // the media query is re-armed for the new ratio: still one media listener
    expect(fake.listenerCount()).toBe(2)
    fake.changeDpr(1.5)
    expect(layout.value.dpr).toBe(1.5)

    scope.stop()
    expect(fake.listenerCount()).toBe(0)
    fake.resizeTo(1920, 1080)
    expect(layout.value.viewport.width).toBe(5760)
  })

  it('keeps the same layout object when nothing changed', () => {
    const fake = fakeWindow(3840, 2160, 1)
    const scope = effectScope()
    const layout = scope.run(() => useWallScale({ mode: 'fit', window: fake.win }))!
    const before = layout.value
    fake.resizeTo(3840, 2160)
    expect(layout.value).toBe(before)
    scope.stop()
  })
})
