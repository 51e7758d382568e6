/**
 * The live stream between server and screens (Socket.IO namespace `/live`,
 * msgpack parser). Positions travel columnar and binary; see docs/protocol.md.
 */
import type { WireBytes } from './binary.ts'

export const LIVE_NAMESPACE = '/live'
export const SOCKET_PATH = '/socket.io'

export const LiveEvent = {
  /** server → client: full state for the client's scope */
  snapshot: 'snapshot',
  /** server → client: changes since the previous seq */
  delta: 'delta',
  /** client → server: ask for a fresh snapshot (gap or new epoch seen) */
  resync: 'resync',
} as const

/** Members as parallel columns; `pos` is interleaved lon,lat as float32. */
export interface MemberColumns<B = WireBytes> {
  /** Registry of ids; a member's index in this list is its wire index. */
  ids: string[]
  pos: B
}

export interface MemberChanges<B = WireBytes> {
  /** ids registered since the previous delta; they take the next indexes, in order */
  added: string[]
  /** uint32 indexes into the snapshot's `ids` */
  idx: B
  /** float32 lon,lat interleaved, one pair per entry of `idx` */
  pos: B
}

export interface LiveSnapshot<B = WireBytes> {
  /** changes when the server's history is lost (restart) */
  epoch: string
  seq: number
  /** server time of the state, epoch ms */
  ts: number
  members: MemberColumns<B>
}

export interface LiveDelta<B = WireBytes> {
  epoch: string
  /** exactly previous seq + 1 within one epoch */
  seq: number
  ts: number
  members: MemberChanges<B>
}

export interface ServerToClientEvents<B = WireBytes> {
  snapshot: (snapshot: LiveSnapshot<B>) => void
  delta: (delta: LiveDelta<B>) => void
}

export interface ClientToServerEvents {
  resync: () => void
}
