/**
 * The socket guard on a real app's Socket.IO server (a test namespace; /live moves onto it next):
 * refused handshakes never reach a connection event; scopes outside the jurisdiction are refused;
 * revocation (in this process, or by another process through polling) and token expiry close
 * exactly the sockets concerned within 5 s; a refresh keeps a socket; a message flood or an
 * oversized message closes that socket and no other.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { Server } from 'socket.io'
import { io, type Socket } from 'socket.io-client'
import msgpackParser from 'socket.io-msgpack-parser'
import { SOCKET_PATH } from '@gridsight/shared'
import { openAuthStore } from '../src/auth/auth-store.ts'
import { JwtIssuer, loadJwtSecret } from '../src/auth/jwt.ts'
import { AuthService } from '../src/auth/service.ts'
import { AuthEvent, SOCKET_LIMITS, SocketGuard } from '../src/auth/socket-guard.ts'
import { startServer } from './helpers.ts'

const NSP = '/guarded'
const STREET = '330402007'

function connect(url: string, auth: Record<string, unknown>): Socket {
  return io(`${url}${NSP}`, {
    path: SOCKET_PATH,
    parser: msgpackParser,
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    auth,
  })
}

/** 'connected' or the connect_error message */
function outcome(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    socket.once('connect', () => resolve('connected'))
    socket.once('connect_error', (err) => resolve(err.message))
  })
}

/** Resolves with the disconnect reason and what the server said before, or rejects after `ms`. */
function closed(socket: Socket, ms = 5000): Promise<{ reason: string; said: string[] }> {
  const said: string[] = []
  socket.on(AuthEvent.revoked, () => said.push(AuthEvent.revoked))
  socket.on(AuthEvent.expired, () => said.push(AuthEvent.expired))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`socket still open after ${ms} ms`)), ms)
    socket.once('disconnect', (reason) => {
      clearTimeout(timer)
      resolve({ reason, said })
    })
  })
}

describe('the socket guard', () => {
  let app: FastifyInstance
  let url: string
  let guard: SocketGuard
  let connections = 0
  const sockets: Socket[] = []
  const open = async (auth: Record<string, unknown>) => {
    const s = connect(url, auth)
    sockets.push(s)
    return { socket: s, result: await outcome(s) }
  }
  const tokens = { street: '', street2: '', other: '', display: '', ingest: '' }

  beforeAll(async () => {
    ;({ app, url } = await startServer())
    guard = new SocketGuard(app.auth, { messagesPerSecond: 5, burst: 10 })
    const nsp = app.io.of(NSP)
    guard.protect(nsp)
    nsp.on('connection', (s) => {
      connections++
      s.on('ping-me', (ack: (v: string) => void) => ack('pong'))
    })
    const ctx = { actor: 'test' }
    await app.auth.addUser(
      { username: 'street-op', role: 'operator', jurisdiction: STREET, password: 'street-op-pass' },
      '',
      ctx,
    )
    await app.auth.addUser(
      { username: 'other-op', role: 'operator', jurisdiction: STREET, password: 'other-op-pass!' },
      '',
      ctx,
    )
    tokens.street = (await app.auth.login('street-op', 'street-op-pass', {}))!.accessToken
    tokens.street2 = (await app.auth.login('street-op', 'street-op-pass', {}))!.accessToken
    tokens.other = (await app.auth.login('other-op', 'other-op-pass!', {}))!.accessToken
    tokens.display = (await app.auth.addDisplayToken({ name: 'wall', scope: STREET }, '', ctx)).secret
    tokens.ingest = (await app.auth.addIngestKey({ name: 'k', source: 's', jurisdiction: STREET }, '', ctx)).secret
  })
  afterAll(async () => {
    for (const s of sockets) s.close()
    guard.close()
    await app.close()
  })

  it('refuses handshakes without a valid token, before any connection event', async () => {
    const before = connections
    expect((await open({})).result).toMatch(/a token is required/)
    expect((await open({ token: 'x.y.z' })).result).toBe('access token is not valid')
    expect((await open({ token: 'gsd_unknown' })).result).toBe('display token is not valid')
    expect((await open({ token: tokens.ingest })).result).toBe('ingest keys may only send data')
    const key = loadJwtSecret(app.config.DATA_DIR, undefined)
    const expired = await new JwtIssuer(key).sign(
      { sub: 'u', name: 'street-op', role: 'operator', jur: STREET, sid: 's' },
      Math.floor(Date.now() / 1000) - 3600,
    )
    expect((await open({ token: expired })).result).toMatch(/expired/)
    expect(connections).toBe(before)
  })

  it('lets a street user follow its street or below, never the neighbour street or the district', async () => {
    expect((await open({ token: tokens.street })).result).toBe('connected')
    expect((await open({ token: tokens.street, scope: '330402007024' })).result).toBe('connected')
    expect((await open({ token: tokens.street, scope: '330402008' })).result).toBe(
      'scope 330402008 is outside your jurisdiction 330402007',
    )
    expect((await open({ token: tokens.street, scope: '330402' })).result).toMatch(/outside your jurisdiction/)
    expect((await open({ token: tokens.display, scope: '330402008' })).result).toMatch(/outside your jurisdiction/)
    expect((await open({ token: tokens.display })).result).toBe('connected')
  })

  it('closes the sockets of a logged-out session within 5 s, not the same user’s other session', async () => {
    const a = await open({ token: tokens.street })
    const b = await open({ token: tokens.street2 })
    const sid = (await app.auth.authenticate(tokens.street)).sessionId!
    const gone = closed(a.socket)
    await app.auth.revokeSession(sid, { actor: 'street-op' })
    expect(await gone).toEqual({ reason: 'io server disconnect', said: [AuthEvent.revoked] })
    expect(b.socket.connected).toBe(true)
    expect(await b.socket.timeout(2000).emitWithAck('ping-me')).toBe('pong')
  })

  it('closes a user’s sockets within 5 s when another process revokes it; others stay', async () => {
    const victim = await open({ token: tokens.street2 })
    const bystander = await open({ token: tokens.other })
    const wall = await open({ token: tokens.display })
    expect([victim.result, bystander.result, wall.result]).toEqual(['connected', 'connected', 'connected'])
    // the CLI: its own connection to the same database; the server learns of it by polling
    const store = openAuthStore({ dataDir: app.config.DATA_DIR })
    try {
      const cli = new AuthService({ store, jwt: new JwtIssuer(new Uint8Array(32)) })
      const gone = closed(victim.socket)
      await cli.revokeUser('street-op', '', { actor: 'cli' })
      expect((await gone).reason).toBe('io server disconnect')
      // and it cannot come back
      expect((await open({ token: tokens.street2 })).result).toMatch(/revoked/)
      const wallGone = closed(wall.socket)
      await cli.revokeDisplayToken((await app.auth.authenticate(tokens.display)).id, '', { actor: 'cli' })
      expect((await wallGone).said).toEqual([AuthEvent.revoked])
    } finally {
      await store.close()
    }
    expect(bystander.socket.connected).toBe(true)
  })

  it('closes a socket when its access token expires, unless the client refreshed it', async () => {
    const shortLived = new JwtIssuer(loadJwtSecret(app.config.DATA_DIR, undefined), 2)
    const other = await app.auth.store.userByName('other-op')
    const claims = { sub: other!.id, name: 'other-op', role: 'operator' as const, jur: STREET, sid: 'short' }
    const expiring = await open({ token: await shortLived.sign(claims) })
    const refreshed = await open({ token: await shortLived.sign(claims) })
    expect([expiring.result, refreshed.result]).toEqual(['connected', 'connected'])
    const answer = (await refreshed.socket.emitWithAck(AuthEvent.refresh, tokens.other)) as { ok: boolean }
    expect(answer.ok).toBe(true)
    // someone else's token does not refresh this socket
    const foreign = (await refreshed.socket.emitWithAck(AuthEvent.refresh, tokens.display)) as { ok: boolean }
    expect(foreign.ok).toBe(false)
    expect(await closed(expiring.socket)).toEqual({ reason: 'io server disconnect', said: [AuthEvent.expired] })
    expect(refreshed.socket.connected).toBe(true)
    expect(await refreshed.socket.timeout(2000).emitWithAck('ping-me')).toBe('pong')
  })

  it('closes a flooding socket and leaves the others alone', async () => {
    const flood = await open({ token: tokens.other })
    const calm = await open({ token: tokens.other })
    const gone = closed(flood.socket)
    for (let i = 0; i < 100; i++) flood.socket.emit('ping-me', () => {})
    expect((await gone).reason).toBe('io server disconnect')
    expect(await calm.socket.timeout(2000).emitWithAck('ping-me')).toBe('pong')
  })
})

describe('SOCKET_LIMITS', () => {
  it('an oversized message closes that socket only', async () => {
    const http = createServer()
    const server = new Server(http, SOCKET_LIMITS)
    server.on('connection', (s) => s.on('echo', (v: unknown, ack: (v: unknown) => void) => ack(v)))
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r))
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`
    const mk = () => io(url, { transports: ['websocket'], forceNew: true, reconnection: false })
    const big = mk()
    const small = mk()
    try {
      await Promise.all([outcome(big), outcome(small)])
      const gone = new Promise<string>((r) => big.once('disconnect', r))
      big.emit('echo', 'x'.repeat(SOCKET_LIMITS.maxHttpBufferSize + 1))
      expect(await gone).toBe('transport close')
      expect(await small.timeout(2000).emitWithAck('echo', 'ok')).toBe('ok')
    } finally {
      big.close()
      small.close()
      await server.close()
    }
  })
})
