/**
 * The PMTiles archives the server tests and the basemap E2E write (server/test/basemap-fixtures.ts)
 * are read back by the `pmtiles` library the map uses: header, directory and every tile.
 */
import { describe, expect, it } from 'vitest'
import { PMTiles, TileType, zxyToTileId, type RangeResponse, type Source } from 'pmtiles'
import { allTiles, pmtilesArchive, solidPng, tileId } from '@gridsight/server/test/basemap-fixtures'

class BufferSource implements Source {
  private readonly bytes: Buffer
  constructor(bytes: Buffer) {
    this.bytes = bytes
  }
  getKey(): string {
    return 'fixture'
  }
  async getBytes(offset: number, length: number): Promise<RangeResponse> {
    const slice = this.bytes.subarray(offset, offset + length)
    return { data: slice.buffer.slice(slice.byteOffset, slice.byteOffset + slice.byteLength) as ArrayBuffer }
  }
}

const text = (data: ArrayBuffer | undefined) => (data ? new TextDecoder().decode(data) : undefined)

describe('PMTiles fixture', () => {
  it('numbers tiles like the pmtiles library (Hilbert order within each zoom)', () => {
    for (const [z, x, y] of [
      [0, 0, 0],
      [1, 1, 0],
      [3, 5, 2],
      [7, 100, 27],
      [12, 3421, 1671],
    ] as const) {
      expect([z, x, y, tileId(z, x, y)]).toEqual([z, x, y, zxyToTileId(z, x, y)])
    }
  })

  it.each([false, true])('is read back tile by tile (directory gzipped: %s)', async (gzip) => {
    const tiles = allTiles(0, 3, new Uint8Array()).map((t) => ({
      ...t,
      data: new TextEncoder().encode(`${t.z}/${t.x}/${t.y}`),
    }))
    const archive = new PMTiles(
      new BufferSource(pmtilesArchive(tiles, { gzip, bounds: [120.6, 30.6, 121.0, 30.9], metadata: { name: 'test' } })),
    )
    const header = await archive.getHeader()
    expect(header).toMatchObject({
      specVersion: 3,
      tileType: TileType.Png,
      minZoom: 0,
      maxZoom: 3,
      numAddressedTiles: 85,
      numTileEntries: 85,
      numTileContents: 85,
      minLon: 120.6,
      maxLat: 30.9,
    })
    expect(await archive.getMetadata()).toEqual({ name: 'test' })
    for (const t of tiles) expect(text((await archive.getZxy(t.z, t.x, t.y))?.data)).toBe(`${t.z}/${t.x}/${t.y}`)
  })

  it('stores a tile repeated over neighbouring ids once, as one run', async () => {
    const png = solidPng([255, 0, 255], 16)
    const bytes = pmtilesArchive(allTiles(0, 2, png))
    const archive = new PMTiles(new BufferSource(bytes))
    const header = await archive.getHeader()
    expect(header).toMatchObject({ numAddressedTiles: 21, numTileEntries: 1, numTileContents: 1 })
    expect(bytes.length).toBeLessThan(127 + 100 + png.length)
    const tile = await archive.getZxy(2, 3, 1)
    expect(Buffer.from(tile!.data).equals(png)).toBe(true)
    expect(await archive.getZxy(3, 0, 0)).toBeUndefined()
  })

  it('writes a PNG that starts with the PNG signature and holds the size asked for', () => {
    const png = solidPng([1, 2, 3], 40)
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG')
    expect(png.readUInt32BE(16)).toBe(40)
    expect(png.readUInt32BE(20)).toBe(40)
  })
})
