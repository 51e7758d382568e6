/**
 * Bytes and encode cost of one tick's member positions on the wire:
 * GridSight's columnar binary delta through socket.io-msgpack-parser, against the
 * naive baseline of one JSON `emit` per changed member (socket.io's default parser).
 */
import msgpackParser from 'socket.io-msgpack-parser'
import { Encoder as JsonEncoder, PacketType } from 'socket.io-parser'
import { mulberry32 } from '@gridsight/shared'

export interface WireResult {
  updates: number
  binaryBytesPerUpdate: number
  jsonBytesPerUpdate: number
  bytesRatio: number
  binaryEncodeNsPerUpdate: number
  jsonEncodeNsPerUpdate: number
  encodeSpeedRatio: number
}

// The msgpack encoder returns one buffer per packet; socket.io-parser a list of strings/buffers.
const byteLength = (encoded: ArrayBuffer | unknown[]): number =>
  encoded instanceof ArrayBuffer || ArrayBuffer.isView(encoded)
    ? encoded.byteLength
    : encoded.reduce<number>(
        (sum, c) => sum + (typeof c === 'string' ? Buffer.byteLength(c) : (c as Uint8Array).byteLength),
        0,
      )

function timeNs(fn: () => void, minMs = 300): number {
  fn() // warm-up
  let runs = 0
  const start = process.hrtime.bigint()
  let elapsed = 0n
  while (elapsed < BigInt(minMs) * 1_000_000n) {
    fn()
    runs++
    elapsed = process.hrtime.bigint() - start
  }
  return Number(elapsed) / runs
}

export function benchWireEncoding(updates: number): WireResult {
  const random = mulberry32(updates)
  const ids = Array.from({ length: updates }, (_, i) => `M${String(i + 1).padStart(5, '0')}`)
  const lon = Float64Array.from(ids, () => 120.65 + 0.33 * random())
  const lat = Float64Array.from(ids, () => 30.6 + 0.24 * random())

  const binEncoder = new msgpackParser.Encoder()
  const binaryPacket = () => {
    const idx = new Uint32Array(updates)
    const pos = new Float32Array(updates * 2)
    for (let i = 0; i < updates; i++) {
      idx[i] = i
      pos[2 * i] = lon[i]!
      pos[2 * i + 1] = lat[i]!
    }
    const wire = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)
    const data = [
      'delta',
      { epoch: 'e', seq: 1, ts: Date.now(), members: { added: [], idx: wire(idx), pos: wire(pos) } },
    ]
    return binEncoder.encode({ type: PacketType.EVENT, nsp: '/live', data })
  }

  const jsonEncoder = new JsonEncoder()
  const jsonPackets = () => {
    const out: unknown[] = []
    for (let i = 0; i < updates; i++) {
      const data = ['member', { id: ids[i], lon: lon[i], lat: lat[i], ts: Date.now() }]
      out.push(...jsonEncoder.encode({ type: PacketType.EVENT, nsp: '/live', data }))
    }
    return out
  }

  const binaryBytes = byteLength(binaryPacket())
  const jsonBytes = byteLength(jsonPackets())
  const binNs = timeNs(binaryPacket)
  const jsonNs = timeNs(jsonPackets)
  return {
    updates,
    binaryBytesPerUpdate: binaryBytes / updates,
    jsonBytesPerUpdate: jsonBytes / updates,
    bytesRatio: jsonBytes / binaryBytes,
    binaryEncodeNsPerUpdate: binNs / updates,
    jsonEncodeNsPerUpdate: jsonNs / updates,
    encodeSpeedRatio: jsonNs / binNs,
  }
}
