import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { io, type Socket } from 'socket.io-client'
import msgpackParser from 'socket.io-msgpack-parser'
import { LIVE_NAMESPACE, SOCKET_PATH } from '@gridsight/shared'
import type { FastifyInstance, InjectOptions } from 'fastify'
import { buildApp, loadConfig, type BuildOptions } from '../src/app.ts'
import type { Role } from '../src/auth/roles.ts'

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

/** Builds the app and listens on an ephemeral port on loopback; `token` is a region-wide wall display token. */
export async function startServer(env: Record<string, string> = {}, options: BuildOptions = {}) {
  const app = await buildApp(testConfig(env), options)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as AddressInfo
  return { app, url: `http://127.0.0.1:${port}`, token: await wallToken(app) }
}

/** A wall display token over `scope` (default: the whole region), made the way an admin makes one. */
export async function wallToken(app: FastifyInstance, scope = app.config.REGION): Promise<string> {
  const { secret } = await app.auth.addDisplayToken({ name: `test-wall-${scope}`, scope }, app.config.REGION, {
    actor: 'test',
  })
  return secret
}

let users = 0
/** Creates a user with `role` over `jurisdiction` (default: the whole region), logs it in, returns its access token. */
export async function userToken(app: FastifyInstance, role: Role, jurisdiction = app.config.REGION): Promise<string> {
  const username = `test-${role}-${++users}`
  const password = 'correct horse battery staple'
  await app.auth.addUser({ username, role, jurisdiction, password }, app.config.REGION, { actor: 'test' })
  const pair = await app.auth.login(username, password, {})
  if (!pair) throw new Error(`could not log in ${username}`)
  return pair.accessToken
}

/** `app.inject` with a bearer token (headers given by the call win, e.g. an ingest key). */
export function injectAs(app: FastifyInstance, token: string) {
  const authorization = `Bearer ${token}`
  return (opts: string | InjectOptions) =>
    app.inject(
      typeof opts === 'string'
        ? { url: opts, headers: { authorization } }
        : { ...opts, headers: { authorization, ...opts.headers } },
    )
}

/** A real socket.io-client on `/live` with the msgpack parser the web app uses; `auth.token` is required. */
export function connectLive(url: string, auth: { token: string } & Record<string, unknown>): Socket {
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
