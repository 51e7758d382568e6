import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { io, type Socket } from 'socket.io-client'
import msgpackParser from 'socket.io-msgpack-parser'
import { LIVE_NAMESPACE, SOCKET_PATH } from '@gridsight/shared'
import { buildApp, loadConfig } from '../src/app.ts'

/** A config for tests: quiet, simulator off unless asked, data in a fresh temp dir. */
export function testConfig(env: Record<string, string> = {}) {
  return loadConfig({
    SIMULATOR: 'off',
    LOG_LEVEL: 'silent',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'gridsight-test-')),
    GRIDSIGHT_INGEST_KEY: 'test-key-0123456789abcdef',
    ...env,
  })
}

/** Builds the app and listens on an ephemeral port on loopback. */
export async function startServer(env: Record<string, string> = {}) {
  const app = await buildApp(testConfig(env))
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as AddressInfo
  return { app, url: `http://127.0.0.1:${port}` }
}

/** A real socket.io-client on `/live` with the msgpack parser the web app uses. */
export function connectLive(url: string, auth?: Record<string, unknown>): Socket {
  return io(`${url}${LIVE_NAMESPACE}`, {
    auth,
    path: SOCKET_PATH,
    parser: msgpackParser,
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
  })
}

/** Resolves with the next `event` payload, or rejects after `ms`. */
export function nextEvent<T>(socket: Socket, event: string, ms = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${event}" within ${ms} ms`)), ms)
    socket.once(event, (payload: T) => {
      clearTimeout(timer)
      resolve(payload)
    })
  })
}
