/**
 * Starts the real server the way `pnpm start` does (node server/src/main.ts) on
 * an ephemeral port, and stops or kills it. Shared by server tests and the web
 * E2E tests (exported as @gridsight/server/test/server-process).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url))

export interface ServerProcess {
  url: string
  child: ChildProcess
  dataDir: string
  output: () => string
  /** the first admin and the first wall's display token, printed on a fresh DATA_DIR's first start */
  admin?: { username: string; password: string }
  displayToken?: string
  /** SIGTERM and wait for the exit */
  stop: () => Promise<void>
  /** SIGKILL (no shutdown at all) and wait for the exit */
  kill: () => Promise<void>
}

export function startServerProcess(env: Record<string, string> = {}): Promise<ServerProcess> {
  const dataDir = env.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'gridsight-proc-'))
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env, DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let log = ''
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const signal = (sig: NodeJS.Signals) => () => {
    if (child.exitCode === null && child.signalCode === null) child.kill(sig)
    return exited
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 30 s:\n${log}`)), 30_000)
    const onData = (chunk: Buffer) => {
      log += chunk.toString()
      const port = /GridSight is live: http:\/\/[^:]+:(\d+)\//.exec(log)?.[1]
      const admin = /log in as "([^"]+)" with the password (\S+)/.exec(log)
      const displayToken = /\?display=(gsd_[A-Za-z0-9_-]+)/.exec(log)?.[1]
      if (port) {
        clearTimeout(timer)
        resolve({
          url: `http://127.0.0.1:${port}`,
          child,
          dataDir,
          output: () => log,
          ...(admin ? { admin: { username: admin[1]!, password: admin[2]! } } : {}),
          ...(displayToken ? { displayToken } : {}),
          stop: signal('SIGTERM'),
          kill: signal('SIGKILL'),
        })
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    void exited.then(() => {
      clearTimeout(timer)
      reject(new Error(`server exited with ${child.exitCode ?? child.signalCode}:\n${log}`))
    })
  })
}
