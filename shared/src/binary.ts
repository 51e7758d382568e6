/**
 * Typed arrays on the wire.
 *
 * socket.io-msgpack-parser (notepack.io) sends a Node Buffer as msgpack `bin`,
 * honouring its offset and length; the browser decodes that as an ArrayBuffer and
 * Node as a Buffer. (A bare typed array would go as `ext` with its whole backing
 * buffer and decode differently per platform, so servers always send Buffers.)
 * Receivers wrap whatever arrives with the readers below. Byte order is the
 * platform's: little-endian on every target we ship to.
 */

/** What the msgpack parser may hand back for a binary field. */
export type WireBytes = ArrayBuffer | Uint8Array

function alignedBuffer(bytes: WireBytes, alignment: number): ArrayBuffer {
  if (bytes instanceof ArrayBuffer) return bytes
  if (bytes.byteOffset % alignment === 0 && bytes.buffer instanceof ArrayBuffer) {
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)
  }
  const copy = new Uint8Array(bytes.byteLength)
  copy.set(bytes)
  return copy.buffer
}

export function readFloat32(bytes: WireBytes): Float32Array {
  return new Float32Array(alignedBuffer(bytes, 4))
}

export function readUint32(bytes: WireBytes): Uint32Array {
  return new Uint32Array(alignedBuffer(bytes, 4))
}

export function readUint16(bytes: WireBytes): Uint16Array {
  return new Uint16Array(alignedBuffer(bytes, 2))
}

export function readUint8(bytes: WireBytes): Uint8Array {
  return bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : bytes
}
