/**
 * One measuring screen: a real socket.io-client with the reference mirror (or the naive baseline's
 * per-entity events), reporting the latency of every probe it receives.
 */
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
import { PROBE_ID, probeLatency } from './probe.ts'

export type ScreenMode = 'gridsight' | 'main-writer' | 'naive'

export interface Screen {
  socket: Socket
  bytes: number
  snapshots: number
  /** cameras this screen holds: it has caught up with the registration when it holds them all */
  cameras: () => number
}

/**
 * Probe latencies of the steady window: only probes SENT after it opened count. A screen that is still
 * working off the 100k-camera registration when the window opens receives older probes in a burst, and
 * those measure the registration, not the steady stream.
 */
export class Latencies {
  readonly samples: number[] = []
  windowStart = Infinity

  add(latencyMs: number, nowMs: number): void {
    if (nowMs - latencyMs >= this.windowStart) this.samples.push(latencyMs)
  }
}

/** `onLatency(latencyMs, nowMs)` for every probe this screen receives */
export function connectScreen(
  url: string,
  mode: ScreenMode,
  onLatency: (latencyMs: number, nowMs: number) => void,
): Screen {
  const socket = io(`${url}${LIVE_NAMESPACE}`, {
    path: SOCKET_PATH,
    parser: msgpackParser,
    transports: ['websocket'],
    forceNew: true,
  })
  let naiveCameras = 0
  const screen: Screen = { socket, bytes: 0, snapshots: 0, cameras: () => naiveCameras }
  socket.io.on('open', () => {
    socket.io.engine.on('data', (data: string | ArrayBuffer | Uint8Array) => {
      screen.bytes += typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength
    })
  })
  if (mode === 'naive') {
    socket.on('entity', (e: { kind: string; id: string; lat: number }) => {
      if (e.kind === 'cameras') naiveCameras++
      if (e.id === PROBE_ID) onLatency(probeLatency(e.lat, Date.now()), Date.now())
    })
  } else {
    const mirror = new LiveMirror()
    screen.cameras = () => mirror.tables.cameras.count
    socket.on('snapshot', (s: LiveSnapshot) => {
      screen.snapshots++
      mirror.applySnapshot(s)
    })
    socket.on('delta', (d: LiveDelta) => {
      if (mirror.applyDelta(d) !== 'applied') return socket.emit('resync')
      const members = d.tables.members
      if (!members) return
      const row = mirror.tables.members.row(PROBE_ID)
      if (row !== undefined && readUint32(members.idx).includes(row)) {
        onLatency(probeLatency(mirror.tables.members.pos[2 * row + 1]!, Date.now()), Date.now())
      }
    })
  }
  return screen
}
