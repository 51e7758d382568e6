/**
 * Login, admin page and kiosk walls, end to end: real server process (fresh DATA_DIR, so its first
 * start made the admin), real Chromium. No credential → the login page; a wrong password is
 * refused on screen; the admin logs in and reaches the wall, then the admin page, creates a
 * display token for one street and its kiosk link opens a wall on that street with no login form
 * (the token gone from the address bar); revoking the token turns that wall into the "display
 * token revoked" screen within seconds, without a reload.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { launchChromium } from './support/browser.ts'
import { startServerProcess, type ServerProcess } from '@gridsight/server/test/server-process'

/** Headless Chromium draws WebGL in software: on a busy machine one evaluate alone can take seconds. */
const POLL = { timeout: 30_000 }
const STREET = '330402007' // 建设街道

describe('login, admin page and kiosk walls in Chromium', () => {
  let server: ServerProcess
  let browser: Browser
  let desk: Page
  let wall: Page
  let kioskUrl = ''

  beforeAll(async () => {
    server = await startServerProcess({ SIMULATOR: 'off', TICK_MS: '250' })
    browser = await launchChromium()
    desk = await browser.newPage({ viewport: { width: 1920, height: 1080 } })
    desk.on('dialog', (d) => void d.accept())
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('without any credential the page asks to log in', async () => {
    await desk.goto(server.url)
    await desk.getByTestId('login-page').waitFor(POLL)
    expect(await desk.getByTestId('wall').count()).toBe(0)
    expect(await desk.getByTestId('login-page').textContent()).toContain('用户登录')
  })

  it('a wrong password is refused with a message, and the page stays on login', async () => {
    await desk.getByTestId('login-username').fill(server.admin!.username)
    await desk.getByTestId('login-password').fill('certainly-not-the-password')
    await desk.getByTestId('login-submit').click()
    await expect.poll(() => desk.getByTestId('login-error').textContent(), POLL).toContain('用户名或密码错误')
    expect(await desk.getByTestId('login-password').inputValue()).toBe('')
  })

  it('the admin logs in and sees the wall, with who is logged in in the header', async () => {
    await desk.getByTestId('login-username').fill(server.admin!.username)
    await desk.getByTestId('login-password').fill(server.admin!.password)
    await desk.getByTestId('login-submit').click()
    await desk.locator('[data-testid="connection"][data-state="live"]').waitFor(POLL)
    expect(await desk.getByTestId('user-name').textContent()).toContain(server.admin!.username)
    // a reload of the tab keeps the session (refresh token in sessionStorage)
    await desk.reload()
    await desk.locator('[data-testid="connection"][data-state="live"]').waitFor(POLL)
  })

  it('the admin page creates a display token and shows its kiosk link once', async () => {
    await desk.getByTestId('open-admin').click()
    await desk.getByTestId('admin-page').waitFor(POLL)
    expect(new URL(desk.url()).searchParams.get('page')).toBe('admin')
    await desk.getByTestId('admin-tab-displays').click()
    // the first start's region-wide wall is listed
    await desk.getByTestId('admin-row').first().waitFor(POLL)
    await desk.getByTestId('admin-name').fill('E2E 街道大屏')
    await desk.getByTestId('admin-code').fill(STREET)
    await desk.getByTestId('admin-submit').click()
    const secret = desk.getByTestId('admin-secret-value')
    await secret.waitFor(POLL)
    kioskUrl = await secret.inputValue()
    expect(kioskUrl).toMatch(new RegExp(`^${server.url}/\\?display=gsd_[A-Za-z0-9_-]+$`))
    expect(await desk.getByTestId('admin-copy').count()).toBe(1)
    await desk.locator('[data-testid="admin-row"][data-name="E2E 街道大屏"][data-revoked="false"]').waitFor(POLL)
  })

  it('the admin page creates a user (generated password shown once) and an ingest key that work', async () => {
    await desk.getByTestId('admin-tab-users').click()
    await desk.getByTestId('admin-username').fill('e2e-duty')
    await desk.getByTestId('admin-role').selectOption('operator')
    await desk.getByTestId('admin-code').fill(STREET)
    await desk.getByTestId('admin-submit').click()
    await desk.getByTestId('admin-secret-value').waitFor(POLL)
    const password = await desk.getByTestId('admin-secret-value').inputValue()
    expect(password.length).toBeGreaterThanOrEqual(12)
    await desk.locator('[data-testid="admin-row"][data-name="e2e-duty"][data-revoked="false"]').waitFor(POLL)
    const login = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'e2e-duty', password }),
    })
    expect(((await login.json()) as { user: { role: string; jurisdiction: string } }).user).toMatchObject({
      role: 'operator',
      jurisdiction: STREET,
    })

    await desk.getByTestId('admin-tab-keys').click()
    await desk.getByTestId('admin-name').fill('E2E 雪亮平台')
    await desk.getByTestId('admin-source').fill('xueliang-e2e')
    await desk.getByTestId('admin-code').fill(STREET)
    await desk.getByTestId('admin-submit').click()
    await desk.getByTestId('admin-secret-value').waitFor(POLL)
    const key = await desk.getByTestId('admin-secret-value').inputValue()
    expect(key).toMatch(/^gsi_/)
    const ingest = await fetch(`${server.url}/api/v1/ingest/cases`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      // an item with no fields: the key is accepted, the item rejected on its own
      body: JSON.stringify({ items: [{ id: 'E2E-EMPTY' }] }),
    })
    expect(ingest.status).toBe(200)
    expect(await ingest.json()).toMatchObject({ accepted: 0, rejected: [{ index: 0 }] })
    await desk.getByTestId('admin-tab-displays').click()
  })

  it('the kiosk link opens a wall on its street with no login form, and hides the token', async () => {
    // a separate browser context: nothing shared with the admin's tab
    wall = await browser.newPage({ viewport: { width: 1920, height: 1080 } })
    await wall.goto(kioskUrl)
    await wall.locator('[data-testid="connection"][data-state="live"]').waitFor(POLL)
    expect(wall.url()).not.toContain('gsd_')
    expect(await wall.getByTestId('login-page').count()).toBe(0)
    // the wall's home unit is the token's scope, not the region
    await expect
      .poll(() => wall.evaluate(() => (window as any).__gridsight?.live?.mirror?.scope ?? null), POLL)
      .toBe(STREET)
    await expect.poll(() => wall.getByTestId('scope-current').textContent(), POLL).toContain('建设街道')
    // nobody is logged in at a wall: no user menu
    expect(await wall.getByTestId('user-menu').count()).toBe(0)
  })

  it('revoking the display token turns the wall into the revoked screen within seconds', async () => {
    await desk.locator('[data-testid="admin-row"][data-name="E2E 街道大屏"] [data-testid="admin-revoke"]').click()
    await desk.locator('[data-testid="admin-row"][data-name="E2E 街道大屏"][data-revoked="true"]').waitFor(POLL)
    // the requirement is 5 s; the rest is slack for a loaded machine drawing WebGL in software
    await wall.getByTestId('display-revoked').waitFor({ timeout: 15_000 })
    expect(await wall.getByTestId('display-revoked').textContent()).toContain('展示令牌已失效')
    expect(await wall.getByTestId('wall').count()).toBe(0)
    // a wall that reloads itself stays on the revoked screen rather than a login form
    await wall.reload()
    await wall.getByTestId('display-revoked').waitFor(POLL)
  })

  it('the admin logs out and is back at the login page', async () => {
    await desk.getByTestId('admin-logout').click()
    await desk.getByTestId('login-page').waitFor(POLL)
    // the refresh token is gone with the session: a reload does not log back in
    expect(await desk.evaluate(() => sessionStorage.getItem('gridsight.refresh'))).toBeNull()
    await desk.reload()
    await desk.getByTestId('login-page').waitFor(POLL)
  })
})
