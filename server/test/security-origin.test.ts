/**
 * The Origin allowlist for /live: unit cases (look-alike suffixes and prefixes, schemes, ports,
 * userinfo, `null`, missing), ALLOWED_ORIGINS validated at boot, and the gate in front of a real
 * Socket.IO server with real clients over WebSocket and polling — a refused origin never reaches
 * a connection event, and a handshake without Origin connects only with a token.
 */
import { createServer, type Server as HttpServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Server } from 'socket.io'
import { io as connect, type Socket } from 'socket.io-client'
import { loadConfig } from '../src/config.ts'
import {
  checkOrigin,
  normaliseOrigin,
  ORIGIN_MISSING,
  parseAllowedOrigins,
  socketOriginGate,
} from '../src/auth/origin.ts'

describe('checkOrigin', () => {
  const allowed = new Set(parseAllowedOrigins('https://gridsight.example, http://10.1.2.3:8080'))

  it.each([
    ['https://gridsight.example', 'allowed'],
    ['https://gridsight.example:443', 'allowed'],
    ['HTTPS://GRIDSIGHT.EXAMPLE', 'allowed'],
    ['http://10.1.2.3:8080', 'allowed'],
    // look-alikes
    ['https://gridsight.example.evil.com', 'refused'],
    ['https://evilgridsight.example', 'refused'],
    ['https://gridsight.examplex', 'refused'],
    ['https://sub.gridsight.example', 'refused'],
    ['https://gridsight.example@evil.com', 'refused'],
    ['https://evil.com#https://gridsight.example', 'refused'],
    ['http://gridsight.example', 'refused'],
    ['https://gridsight.example:8443', 'refused'],
    ['http://10.1.2.3:80', 'refused'],
    ['http://10.1.2.30:8080', 'refused'],
    ['null', 'refused'],
    ['file://', 'refused'],
    ['not a url', 'refused'],
    ['', 'missing'],
    [undefined, 'missing'],
  ] as const)('%s → %s (allowlist)', (origin, verdict) => {
    expect(checkOrigin(origin, { allowed })).toBe(verdict)
  })

  it.each([
    ['http://localhost:8080', 'localhost:8080', 'allowed'],
    ['https://screen.example', 'screen.example', 'allowed'],
    ['http://192.168.1.5:8080', '192.168.1.5:8080', 'allowed'],
    ['http://localhost:5173', 'localhost:5173', 'allowed'],
    ['http://localhost:8081', 'localhost:8080', 'refused'],
    ['http://localhost.evil.com:8080', 'localhost:8080', 'refused'],
    ['http://evil.com', 'screen.example', 'refused'],
    ['http://screen.example.evil.com', 'screen.example', 'refused'],
    ['http://screen.example', undefined, 'refused'],
  ] as const)('%s with Host %s → %s (same origin, the default)', (origin, host, verdict) => {
    expect(checkOrigin(origin, { host })).toBe(verdict)
  })

  it('normalises origins and refuses anything that is not one', () => {
    expect(normaliseOrigin('http://Example.com:80')).toBe('http://example.com')
    expect(normaliseOrigin('http://example.com/path')).toBeUndefined()
    expect(normaliseOrigin('http://user:pw@example.com')).toBeUndefined()
    expect(normaliseOrigin('ws://example.com')).toBeUndefined()
    expect(() => parseAllowedOrigins('https://ok.example, *.example.com')).toThrow(
      /"\*\.example\.com" is not an origin/,
    )
  })

  it('ALLOWED_ORIGINS is validated at boot, naming the variable', () => {
    expect(() => loadConfig({ ALLOWED_ORIGINS: 'https://ok.example,https://bad.example/path' })).toThrow(
      /^ALLOWED_ORIGINS must be comma-separated origins: "https:\/\/bad\.example\/path" is not an origin/,
    )
    expect(loadConfig({ ALLOWED_ORIGINS: 'https://ok.example' }).ALLOWED_ORIGINS).toBe('https://ok.example')
  })

  it('AUTH_JWT_SECRET is never echoed in a boot error', () => {
    expect(() => loadConfig({ AUTH_JWT_SECRET: 'too-short-secret' })).toThrow(
      'AUTH_JWT_SECRET must be at least 32 characters (got 16 characters)',
    )
  })
})

describe('the gate in front of a real Socket.IO server', () => {
  let http: HttpServer
  let ioServer: Server
  let url: string
  const connections: { origin: string | undefined; token: unknown }[] = []

  beforeAll(async () => {
    http = createServer()
    ioServer = new Server(http, { allowRequest: socketOriginGate(new Set(['http://screen.example'])) })
    // what the /live auth middleware will do: no Origin → a token is required
    ioServer.use((socket, next) => {
      const missing = (socket.request as { [ORIGIN_MISSING]?: boolean })[ORIGIN_MISSING] === true
      if (missing && socket.handshake.auth.token !== 'valid') return next(new Error('a token is required'))
      next()
    })
    ioServer.on('connection', (s) =>
      connections.push({ origin: s.handshake.headers.origin, token: s.handshake.auth.token }),
    )
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r))
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    await ioServer.close()
  })

  const attempt = (transport: 'websocket' | 'polling', origin: string | undefined, token?: string) =>
    new Promise<'connected' | string>((resolve) => {
      const socket: Socket = connect(url, {
        transports: [transport],
        forceNew: true,
        reconnection: false,
        auth: token ? { token } : {},
        extraHeaders: origin ? { origin } : {},
        timeout: 5000,
      })
      socket.on('connect', () => {
        socket.close()
        resolve('connected')
      })
      socket.on('connect_error', (err) => {
        socket.close()
        resolve(err.message)
      })
    })

  it.each(['websocket', 'polling'] as const)(
    '%s: only the allowed origin connects; no connection event otherwise',
    async (t) => {
      const before = connections.length
      expect(await attempt(t, 'http://screen.example')).toBe('connected')
      expect(await attempt(t, 'http://evil.example')).not.toBe('connected')
      expect(await attempt(t, 'http://screen.example.evil.example')).not.toBe('connected')
      expect(await attempt(t, 'http://evil-screen.example')).not.toBe('connected')
      expect(connections.slice(before).map((c) => c.origin)).toEqual(['http://screen.example'])
    },
  )

  it.each(['websocket', 'polling'] as const)('%s: a handshake without Origin needs a valid token', async (t) => {
    expect(await attempt(t, undefined)).toBe('a token is required')
    expect(await attempt(t, undefined, 'forged')).toBe('a token is required')
    expect(await attempt(t, undefined, 'valid')).toBe('connected')
  })
})
