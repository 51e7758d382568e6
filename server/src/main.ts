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
console.log(`\nGridSight is live: http://${shownHost}:${port}/  (simulator ${config.SIMULATOR})`)
if (config.ingestKeyGenerated) {
  console.log(`Demo ingest key (set GRIDSIGHT_INGEST_KEY to choose your own): ${config.GRIDSIGHT_INGEST_KEY}`)
}
if (config.operatorKeyGenerated) {
  console.log(
    `Operator key for acknowledging alerts (set GRIDSIGHT_OPERATOR_KEY to choose your own): ${config.GRIDSIGHT_OPERATOR_KEY}`,
  )
}
if (app.initialAdmin) {
  // printed once, never logged: the first start's admin (issue 9); there is no default password
  console.log(
    `First start: log in as "${app.initialAdmin.username}" with the password ${app.initialAdmin.password} (shown once; ` +
      'more users: pnpm gridsight user add --help)',
  )
}
