/**
 * One measuring screen: a real socket.io-client with the reference mirror (or the naive baseline's
 * per-entity events), reporting the latency of every probe it receives.
 */
import { Worker } from 'node:worker_threads'
import { io, type Socket } from 'socket.io-client'
import msgpackParser from 'socket.io-msgpack-parser'
import {
  LIVE_NAMESPACE,
  LiveMirror,
  SOCKET_PATH,
  readUint32,
  type LiveDelta,
  type LiveSnapshot,
} from '@gridsight/shared'
import { PROBE_ID, PROBE_IDS, probeLatency } from './probe.ts'

export type ScreenMode = 'gridsight' | 'main-writer' | 'naive'

export interface Screen {
  socket: Socket
  bytes: number
  snapshots: number
  /** cameras and members this screen holds: it has caught up with the registration when it holds them all */
  cameras: () => number
  members: () => number
}

/**
 * Probe latencies of the steady window: only probes SENT after it opened count. A screen that is still
 * working off the 100k-camera registration when the window opens receives older probes in a burst, and
 * those measure the registration, not the steady stream.
 */
export class Latencies {
  readonly samples: number[] = []
  /** of the same probes: from the server's tick (the delta's `ts`) to the screen having applied it */
  readonly delivery: number[] = []
  windowStart = Infinity

  add(latencyMs: number, nowMs: number, deliveryMs: number | null = null): void {
    if (nowMs - latencyMs < this.windowStart) return
    this.samples.push(latencyMs)
    if (deliveryMs !== null) this.delivery.push(deliveryMs)
  }
}

/**
 * `onLatency(latencyMs, nowMs, deliveryMs)` for every probe a screen receives; `deliveryMs` is the
 * part after the server's tick, null for the naive baseline (it has no tick).
 */
export type OnLatency = (latencyMs: number, nowMs: number, deliveryMs: number | null) => void

/** Where screens connect: the server and a wall display token (the /live handshake needs one). */
export interface ScreenTarget {
  url: string
  token: string
}

export function connectScreen(target: ScreenTarget, mode: ScreenMode, onLatency: OnLatency): Screen {
  const socket = io(`${target.url}${LIVE_NAMESPACE}`, {
    auth: { token: target.token },
    path: SOCKET_PATH,
    parser: msgpackParser,
    transports: ['websocket'],
    forceNew: true,
  })
  let naiveCameras = 0
  let naiveMembers = 0
  const screen: Screen = {
    socket,
    bytes: 0,
    snapshots: 0,
    cameras: () => naiveCameras,
    members: () => naiveMembers,
  }
  socket.io.on('open', () => {
    socket.io.engine.on('data', (data: string | ArrayBuffer | Uint8Array) => {
      screen.bytes += typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength
    })
  })
  if (mode === 'naive') {
    socket.on('entity', (e: { kind: string; id: string; lat: number }) => {
      if (e.kind === 'cameras') naiveCameras++
      // the registration sends each member once, so counting events counts members until the load starts
      if (e.kind === 'members') naiveMembers++
      if (e.id.startsWith(PROBE_ID)) onLatency(probeLatency(e.lat, Date.now()), Date.now(), null)
    })
  } else {
    const mirror = new LiveMirror()
    screen.cameras = () => mirror.tables.cameras.count
    screen.members = () => mirror.tables.members.count
    socket.on('snapshot', (s: LiveSnapshot) => {
      screen.snapshots++
      mirror.applySnapshot(s)
    })
    socket.on('delta', (d: LiveDelta) => {
      if (mirror.applyDelta(d) !== 'applied') return socket.emit('resync')
      const members = d.tables.members
      if (!members) return
      const table = mirror.tables.members
      const probeRows = new Set<number>()
      for (const id of PROBE_IDS) {
        const row = table.row(id)
        if (row !== undefined) probeRows.add(row)
      }
      if (probeRows.size === 0) return
      const now = Date.now()
      for (const row of readUint32(members.idx)) {
        if (probeRows.has(row)) onLatency(probeLatency(table.pos[2 * row + 1]!, now), now, now - d.ts)
      }
    })
  }
  return screen
}

/** Screens measured together: in this thread, or in a worker thread of their own. */
export interface ScreenGroup {
  /** resolves when every screen is connected */
  ready(): Promise<void>
  /** the fewest cameras any screen holds, and bytes and snapshots summed over the screens */
  stats(): Promise<{ minCameras: number; minMembers: number; bytes: number; snapshots: number; count: number }>
  /** zeroes the byte and snapshot counters */
  reset(): Promise<void>
  close(): Promise<void>
}

export function localScreens(target: ScreenTarget, mode: ScreenMode, count: number, onLatency: OnLatency): ScreenGroup {
  const screens = Array.from({ length: count }, () => connectScreen(target, mode, onLatency))
  return {
    ready: () =>
      Promise.all(
        screens.map((c) => new Promise<void>((r) => (c.socket.connected ? r() : c.socket.once('connect', () => r())))),
      ).then(() => undefined),
    stats: async () => ({
      minCameras: Math.min(...screens.map((c) => c.cameras())),
      minMembers: Math.min(...screens.map((c) => c.members())),
      bytes: screens.reduce((n, c) => n + c.bytes, 0),
      snapshots: screens.reduce((n, c) => n + c.snapshots, 0),
      count,
    }),
    reset: async () => {
      for (const c of screens) {
        c.bytes = 0
        c.snapshots = 0
      }
    },
    close: async () => {
      for (const c of screens) c.socket.close()
    },
  }
}

type Reply = { id: number; result: unknown }

/**
 * `count` screens in a worker thread (bench/screens-worker.ts): their decoding, heap and GC do not
 * hold up the screens of other groups, as on separate wall PCs.
 */
export function workerScreens(
  target: ScreenTarget,
  mode: ScreenMode,
  count: number,
  onLatency: OnLatency,
): ScreenGroup {
  const worker = new Worker(new URL('./screens-worker.ts', import.meta.url), {
    workerData: { target: { url: target.url, token: target.token }, mode, count },
  })
  let next = 0
  const pending = new Map<number, (result: unknown) => void>()
  let onReady: () => void = () => {}
  const readyP = new Promise<void>((r) => (onReady = r))
  worker.on('message', (m: { lat?: [number, number, number | null]; ready?: true } & Partial<Reply>) => {
    if (m.lat) onLatency(m.lat[0], m.lat[1], m.lat[2])
    else if (m.ready) onReady()
    else if (m.id !== undefined) pending.get(m.id)?.(m.result)
  })
  const call = <T>(op: string) =>
    new Promise<T>((resolve) => {
      const id = next++
      pending.set(id, (r) => {
        pending.delete(id)
        resolve(r as T)
      })
      worker.postMessage({ op, id })
    })
  return {
    ready: () => readyP,
    stats: () => call('stats'),
    reset: () => call('reset'),
    close: async () => {
      await call('close')
      await worker.terminate()
    },
  }
}
