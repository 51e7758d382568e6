/** The contract between the `gridsight` dispatcher (main.ts) and its commands. */
import { isAbsolute, resolve } from 'node:path'
import { parseArgs, type ParseArgsConfig } from 'node:util'

export interface Command {
  /** one line for `gridsight --help` */
  summary: string
  /** `<name> <arguments>` */
  usage: string
  /** the options, one per line */
  help: string
  /** resolves to the exit code */
  run(argv: string[]): Promise<number>
}

/** A usage error: printed with the command's usage line, exit code 2. */
export class UsageError extends Error {}

/** node:util parseArgs, with its errors turned into UsageErrors. */
export function parse<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true })
  } catch (err) {
    throw new UsageError((err as Error).message)
  }
}

/** Paths the user typed are relative to the directory `pnpm` was run from, not the repository root. */
export function userPath(p: string): string {
  return isAbsolute(p) ? p : resolve(process.env.INIT_CWD ?? process.cwd(), p)
}

/** Runs a command body; UsageErrors print the usage and give exit code 2. */
export async function withUsage(usage: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body()
  } catch (err) {
    if (!(err instanceof UsageError)) throw err
    console.error(`gridsight: ${err.message}\nUsage: pnpm gridsight ${usage}`)
    return 2
  }
}

/**
 * Progress for long runs, on stderr so that stdout stays clean for the report: a line rewritten
 * in place on a terminal, otherwise a line at most every 2 s. Quiet for runs shorter than 1 s.
 */
export function progress(): { update(stage: string, done: number, total: number): void; done(): void } {
  const start = Date.now()
  const tty = process.stderr.isTTY === true
  let last = 0
  let shown = false
  return {
    update(stage, done, total) {
      const now = Date.now()
      if (now - start < 1000 || now - last < (tty ? 100 : 2000)) return
      last = now
      shown = true
      const text = `${stage}: ${done}/${total} (${Math.floor((100 * done) / Math.max(1, total))} %)`
      process.stderr.write(tty ? `\r${text}\u001b[K` : `${text}\n`)
    },
    done() {
      if (shown && tty) process.stderr.write('\r\u001b[K')
    },
  }
}
