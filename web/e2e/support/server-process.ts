/**
 * Starts the real server the way `pnpm start` does (node server/src/main.ts) on
 * an ephemeral port, and stops it.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const MAIN = fileURLToPath(new URL('../../../server/src/main.ts', import.meta.url))

export interface ServerProcess {
  url: string
  child: ChildProcess
  output: () => string
  stop: () => Promise<void>
}

export function startServerProcess(env: Record<string, string> = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, [MAIN], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'gridsight-e2e-')),
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let log = ''
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve()
      child.once('exit', () => resolve())
      child.kill('SIGTERM')
    })
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 30 s:\n${log}`)), 30_000)
    const onData = (chunk: Buffer) => {
      log += chunk.toString()
      const port = /GridSight is live: http:\/\/[^:]+:(\d+)\//.exec(log)?.[1]
      if (port) {
        clearTimeout(timer)
        resolve({ url: `http://127.0.0.1:${port}`, child, output: () => log, stop })
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`server exited with ${code}:\n${log}`))
    })
  })
}
