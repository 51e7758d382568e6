/**
 * `pnpm gridsight <command> [options]`: the operator's command line. Each command is a module
 * ./<name>.ts exporting `command` (a Command); they are loaded on demand, so a command's
 * dependencies cost nothing to the others. Exit codes: 0 success, 1 the command failed (e.g.
 * invalid input), 2 usage error.
 */
import type { Command } from './command.ts'

const COMMANDS: Record<string, () => Promise<{ command: Command }>> = {
  import: () => import('./import.ts'),
  validate: () => import('./validate.ts'),
  simulate: () => import('./simulate.ts'),
  'generate-city': () => import('./generate-city.ts'),
  user: () => import('./user.ts'),
  key: () => import('./key.ts'),
  display: () => import('./key-display.ts'),
}

async function help(): Promise<string> {
  const lines = ['Usage: pnpm gridsight <command> [options]', '', 'Commands:']
  for (const [name, load] of Object.entries(COMMANDS)) {
    const { command } = await load()
    lines.push(`  ${name.padEnd(14)} ${command.summary}`)
  }
  lines.push('', 'Run `pnpm gridsight <command> --help` for its options.')
  return lines.join('\n')
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(await help())
    return name === undefined ? 2 : 0
  }
  const load = COMMANDS[name]
  if (!load) {
    console.error(`gridsight: unknown command "${name}"\n\n${await help()}`)
    return 2
  }
  const { command } = await load()
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(`Usage: pnpm gridsight ${command.usage}\n\n${command.summary}\n\n${command.help}`)
    return 0
  }
  return command.run(rest)
}

if (import.meta.main) process.exitCode = await main(process.argv.slice(2))
