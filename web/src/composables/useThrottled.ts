/**
 * Follows `source` at most once per `intervalMs` (first change at once, the latest
 * value at the end of each interval). Panels use it so a 4 Hz stream updates the
 * figures at most once a second. The timer stops with the calling scope.
 */
import { onScopeDispose, shallowRef, toValue, watch, type ShallowRef, type WatchSource } from 'vue'

export function useThrottled<T>(source: WatchSource<T>, intervalMs = 1000): Readonly<ShallowRef<T>> {
  const out = shallowRef<T>(toValue(source))
  let last = Number.NEGATIVE_INFINITY
  let timer: ReturnType<typeof setTimeout> | undefined
  let pending: T = out.value

  function flush(): void {
    timer = undefined
    last = Date.now()
    out.value = pending
  }

  const stop = watch(source, (value) => {
    pending = value
    const wait = last + intervalMs - Date.now()
    if (wait <= 0) flush()
    else timer ??= setTimeout(flush, wait)
  })

  onScopeDispose(() => {
    stop()
    clearTimeout(timer)
  })
  return out
}
