import { describe, expect, it } from 'vitest'
import { presenterKeyHandler } from './usePresenterKeys.ts'

/** The handler reads only these parts of a KeyboardEvent and of the document. */
function press(key: string, target: { tagName: string; isContentEditable?: boolean } | null = { tagName: 'BODY' }) {
  let prevented = false
  const e = {
    key,
    target,
    altKey: false,
    ctrlKey: false,
    metaKey: false,
    defaultPrevented: false,
    preventDefault: () => (prevented = true),
  }
  return { e: e as unknown as KeyboardEvent, prevented: () => prevented }
}

describe('presenter keys', () => {
  function setup() {
    const calls: string[] = []
    const doc = {
      fullscreenElement: null as unknown,
      documentElement: {
        requestFullscreen: () => (calls.push('enter'), (doc.fullscreenElement = {}), Promise.resolve()),
      },
      exitFullscreen: () => (calls.push('exit'), (doc.fullscreenElement = null), Promise.resolve()),
    }
    const handler = presenterKeyHandler(
      { next: () => calls.push('next'), prev: () => calls.push('prev'), togglePause: () => calls.push('pause') },
      doc as unknown as Document,
    )
    return { calls, handler }
  }

  it('steps with the arrows and clicker keys, pauses with space, toggles full screen with F, leaves it with Esc', () => {
    const { calls, handler } = setup()
    const keys = ['ArrowRight', 'PageDown', 'ArrowLeft', 'PageUp', ' ', 'f', 'Escape', 'Escape', 'F']
    const prevented = keys.map((key) => {
      const p = press(key)
      handler(p.e)
      return p.prevented()
    })
    // the second Esc finds no full screen to leave: it is not the presenter's, so not taken
    expect(prevented).toEqual([true, true, true, true, true, true, true, false, true])
    expect(calls).toEqual(['next', 'next', 'prev', 'prev', 'pause', 'enter', 'exit', 'enter'])
  })

  it('leaves keys typed into form fields and other keys alone', () => {
    const { calls, handler } = setup()
    const typed = press(' ', { tagName: 'TEXTAREA' })
    handler(typed.e)
    const other = press('x')
    handler(other.e)
    expect(calls).toEqual([])
    expect(typed.prevented()).toBe(false)
    expect(other.prevented()).toBe(false)
  })
})
