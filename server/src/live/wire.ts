/** A typed array as a Buffer view (no copy): msgpack `bin` on the wire, see shared/binary.ts. */
export function toWire(arr: ArrayBufferView): Buffer {
  return Buffer.from(arr.buffer, arr.byteOffset, arr.byteLength)
}
