/**
 * A headless screen: a real socket.io-client that follows a /live stream exactly
 * as the web app does (snapshot, deltas in seq order, resync on a gap, `since`
 * on reconnect) and records what it received. Used by tests and benchmarks.
 */
import { io, type Socket } from 'socket.io-client'
import msgpackParser from 'socket.io-msgpack-parser'
import {
  LIVE_NAMESPACE,
  LiveMirror,
  SOCKET_PATH,
  type LiveAuth,
  type LiveDelta,
  type LiveSnapshot,
} from '@gridsight/shared'

export interface LiveClient {
  socket: Socket
  mirror: LiveMirror
  snapshots: LiveSnapshot[]
  deltas: LiveDelta[]
  gaps: number
  close(): void
}

export function followLive(
  url: string,
  token: string,
  opts: { scope?: string; onDelta?: (d: LiveDelta) => void } = {},
): LiveClient {
  const mirror = new LiveMirror()
  const client: LiveClient = {
    socket: io(`${url}${LIVE_NAMESPACE}`, {
      path: SOCKET_PATH,
      parser: msgpackParser,
      transports: ['websocket'],
      forceNew: true,
      reconnectionDelay: 100,
      reconnectionDelayMax: 500,
      auth: (cb) => {
        const auth: LiveAuth = {
          token,
          scope: opts.scope,
          since: mirror.epoch === null ? undefined : { epoch: mirror.epoch, seq: mirror.seq },
        }
        cb(auth as Record<string, unknown>)
      },
    }),
    mirror,
    snapshots: [],
    deltas: [],
    gaps: 0,
    close: () => client.socket.close(),
  }
  client.socket.on('snapshot', (s: LiveSnapshot) => {
    client.snapshots.push(s)
    mirror.applySnapshot(s)
  })
  client.socket.on('delta', (d: LiveDelta) => {
    const result = mirror.applyDelta(d)
    if (result === 'applied') {
      client.deltas.push(d)
      opts.onDelta?.(d)
    } else if (result === 'gap') {
      client.gaps++
      client.socket.emit('resync')
    }
  })
  return client
}

/** Polls until `predicate` holds, or rejects after `ms`. */
export async function until(predicate: () => boolean, ms = 10_000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms
  while (!predicate()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}
