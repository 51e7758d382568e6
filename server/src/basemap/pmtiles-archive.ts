/**
 * What the boot check needs from a PMTiles v3 archive (github.com/protomaps/PMTiles spec v3):
 * the tile type from its 127-byte header, and for vector archives the metadata's `vector_layers`,
 * which tell the OpenMapTiles schema from the Protomaps one.
 */
import { closeSync, openSync, readSync } from 'node:fs'
import { brotliDecompressSync, gunzipSync, zstdDecompressSync } from 'node:zlib'

export const PMTILES_HEADER_BYTES = 127
/** the metadata of a real planet archive is a few kB; more is not a basemap we can check */
const MAX_METADATA_BYTES = 4 * 1024 * 1024

export interface PmtilesHeader {
  /** 1 mvt, 2 png, 3 jpeg, 4 webp, 5 avif */
  tileType: number
  internalCompression: number
  metadataOffset: number
  metadataLength: number
}

/** Throws the reason as a short phrase; the caller names the file and the variable. */
export function readHeader(fd: number): PmtilesHeader {
  const header = Buffer.alloc(PMTILES_HEADER_BYTES)
  if (readSync(fd, header, 0, PMTILES_HEADER_BYTES, 0) < PMTILES_HEADER_BYTES) throw new Error('is too short')
  if (header.toString('latin1', 0, 7) !== 'PMTiles' || header[7] !== 3) throw new Error('is not a PMTiles v3 archive')
  return {
    tileType: header[99]!,
    internalCompression: header[97]!,
    metadataOffset: Number(header.readBigUInt64LE(24)),
    metadataLength: Number(header.readBigUInt64LE(32)),
  }
}

/** The ids of the metadata's `vector_layers`, or undefined when it has none. */
export function readVectorLayers(fd: number, header: PmtilesHeader): string[] | undefined {
  if (header.metadataLength > MAX_METADATA_BYTES) throw new Error('has metadata too large to read')
  const raw = Buffer.alloc(header.metadataLength)
  readSync(fd, raw, 0, raw.length, header.metadataOffset)
  const decompress: Record<number, (b: Buffer) => Buffer> = {
    1: (b) => b,
    2: gunzipSync,
    3: brotliDecompressSync,
    4: zstdDecompressSync,
  }
  const unpack = decompress[header.internalCompression]
  if (!unpack) throw new Error(`has metadata in unknown compression ${header.internalCompression}`)
  let metadata: unknown
  try {
    metadata = JSON.parse(unpack(raw).toString('utf8'))
  } catch {
    throw new Error('has metadata that is not JSON')
  }
  const layers = (metadata as { vector_layers?: unknown } | null)?.vector_layers
  if (!Array.isArray(layers)) return undefined
  return layers.map((l) => (l as { id?: unknown } | null)?.id).filter((id): id is string => typeof id === 'string')
}

export function withArchive<T>(file: string, read: (fd: number) => T): T {
  const fd = openSync(file, 'r')
  try {
    return read(fd)
  } finally {
    closeSync(fd)
  }
}
