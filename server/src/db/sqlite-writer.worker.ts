/**
 * The SQLite writer thread: owns the only write connection and runs every write the store makes,
 * one request at a time, in arrival order. A request is answered only after its transaction
 * COMMITted (WAL, synchronous=FULL), so the main thread's event loop never waits on SQLite or
 * fsync while an acknowledgement still means "on disk".
 */
import { parentPort, workerData } from 'node:worker_threads'
import { Kysely, SqliteDialect } from 'kysely'
import type { Database } from './schema.ts'
import { cachedSqlite, openSqlite } from './sqlite.ts'
import { WriteRunner } from './write-runner.ts'
import type { WriterReply, WriterRequest } from './writer.ts'

const port = parentPort
if (!port) throw new Error('sqlite-writer.worker.ts runs as a worker thread')
const { file } = workerData as { file: string }

const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cachedSqlite(openSqlite(file, false)) }) })
const runner = new WriteRunner(db, 'sqlite')

async function run(req: WriterRequest): Promise<unknown> {
  switch (req.op) {
    case 'commit':
      return runner.commit(req.changes, req.now)
    case 'units':
      return runner.upsertUnits(req.units)
    case 'prune':
      return runner.pruneSlice(req.olderThanTs, req.batch)
    case 'execute':
      return runner.execute(req.statements)
    case 'close':
      return db.destroy()
  }
}

// Serialised: a request starts only when the one before it has finished.
let queue: Promise<unknown> = Promise.resolve()
port.on('message', (req: WriterRequest) => {
  queue = queue.then(async () => {
    let reply: WriterReply
    try {
      reply = { id: req.id, ok: true, result: await run(req) }
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err))
      reply = {
        id: req.id,
        ok: false,
        error: { name: e.name, message: e.message, code: (e as { code?: unknown }).code },
      }
    }
    port.postMessage(reply)
    if (req.op === 'close') port.close()
  })
})
port.postMessage({ id: 0, ok: true, result: 'ready' } satisfies WriterReply)
