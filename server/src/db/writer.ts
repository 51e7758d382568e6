/**
 * Where the store's writes run. PostgreSQL: on the main thread (pg is asynchronous). SQLite: in a
 * worker thread that owns the write connection (`sqlite-writer.worker.ts`), because better-sqlite3
 * is synchronous and a group commit with its fsync would otherwise stall the event loop that cuts
 * the live ticks and serves the screens. `inline` keeps SQLite writes on the main thread (the
 * previous design, kept as the benchmark's same-run comparison).
 */
import { Worker } from 'node:worker_threads'
import type { WriteRunner } from './write-runner.ts'
import type { RawStatement, StoredChange, UnitRow } from './types.ts'

export interface Writer {
  /** one group transaction; resolves with BEGIN … COMMIT in ms once committed */
  commit(changes: StoredChange[], now: number): Promise<number>
  upsertUnits(units: UnitRow[]): Promise<void>
  pruneSlice(olderThanTs: number, batch: number): Promise<number>
  execute(statements: readonly RawStatement[]): Promise<number[]>
  close(): Promise<void>
}

export type WriterRequest = { id: number } & (
  | { op: 'commit'; changes: StoredChange[]; now: number }
  | { op: 'units'; units: UnitRow[] }
  | { op: 'prune'; olderThanTs: number; batch: number }
  | { op: 'execute'; statements: readonly RawStatement[] }
  | { op: 'close' }
)
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never

export type WriterReply =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: { name: string; message: string; code?: unknown } }

/** Writes on the calling thread; `close` lets go of the connection (or not, when it is shared). */
export function inlineWriter(runner: WriteRunner, close: () => Promise<void>): Writer {
  return {
    commit: (changes, now) => runner.commit(changes, now),
    upsertUnits: (units) => runner.upsertUnits(units),
    pruneSlice: (olderThanTs, batch) => runner.pruneSlice(olderThanTs, batch),
    execute: (statements) => runner.execute(statements),
    close,
  }
}

/** An error thrown in the writer thread, rebuilt on this side with its name, message and code. */
export class WriterError extends Error {
  readonly code: unknown
  constructor(e: { name: string; message: string; code?: unknown }) {
    super(e.message)
    this.name = e.name
    this.code = e.code
  }
}

class ThreadWriter implements Writer {
  readonly #worker: Worker
  readonly #pending = new Map<number, { resolve: (v: unknown) => void; reject: (err: unknown) => void }>()
  #nextId = 1
  /** set when the thread died: every later request fails with it */
  #dead: Error | null = null
  #exited: Promise<void>

  constructor(file: string) {
    this.#worker = new Worker(new URL('./sqlite-writer.worker.ts', import.meta.url), { workerData: { file } })
    this.#worker.on('message', (reply: WriterReply) => {
      const p = this.#pending.get(reply.id)
      if (!p) return
      this.#pending.delete(reply.id)
      if (reply.ok) p.resolve(reply.result)
      else p.reject(new WriterError(reply.error))
    })
    this.#worker.on('error', (err) => this.#die(err))
    this.#exited = new Promise((resolve) =>
      this.#worker.once('exit', (code) => {
        this.#die(new Error(`the SQLite writer thread exited (code ${code})`))
        resolve()
      }),
    )
  }

  /** resolves once the thread has opened the database */
  ready(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#pending.set(0, { resolve: () => resolve(), reject })
    })
  }

  #die(err: Error): void {
    this.#dead ??= err
    for (const p of this.#pending.values()) p.reject(err)
    this.#pending.clear()
  }

  #call<T>(req: DistributiveOmit<WriterRequest, 'id'>): Promise<T> {
    if (this.#dead) return Promise.reject(this.#dead)
    const id = this.#nextId++
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject })
      this.#worker.postMessage({ ...req, id })
    })
  }

  commit(changes: StoredChange[], now: number): Promise<number> {
    return this.#call({ op: 'commit', changes, now })
  }

  upsertUnits(units: UnitRow[]): Promise<void> {
    return this.#call({ op: 'units', units })
  }

  pruneSlice(olderThanTs: number, batch: number): Promise<number> {
    return this.#call({ op: 'prune', olderThanTs, batch })
  }

  execute(statements: readonly RawStatement[]): Promise<number[]> {
    return this.#call({ op: 'execute', statements })
  }

  async close(): Promise<void> {
    if (!this.#dead) await this.#call({ op: 'close' })
    await this.#exited
  }
}

/** Starts the SQLite writer thread on `file` and waits until it has the database open. */
export async function threadWriter(file: string): Promise<Writer> {
  const w = new ThreadWriter(file)
  await w.ready()
  return w
}
