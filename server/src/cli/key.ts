/**
 * `gridsight key add|list|revoke`: ingest keys — write-only bearer keys, one per sending system,
 * each with a jurisdiction. The key is printed once; only its sha-256 is stored.
 */
import { isInputError, openCliSession, table, when } from '../auth/cli-session.ts'
import { parse, UsageError, userPath, withUsage, type Command } from './command.ts'

const USAGE = 'key add <name> --source <system> --jurisdiction <unit code> | key list | key revoke <id>'

export const command: Command = {
  summary: 'add, list or revoke ingest keys (write-only, per source, revocable)',
  usage: USAGE,
  help: [
    'add <name>                creates an ingest key and prints it once',
    '  --source <system>       the sending system, e.g. xueliang-platform or grid-app',
    '  --jurisdiction <code>   unit code the key may write for, e.g. 330402',
    'list                      all keys (never the key itself)',
    'revoke <id>               revokes a key (its id from `key list`)',
    '',
    'Uses DATA_DIR (default ./data) or DATABASE_URL, as the server does.',
  ].join('\n'),
  run: (argv) =>
    withUsage(USAGE, async () => {
      const { values, positionals } = parse(argv, {
        source: { type: 'string' },
        jurisdiction: { type: 'string' },
      })
      const [action, arg, ...extra] = positionals
      if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`)
      if (action !== 'add' && action !== 'list' && action !== 'revoke') {
        throw new UsageError(action === undefined ? 'say add, list or revoke' : `unknown action "${action}"`)
      }
      if (action === 'add' && arg === undefined) throw new UsageError('key add needs a name')
      if (action === 'revoke' && arg === undefined) throw new UsageError('key revoke needs the key id')
      if (action === 'add' && !values.source) throw new UsageError('--source is required')
      if (action === 'add' && !values.jurisdiction) throw new UsageError('--jurisdiction is required')

      const session = await openCliSession(process.env, userPath(process.env.DATA_DIR || './data'))
      try {
        if (action === 'list') {
          const keys = await session.service.store.listIngestKeys()
          console.log(
            table([
              ['ID', 'NAME', 'SOURCE', 'JURISDICTION', 'CREATED', 'REVOKED'],
              ...keys.map((k) => [k.id, k.name, k.source, k.jurisdiction, when(k.createdAt), when(k.revokedAt)]),
            ]),
          )
        } else if (action === 'add') {
          const { key, secret } = await session.service.addIngestKey(
            { name: arg!, source: values.source!, jurisdiction: values.jurisdiction! },
            '',
            session.ctx,
          )
          console.log(
            `added ingest key ${key.id} (${key.name}, source ${key.source}, jurisdiction ${key.jurisdiction})`,
          )
          console.log(`key (shown once; send as "Authorization: Bearer <key>"): ${secret}`)
        } else {
          const key = await session.service.revokeIngestKey(arg!, '', session.ctx)
          console.log(`revoked ingest key ${key.id} (${key.name})`)
        }
        return 0
      } catch (err) {
        if (!isInputError(err)) throw err
        console.error(`gridsight key ${action}: ${err.message}`)
        return 1
      } finally {
        await session.close()
      }
    }),
}
