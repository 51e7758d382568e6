/**
 * Tracks the viewport and devicePixelRatio and maps the 1920×1080 design canvas
 * onto them (see layout/wall-scale.ts for the math). Listens to window resize and
 * to a resolution media query (DPR changes without a resize: moving the window to
 * another monitor, OS scaling, browser zoom); every listener is removed when the
 * calling scope is disposed.
 */
import { onScopeDispose, shallowRef, toValue, watch, type MaybeRefOrGetter, type ShallowRef } from 'vue'
import { computeWallLayout, DESIGN_CANVAS, type ScaleMode, type Size, type WallLayout } from '../layout/wall-scale.ts'

/** What the composable needs from `window`; injectable for tests. */
export interface WallWindow {
  readonly innerWidth: number
  readonly innerHeight: number
  readonly devicePixelRatio: number
  addEventListener(type: 'resize', listener: () => void): void
  removeEventListener(type: 'resize', listener: () => void): void
  matchMedia(query: string): Pick<MediaQueryList, 'addEventListener' | 'removeEventListener'>
}

export interface UseWallScaleOptions {
  mode: MaybeRefOrGetter<ScaleMode>
  design?: Size
  /** defaults to the global window */
  window?: WallWindow
  maxCanvasEdge?: number
  maxCanvasPixels?: number
}

export function useWallScale(options: UseWallScaleOptions): ShallowRef<WallLayout> {
  const win: WallWindow = options.window ?? window
  const measure = (): WallLayout =>
    computeWallLayout({
      viewport: { width: win.innerWidth, height: win.innerHeight },
      dpr: win.devicePixelRatio,
      mode: toValue(options.mode),
      design: options.design ?? DESIGN_CANVAS,
      maxCanvasEdge: options.maxCanvasEdge,
      maxCanvasPixels: options.maxCanvasPixels,
    })

  const layout = shallowRef(measure())

  function update(): void {
    const next = measure()
    if (!sameLayout(next, layout.value)) layout.value = next
  }

  // A resolution query matches one DPR only; re-arm it for the new one on each change.
  let media: ReturnType<WallWindow['matchMedia']> | null = null
  function onDprChange(): void {
    armDprQuery()
    update()
  }
  function armDprQuery(): void {
    media?.removeEventListener('change', onDprChange)
    media = win.matchMedia(`(resolution: ${win.devicePixelRatio}dppx)`)
    media.addEventListener('change', onDprChange)
  }

  win.addEventListener('resize', update)
  armDprQuery()
  const stopMode = watch(() => toValue(options.mode), update)

  onScopeDispose(() => {
    win.removeEventListener('resize', update)
    media?.removeEventListener('change', onDprChange)
    media = null
    stopMode()
  })

  return layout
}

function sameLayout(a: WallLayout, b: WallLayout): boolean {
  return (
    a.mode === b.mode &&
    a.dpr === b.dpr &&
    a.mapPixelRatio === b.mapPixelRatio &&
    a.symbolScale === b.symbolScale &&
    a.scaleX === b.scaleX &&
    a.scaleY === b.scaleY &&
    a.stage.x === b.stage.x &&
    a.stage.y === b.stage.y &&
    a.stage.width === b.stage.width &&
    a.stage.height === b.stage.height &&
    a.canvas.width === b.canvas.width &&
    a.canvas.height === b.canvas.height
  )
}
