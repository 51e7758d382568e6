/**
 * `gridsight display add|list|revoke`: wall-display tokens — long-lived, read-only, bound to one
 * scope, used in a kiosk URL without a login form. The token is printed once; only its sha-256 is
 * stored.
 */
import { isInputError, openCliSession, table, when } from '../auth/cli-session.ts'
import { parse, UsageError, userPath, withUsage, type Command } from './command.ts'

const USAGE = 'display add <name> --scope <unit code> | display list | display revoke <id>'

export const command: Command = {
  summary: 'add, list or revoke wall-display tokens (read-only, one scope, kiosk URL)',
  usage: USAGE,
  help: [
    'add <name>          creates a display token and prints it, with its kiosk URL, once',
    '  --scope <code>    the unit the wall shows, e.g. 330402007 (a street)',
    'list                all display tokens (never the token itself)',
    'revoke <id>         revokes a token (its id from `display list`); the wall disconnects',
    '',
    'Uses DATA_DIR (default ./data) or DATABASE_URL, as the server does.',
  ].join('\n'),
  run: (argv) =>
    withUsage(USAGE, async () => {
      const { values, positionals } = parse(argv, { scope: { type: 'string' } })
      const [action, arg, ...extra] = positionals
      if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`)
      if (action !== 'add' && action !== 'list' && action !== 'revoke') {
        throw new UsageError(action === undefined ? 'say add, list or revoke' : `unknown action "${action}"`)
      }
      if (action === 'add' && arg === undefined) throw new UsageError('display add needs a name')
      if (action === 'revoke' && arg === undefined) throw new UsageError('display revoke needs the token id')
      if (action === 'add' && !values.scope) throw new UsageError('--scope is required')

      const session = await openCliSession(process.env, userPath(process.env.DATA_DIR || './data'))
      try {
        if (action === 'list') {
          const tokens = await session.service.store.listDisplayTokens()
          console.log(
            table([
              ['ID', 'NAME', 'SCOPE', 'CREATED', 'REVOKED'],
              ...tokens.map((d) => [d.id, d.name, d.scope, when(d.createdAt), when(d.revokedAt)]),
            ]),
          )
        } else if (action === 'add') {
          const { display, secret } = await session.service.addDisplayToken(
            { name: arg!, scope: values.scope! },
            '',
            session.ctx,
          )
          console.log(`added display token ${display.id} (${display.name}, scope ${display.scope})`)
          console.log(`token (shown once): ${secret}`)
          console.log(`kiosk URL: http://<server>:${process.env.PORT || 8080}/?display=${secret}`)
        } else {
          const display = await session.service.revokeDisplayToken(arg!, '', session.ctx)
          console.log(`revoked display token ${display.id} (${display.name})`)
        }
        return 0
      } catch (err) {
        if (!isInputError(err)) throw err
        console.error(`gridsight display ${action}: ${err.message}`)
        return 1
      } finally {
        await session.close()
      }
    }),
}
