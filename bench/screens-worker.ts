/**
 * A group of measuring screens in a worker thread, for bench/live-stream.ts (see workerScreens in
 * live-screen.ts): latencies are posted as they come; stats, reset and close answer by id.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { localScreens, type ScreenMode, type ScreenTarget } from './live-screen.ts'

const { target, mode, count } = workerData as { target: ScreenTarget; mode: ScreenMode; count: number }
const port = parentPort!
const group = localScreens(target, mode, count, (ms, now, delivery) => port.postMessage({ lat: [ms, now, delivery] }))
void group.ready().then(() => port.postMessage({ ready: true }))
port.on('message', (m: { op: 'stats' | 'reset' | 'close'; id: number }) => {
  void group[m.op]().then((result) => port.postMessage({ id: m.id, result: result ?? null }))
})
