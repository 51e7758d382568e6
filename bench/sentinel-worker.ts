/**
 * One screen alone in a worker thread, for bench/live-stream.ts: it sees the same probes as the N
 * screens that share the bench's main thread, but a GC or decode backlog there cannot delay it.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { connectScreen, type ScreenMode } from './live-screen.ts'

const { url, mode } = workerData as { url: string; mode: ScreenMode }
connectScreen(url, mode, (latencyMs, nowMs) => parentPort!.postMessage([latencyMs, nowMs]))
