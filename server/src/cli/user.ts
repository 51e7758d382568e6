/**
 * `gridsight user add|list|revoke`: users of the screen and the admin API. A new user's password
 * is generated and printed once unless one is piped in (--password-stdin); it is stored only as
 * an argon2id hash.
 */
import { text } from 'node:stream/consumers'
import { isRole, ROLES } from '../auth/roles.ts'
import { isInputError, openCliSession, table, when } from '../auth/cli-session.ts'
import { parse, UsageError, userPath, withUsage, type Command } from './command.ts'

const USAGE =
  'user add <username> --role <role> --jurisdiction <unit code> [--password-stdin] | user list | user revoke <username>'

export const command: Command = {
  summary: 'add, list or revoke users (roles admin, leader, operator, display; a jurisdiction each)',
  usage: USAGE,
  help: [
    'add <username>            creates a user and prints its generated password once',
    `  --role <role>           ${ROLES.join(' | ')}`,
    '  --jurisdiction <code>   unit code the user sees (and below), e.g. 330402 (district) or 330402007 (street)',
    '  --password-stdin        read the password from standard input instead (at least 12 characters)',
    'list                      all users, with role, jurisdiction and whether revoked',
    'revoke <username>         revokes the user: its sessions end, its screens disconnect',
    '',
    'Uses DATA_DIR (default ./data) or DATABASE_URL, as the server does.',
  ].join('\n'),
  run: (argv) =>
    withUsage(USAGE, async () => {
      const { values, positionals } = parse(argv, {
        role: { type: 'string' },
        jurisdiction: { type: 'string' },
        'password-stdin': { type: 'boolean' },
      })
      const [action, name, ...extra] = positionals
      if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`)
      if (action !== 'add' && action !== 'list' && action !== 'revoke') {
        throw new UsageError(action === undefined ? 'say add, list or revoke' : `unknown action "${action}"`)
      }
      if (action !== 'list' && name === undefined) throw new UsageError(`user ${action} needs a username`)
      if (action === 'add') {
        if (!isRole(values.role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`)
        if (!values.jurisdiction) throw new UsageError('--jurisdiction is required (a unit code such as 330402007)')
      }
      const password = values['password-stdin'] ? (await text(process.stdin)).replace(/\r?\n$/, '') : undefined

      const session = await openCliSession(process.env, userPath(process.env.DATA_DIR || './data'))
      try {
        if (action === 'list') {
          const users = await session.service.store.listUsers()
          console.log(
            table([
              ['USERNAME', 'ROLE', 'JURISDICTION', 'CREATED', 'REVOKED'],
              ...users.map((u) => [u.username, u.role, u.jurisdiction, when(u.createdAt), when(u.revokedAt)]),
            ]),
          )
        } else if (action === 'add') {
          const { user, password: pw } = await session.service.addUser(
            {
              username: name!,
              role: values.role as (typeof ROLES)[number],
              jurisdiction: values.jurisdiction!,
              password,
            },
            '',
            session.ctx,
          )
          console.log(`added ${user.role} ${user.username} (jurisdiction ${user.jurisdiction})`)
          if (password === undefined) console.log(`password (shown once): ${pw}`)
        } else {
          const user = await session.service.revokeUser(name!, '', session.ctx)
          console.log(`revoked ${user.username}: its sessions end and its screens disconnect within seconds`)
        }
        return 0
      } catch (err) {
        if (!isInputError(err)) throw err
        console.error(`gridsight user ${action}: ${err.message}`)
        return 1
      } finally {
        await session.close()
      }
    }),
}
