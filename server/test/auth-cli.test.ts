/**
 * `gridsight user|key|display` as an operator runs them (a real process on a real DATA_DIR), and
 * what they write seen through the server's own auth service.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { buildApp } from '../src/app.ts'
import { testConfig } from './helpers.ts'

const MAIN = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url))
const dataDir = mkdtempSync(join(tmpdir(), 'gridsight-cli-auth-'))
afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

function gridsight(args: string[], stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], {
      env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.stdin.end(stdin ?? '')
    child.on('error', reject)
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }))
  })
}

// each command is a fresh Node process (a few seconds on a loaded 2-core machine)
describe('gridsight user / key / display', { timeout: 120_000 }, () => {
  it('adds, lists and revokes; secrets are printed once and work against the server', async () => {
    const added = await gridsight(['user', 'add', 'li.street', '--role', 'operator', '--jurisdiction', '330402007'])
    if (added.code !== 0) throw new Error(added.stderr)
    const password = /password \(shown once\): (\S+)/.exec(added.stdout)?.[1]
    expect(password).toBeDefined()
    const piped = await gridsight(
      ['user', 'add', 'wang', '--role', 'leader', '--jurisdiction', '330402', '--password-stdin'],
      'a-long-password-1\n',
    )
    expect(piped.stdout).not.toContain('shown once')
    const key = await gridsight(['key', 'add', 'cams', '--source', 'xueliang', '--jurisdiction', '330402'])
    const keySecret = /key \(shown once.*\): (gsi_\S+)/.exec(key.stdout)?.[1]
    const display = await gridsight(['display', 'add', 'wall-1', '--scope', '330402007'])
    const displaySecret = /token \(shown once\): (gsd_\S+)/.exec(display.stdout)?.[1]
    expect(display.stdout).toContain(`/?display=${displaySecret}`)

    const list = await gridsight(['user', 'list'])
    expect(list.stdout).toMatch(/li\.street\s+operator\s+330402007/)
    expect(list.stdout).toMatch(/wang\s+leader\s+330402\s/)
    expect(list.stdout).not.toContain(password)

    // the server on the same data: CLI users exist, so no first admin; every secret works
    const app = await buildApp(testConfig({ DATA_DIR: dataDir }))
    try {
      expect(app.initialAdmin).toBeUndefined()
      const login = (username: string, pw: string) =>
        app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: pw } })
      expect((await login('li.street', password!)).statusCode).toBe(200)
      expect((await login('wang', 'a-long-password-1')).statusCode).toBe(200)
      const me = (secret: string) =>
        app.inject({ url: '/api/v1/auth/me', headers: { authorization: `Bearer ${secret}` } })
      expect((await me(keySecret!)).json()).toMatchObject({ kind: 'ingest', name: 'cams' })
      expect((await me(displaySecret!)).json()).toMatchObject({ kind: 'display', jurisdiction: '330402007' })

      const revoked = await gridsight(['user', 'revoke', 'li.street'])
      expect(revoked.code).toBe(0)
      expect((await login('li.street', password!)).statusCode).toBe(401)
      const audit = await app.auth.store.listAudit()
      expect(audit.find((e) => e.action === 'user_revoke')?.actor).toMatch(/^cli:/)
    } finally {
      await app.close()
    }
  })

  it('says what is wrong: usage errors exit 2, refused input exits 1', async () => {
    const noRole = await gridsight(['user', 'add', 'x1', '--jurisdiction', '330402'])
    expect(noRole.code).toBe(2)
    expect(noRole.stderr).toMatch(/--role must be one of admin, leader, operator, display/)
    const badCode = await gridsight(['key', 'add', 'k', '--source', 's', '--jurisdiction', '33'])
    expect(badCode.code).toBe(1)
    expect(badCode.stderr).toMatch(/jurisdiction must be a unit code/)
    const unknown = await gridsight(['display', 'revoke', 'no-such-id'])
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toMatch(/no display token "no-such-id"/)
  })
})
