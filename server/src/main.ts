/** Process entry: validate config, start listening, print where the screen is. */
import { mkdirSync } from 'node:fs'
import { buildApp, ConfigError, loadConfig, type Config } from './app.ts'

let config: Config
try {
  config = loadConfig(process.env, process.env.INIT_CWD ?? process.cwd())
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(`GridSight cannot start: ${err.message}`)
    process.exit(1)
  }
  throw err
}

mkdirSync(config.DATA_DIR, { recursive: true })
const app = await buildApp(config)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    app.log.info({ signal }, 'shutting down')
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  })
}

try {
  await app.listen({ port: config.PORT, host: config.HOST })
} catch (err) {
  console.error(`GridSight cannot start: ${(err as Error).message}`)
  process.exit(1)
}
const address = app.server.address()
const port = typeof address === 'object' && address ? address.port : config.PORT
const shownHost = ['0.0.0.0', '::', '127.0.0.1', '::1'].includes(config.HOST) ? 'localhost' : config.HOST
const base = `http://${shownHost}:${port}/`
// One write, so that whoever reads the output sees the address and the first start's credentials together.
const lines = [`\nGridSight is live: ${base}  (simulator ${config.SIMULATOR})`]
if (app.initialAdmin) {
  // printed once, never logged: there is no default password
  lines.push(
    `First start: log in as "${app.initialAdmin.username}" with the password ${app.initialAdmin.password} ` +
      '(shown once; more users: pnpm gridsight user add --help)',
  )
}
if (app.initialDisplayToken) {
  lines.push(
    `Wall display, no login form (shown once; more: pnpm gridsight display add --help): ` +
      `${base}?display=${app.initialDisplayToken}`,
  )
} else {
  lines.push(`Log in at ${base} (walls: pnpm gridsight display add <name> --scope <unit code> prints a kiosk URL)`)
}
if (config.ingestKeyGenerated) {
  lines.push(`Demo ingest key (set GRIDSIGHT_INGEST_KEY to choose your own): ${config.GRIDSIGHT_INGEST_KEY}`)
}
console.log(lines.join('\n'))
