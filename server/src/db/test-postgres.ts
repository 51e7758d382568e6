/**
 * A throw-away PostgreSQL server for tests and benchmarks: initdb in a temp dir, listening on
 * 127.0.0.1 (a free port) and a unix socket in that dir, database `gridsight`; stop() removes it.
 * PostgreSQL refuses to run as root, so as root the server runs as the `postgres` OS user.
 * Binaries: $PG_BIN, else the newest /usr/lib/postgresql/<version>/bin (Debian package `postgresql`).
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'

export interface TempPostgres {
  /** postgres://postgres@127.0.0.1:<port>/gridsight */
  url: string
  /** a URL for another database on the same server */
  urlFor(database: string): string
  /** creates an empty database and returns its URL */
  createDatabase(name: string): Promise<string>
  stop(): Promise<void>
}

export function findPostgresBin(): string {
  const fromEnv = process.env.PG_BIN
  if (fromEnv) {
    if (!existsSync(join(fromEnv, 'pg_ctl'))) {
      throw new Error(`PG_BIN=${fromEnv} has no pg_ctl: install the Debian package \`postgresql\` or fix PG_BIN`)
    }
    return fromEnv
  }
  const root = '/usr/lib/postgresql'
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, 'bin', 'pg_ctl')) && existsSync(join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : []
  if (versions.length === 0) {
    throw new Error(
      'PostgreSQL server binaries (initdb, pg_ctl) not found under /usr/lib/postgresql/<version>/bin: ' +
        'install the Debian package `postgresql` (e.g. `apt-get install postgresql postgresql-15-postgis-3`) ' +
        'or point PG_BIN at a bin directory.',
    )
  }
  return join(root, versions[0]!, 'bin')
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address()
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))))
    })
  })
}

const isRoot = process.getuid?.() === 0

function userId(name: string): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`))
  if (!line) throw new Error(`running as root, but there is no '${name}' OS user to run PostgreSQL as`)
  const [, , uid, gid] = line.split(':')
  return { uid: Number(uid), gid: Number(gid) }
}

/** Runs a PostgreSQL binary, as `postgres` when we are root. */
function pgRun(bin: string, args: string[]): SpawnSyncReturns<string> {
  const [cmd, argv] = isRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args]
  return spawnSync(cmd, argv, { encoding: 'utf8', timeout: 60_000 })
}

function check(r: SpawnSyncReturns<string>, what: string, logFile?: string): void {
  if (r.status === 0) return
  let log = ''
  if (logFile && existsSync(logFile)) log = `\n--- server log ---\n${readFileSync(logFile, 'utf8').slice(-2000)}`
  throw new Error(`${what} failed (${r.error?.message ?? `exit ${r.status}`}):\n${r.stderr}${r.stdout}${log}`)
}

export async function startTempPostgres(): Promise<TempPostgres> {
  const bin = findPostgresBin()
  const dir = mkdtempSync(join(tmpdir(), 'gridsight-pg-'))
  if (isRoot) {
    const { uid, gid } = userId('postgres')
    chownSync(dir, uid, gid)
  }
  const data = join(dir, 'data')
  const log = join(dir, 'server.log')
  let running = false
  const stopNow = () => {
    if (running) pgRun(join(bin, 'pg_ctl'), ['stop', '-D', data, '-m', 'immediate', '-w'])
    running = false
    rmSync(dir, { recursive: true, force: true })
  }
  // A test run that dies before stop() must not leave a server behind.
  const onExit = () => stopNow()
  process.once('exit', onExit)

  try {
    check(
      pgRun(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '-N']),
      'initdb',
    )
    let port = 0
    for (let attempt = 0; ; attempt++) {
      port = await freePort()
      const opts = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c max_connections=200`
      const r = pgRun(join(bin, 'pg_ctl'), ['start', '-D', data, '-l', log, '-w', '-t', '60', '-o', opts])
      if (r.status === 0) break
      // Another process may have taken the port between the probe and the start.
      if (attempt >= 2) check(r, 'pg_ctl start', log)
    }
    running = true
    const urlFor = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`
    const createDatabase = async (name: string) => {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`)
      const admin = new pg.Client({ connectionString: urlFor('postgres') })
      await admin.connect()
      try {
        await admin.query(`create database ${name}`)
      } finally {
        await admin.end()
      }
      return urlFor(name)
    }
    const url = await createDatabase('gridsight')
    return {
      url,
      urlFor,
      createDatabase,
      async stop() {
        process.removeListener('exit', onExit)
        // The data is thrown away: skip the shutdown checkpoint.
        stopNow()
      },
    }
  } catch (err) {
    process.removeListener('exit', onExit)
    stopNow()
    throw err
  }
}
