/**
 * Basemap fixtures for tests, written from the formats' specifications so that no tile data has
 * to be checked in: a solid-colour PNG, a vector tile of whole-tile polygons, and a PMTiles v3
 * archive (127-byte header, one root directory of varint-encoded entries, optional gzip of the
 * directory and metadata). Exported
 * as @gridsight/server/test/basemap-fixtures for the web E2E tests; web/src/map/pmtiles-fixture.test.ts
 * checks that the `pmtiles` library reads the archives back.
 */
import { crc32, deflateSync, gzipSync } from 'node:zlib'

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(data.length, 0)
  head.write(type, 4, 'latin1')
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0)
  return Buffer.concat([head, data, crc])
}

/** A `size`×`size` 8-bit RGB PNG of one colour. */
export function solidPng([r, g, b]: readonly [number, number, number], size = 256): Buffer {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(size, 0)
  ihdr.writeUInt32BE(size, 4)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 2 // colour type: RGB
  const row = Buffer.alloc(1 + size * 3) // filter byte 0 (none), then the pixels
  for (let i = 0; i < size; i++) row.set([r, g, b], 1 + i * 3)
  const raw = Buffer.concat(Array.from({ length: size }, () => row))
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(raw)),
    pngChunk('IEND', Buffer.alloc(0)),
  ])
}

function rotate(n: number, x: number, y: number, rx: number, ry: number): [number, number] {
  if (ry !== 0) return [x, y]
  return rx !== 0 ? [n - 1 - y, n - 1 - x] : [y, x]
}

/** The PMTiles v3 tile id: tiles of lower zooms first, then the Hilbert curve position within the zoom. */
export function tileId(z: number, x: number, y: number): number {
  let id = ((1 << z) * (1 << z) - 1) / 3
  let a = z - 1
  let [tx, ty] = [x, y]
  for (let s = 1 << a; s > 0; s >>= 1) {
    const rx = tx & s
    const ry = ty & s
    id += ((3 * rx) ^ ry) * (1 << a)
    ;[tx, ty] = rotate(s, tx, ty, rx, ry)
    a--
  }
  return id
}

function varints(values: readonly number[]): number[] {
  const out: number[] = []
  for (let v of values) {
    while (v >= 0x80) {
      out.push((v % 0x80) | 0x80)
      v = Math.floor(v / 0x80)
    }
    out.push(v)
  }
  return out
}

export interface FixtureTile {
  z: number
  x: number
  y: number
  data: Uint8Array
}

export interface PmtilesOptions {
  /** PMTiles tile type: 1 mvt, 2 png (default), 3 jpeg, 4 webp */
  tileType?: number
  /** gzip the root directory and the metadata (default: uncompressed) */
  gzip?: boolean
  /** [west, south, east, north] in degrees (default: the world) */
  bounds?: readonly [number, number, number, number]
  metadata?: Record<string, unknown>
}

interface Entry {
  id: number
  offset: number
  length: number
  runLength: number
}

/** A PMTiles v3 archive of `tiles`; equal tiles share their bytes, and neighbours in id order one entry. */
export function pmtilesArchive(tiles: readonly FixtureTile[], options: PmtilesOptions = {}): Buffer {
  const { tileType = 2, gzip = false, bounds = [-180, -85, 180, 85], metadata = {} } = options
  const sorted = tiles
    .map((t) => ({ id: tileId(t.z, t.x, t.y), data: Buffer.from(t.data) }))
    .sort((a, b) => a.id - b.id)
  const contents = new Map<string, { offset: number; length: number }>()
  const blobs: Buffer[] = []
  let dataLength = 0
  const entries: Entry[] = []
  for (const { id, data } of sorted) {
    const key = data.toString('base64')
    let at = contents.get(key)
    if (!at) {
      at = { offset: dataLength, length: data.length }
      contents.set(key, at)
      blobs.push(data)
      dataLength += data.length
    }
    const last = entries.at(-1)
    if (last && last.offset === at.offset && last.id + last.runLength === id) last.runLength++
    else entries.push({ id, offset: at.offset, length: at.length, runLength: 1 })
  }
  const ids: number[] = []
  const offsets: number[] = []
  entries.forEach((e, i) => {
    ids.push(e.id - (i > 0 ? entries[i - 1]!.id : 0))
    const prev = entries[i - 1]
    // 0 means "right after the previous entry's bytes"
    offsets.push(prev && e.offset === prev.offset + prev.length ? 0 : e.offset + 1)
  })
  const pack = (b: Buffer) => (gzip ? gzipSync(b) : b)
  const rootDir = pack(
    Buffer.from([
      ...varints([entries.length]),
      ...varints(ids),
      ...varints(entries.map((e) => e.runLength)),
      ...varints(entries.map((e) => e.length)),
      ...varints(offsets),
    ]),
  )
  const meta = pack(Buffer.from(JSON.stringify(metadata)))
  const zooms = tiles.map((t) => t.z)
  const minZoom = Math.min(...zooms)
  const maxZoom = Math.max(...zooms)
  const header = Buffer.alloc(127)
  header.write('PMTiles', 0, 'latin1')
  header[7] = 3
  const rootOffset = 127
  const metaOffset = rootOffset + rootDir.length
  const leafOffset = metaOffset + meta.length
  const u64 = [rootOffset, rootDir.length, metaOffset, meta.length, leafOffset, 0, leafOffset, dataLength]
  u64.push(
    entries.reduce((n, e) => n + e.runLength, 0),
    entries.length,
    contents.size,
  )
  u64.forEach((v, i) => header.writeBigUInt64LE(BigInt(v), 8 + i * 8))
  header[96] = entries.every((e, i) => i === 0 || e.offset >= entries[i - 1]!.offset) ? 1 : 0 // clustered
  header[97] = gzip ? 2 : 1 // internal compression: 1 none, 2 gzip
  header[98] = 1 // tile compression: none
  header[99] = tileType
  header[100] = minZoom
  header[101] = maxZoom
  const e7 = (deg: number) => Math.round(deg * 1e7)
  const [w, s, e, n] = bounds
  header.writeInt32LE(e7(w), 102)
  header.writeInt32LE(e7(s), 106)
  header.writeInt32LE(e7(e), 110)
  header.writeInt32LE(e7(n), 114)
  header[118] = minZoom
  header.writeInt32LE(e7((w + e) / 2), 119)
  header.writeInt32LE(e7((s + n) / 2), 123)
  return Buffer.concat([header, rootDir, meta, ...blobs])
}

/** Every tile of zooms `minZoom`..`maxZoom`, each holding `data`. */
export function allTiles(minZoom: number, maxZoom: number, data: Uint8Array): FixtureTile[] {
  const out: FixtureTile[] = []
  for (let z = minZoom; z <= maxZoom; z++) {
    for (let x = 0; x < 1 << z; x++) for (let y = 0; y < 1 << z; y++) out.push({ z, x, y, data })
  }
  return out
}

/** Protocol-buffer pieces for the vector tile below (protobuf.dev/programming-guides/encoding). */
const field = (n: number, wireType: number) => varints([n * 8 + wireType])
const bytesField = (n: number, bytes: readonly number[]) => [...field(n, 2), ...varints([bytes.length]), ...bytes]
const zigzag = (v: number) => (v < 0 ? -2 * v - 1 : 2 * v)

/**
 * A Mapbox Vector Tile (github.com/mapbox/vector-tile-spec, v2) whose every named layer holds one
 * polygon over the whole tile and a little beyond, so that a fill of that source layer covers
 * the tile and neighbouring tiles meet without seams. No properties: the built-in style's fills
 * draw whatever their source layer holds.
 */
export function solidMvt(...layers: readonly string[]): Buffer {
  const extent = 4096
  const lo = -64
  const hi = extent + 64
  const corners = [
    [lo, lo],
    [hi, lo],
    [hi, hi],
    [lo, hi],
  ] as const
  const geometry: number[] = []
  let [cx, cy] = [0, 0]
  corners.forEach(([x, y], i) => {
    // MoveTo (1) once for the first corner, then LineTo (2) for the three others
    if (i === 0) geometry.push((1 & 7) | (1 << 3))
    if (i === 1) geometry.push((2 & 7) | (3 << 3))
    geometry.push(zigzag(x - cx), zigzag(y - cy))
    ;[cx, cy] = [x, y]
  })
  geometry.push((7 & 7) | (1 << 3)) // ClosePath
  const feature = [
    ...field(1, 0),
    ...varints([1]), // id
    ...field(3, 0),
    ...varints([3]), // type POLYGON
    ...bytesField(4, varints(geometry)),
  ]
  const tile: number[] = []
  for (const name of layers) {
    const layer = [
      ...field(15, 0),
      ...varints([2]), // version
      ...bytesField(1, [...Buffer.from(name, 'utf8')]),
      ...bytesField(2, feature),
      ...field(5, 0),
      ...varints([extent]),
    ]
    tile.push(...bytesField(3, layer))
  }
  return Buffer.from(tile)
}
