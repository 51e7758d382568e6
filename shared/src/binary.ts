/**
 * Typed arrays on the wire.
 *
 * socket.io-msgpack-parser (notepack.io) encodes a typed array as an ext-0 blob
 * holding its *whole* backing ArrayBuffer, and decodes it as a fresh, aligned
 * ArrayBuffer on both Node and the browser. So senders must pass arrays that own
 * their buffer exactly (never a subarray view), and receivers wrap what arrives.
 * Byte order is the platform's: little-endian on every target we ship to.
 */

type AnyTypedArray = Float32Array | Float64Array | Uint8Array | Uint16Array | Uint32Array | Int32Array

/** Returns `arr` when it owns its buffer exactly, else a compact copy (safe to send). */
export function ownedBuffer<T extends AnyTypedArray>(arr: T): T {
  if (arr.byteOffset === 0 && arr.byteLength === arr.buffer.byteLength) return arr
  return arr.slice() as T
}

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

export function readUint8(bytes: WireBytes): Uint8Array {
  return bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : bytes
}
