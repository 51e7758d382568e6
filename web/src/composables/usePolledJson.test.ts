import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { effectScope, nextTick, shallowRef } from 'vue'
import { usePolledJson } from './usePolledJson.ts'

describe('usePolledJson', () => {
  let server: Server
  let base = ''
  const hits: string[] = []

  beforeAll(async () => {
    server = createServer((req, res) => {
      hits.push(req.url!)
      if (req.url!.startsWith('/missing')) {
        res.writeHead(404).end()
        return
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ url: req.url, n: hits.length }))
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise<void>((r) => server.close(() => r())))

  it('loads at once, again on every interval and on a URL change, and stops with its scope', async () => {
    hits.length = 0
    const unit = shallowRef<string | null>('a')
    const scope = effectScope()
    const { data, error } = scope.run(() =>
      usePolledJson<{ url: string }>(() => (unit.value === null ? null : `${base}/trends?unit=${unit.value}`), 40),
    )!
    await vi.waitFor(() => expect(data.value?.url).toBe('/trends?unit=a'))
    await vi.waitFor(() => expect(hits.filter((h) => h === '/trends?unit=a').length).toBeGreaterThanOrEqual(3))

    unit.value = 'b'
    await nextTick()
    // never the old unit's figures under the new unit
    expect(data.value).toBeNull()
    await vi.waitFor(() => expect(data.value?.url).toBe('/trends?unit=b'))
    expect(error.value).toBeNull()

    scope.stop()
    const after = hits.length
    await new Promise((r) => setTimeout(r, 150))
    expect(hits.length).toBe(after)
  })

  it('reports an HTTP error with the URL, and waits while the URL is null', async () => {
    hits.length = 0
    const which = shallowRef<string | null>(null)
    const scope = effectScope()
    const { data, error } = scope.run(() =>
      usePolledJson(() => (which.value === null ? null : `${base}/${which.value}`), 60_000),
    )!
    await new Promise((r) => setTimeout(r, 50))
    expect(hits).toEqual([])
    which.value = 'missing'
    await vi.waitFor(() => expect(error.value).toBe(`GET ${base}/missing: HTTP 404`))
    expect(data.value).toBeNull()
    scope.stop()
  })
})
