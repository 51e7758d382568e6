/**
 * A clock that ticks on whole intervals (default: each second, on the second), so
 * every clock and age on screen changes together. Stops with the calling scope.
 */
import { onScopeDispose, shallowRef, type ShallowRef } from 'vue'

export function useNow(intervalMs = 1000): Readonly<ShallowRef<number>> {
  const now = shallowRef(Date.now())
  let timer: ReturnType<typeof setTimeout> | undefined
  const schedule = (): void => {
    timer = setTimeout(tick, intervalMs - (Date.now() % intervalMs) + 1)
  }
  function tick(): void {
    now.value = Date.now()
    schedule()
  }
  schedule()
  onScopeDispose(() => clearTimeout(timer))
  return now
}
