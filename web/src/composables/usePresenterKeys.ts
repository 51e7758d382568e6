/**
 * Presenter keys for briefings: → / PageDown next scene, ← / PageUp previous
 * (clickers send PageUp/PageDown), space pauses or resumes the carousel, F toggles
 * full screen, Esc leaves it. Keys typed into a form field are left alone. The
 * listener goes with the calling scope.
 */
import { onScopeDispose } from 'vue'

export interface PresenterActions {
  next(): void
  prev(): void
  togglePause(): void
}

export function toggleFullscreen(doc: Document = document): void {
  if (doc.fullscreenElement) void doc.exitFullscreen().catch(() => {})
  // refused without a user gesture or by a kiosk policy: nothing to do but stay windowed
  else void doc.documentElement.requestFullscreen?.().catch(() => {})
}

export function presenterKeyHandler(actions: PresenterActions, doc: Document = document) {
  return (e: KeyboardEvent): void => {
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return
    const el = e.target as HTMLElement | null
    if (el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName))) return
    switch (e.key) {
      case 'ArrowRight':
      case 'PageDown':
        actions.next()
        break
      case 'ArrowLeft':
      case 'PageUp':
        actions.prev()
        break
      case ' ':
        actions.togglePause()
        break
      case 'f':
      case 'F':
        toggleFullscreen(doc)
        break
      case 'Escape':
        if (!doc.fullscreenElement) return
        void doc.exitFullscreen().catch(() => {})
        break
      default:
        return
    }
    e.preventDefault()
  }
}

export function usePresenterKeys(actions: PresenterActions, target: EventTarget = window): void {
  const handler = presenterKeyHandler(actions) as EventListener
  target.addEventListener('keydown', handler)
  onScopeDispose(() => target.removeEventListener('keydown', handler))
}
