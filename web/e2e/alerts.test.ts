/**
 * Alerts on two walls, end to end: real server process, real Chromium at 1080p. A priority-1
 * case ingested over REST raises the banner on both screens, flies the map to it and holds the
 * playing carousel; the sound, blocked before any click, is enabled by one click on its hint.
 * The walls read with their display token; acknowledging on screen 1 asks an operator to log in
 * (a wrong password refused with a clear message), is recorded under the operator's name and
 * clears the banner on screen 2 too; the ticker lists the alert; one-click dispatch from screen 2
 * (its own operator login) clears it everywhere.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { launchChromium } from './support/browser.ts'
import { createUser, wallFetch, wallUrl } from './support/auth.ts'
import { startServerProcess, type ServerProcess } from '@gridsight/server/test/server-process'

const INGEST_KEY = 'e2e-alerts-ingest-key-0123456789'
/** a point in 南湖区 (street 330402001) */
const AT = { lon: 120.763, lat: 30.749 }
const PLAYLIST = JSON.stringify([
  { scope: '330402', title: 'A', layers: { choropleth: 'compliance' } },
  { scope: '330402', title: 'B', layers: { choropleth: 'openCases' } },
])
/** Headless Chromium draws WebGL in software: on a busy machine one evaluate alone can take seconds. */
const POLL = { timeout: 30_000 }

/**
 * Headless Chromium runs an AudioContext without any user gesture (Playwright starts it with
 * autoplay allowed), unlike Chrome on a real wall. This makes it behave like the wall: suspended,
 * and resume() pending, until the page has had a trusted pointer event (a real click). Counts the
 * sounds started in `window.chimes`.
 */
function gestureGatedAudio(): void {
  let activated = false
  addEventListener('pointerdown', (e) => (activated ||= e.isTrusted), true)
  const start = AudioBufferSourceNode.prototype.start
  const w = window as unknown as { chimes: number }
  w.chimes = 0
  AudioBufferSourceNode.prototype.start = function (...args) {
    w.chimes++
    return start.apply(this, args)
  }
  const Real = window.AudioContext
  window.AudioContext = class extends Real {
    override get state(): AudioContextState {
      return activated ? super.state : 'suspended'
    }
    override resume(): Promise<void> {
      return activated ? super.resume() : new Promise(() => {})
    }
  }
}

describe('alerts on the wall in Chromium', () => {
  let server: ServerProcess
  let browser: Browser
  let page1: Page
  let page2: Page
  let operator: { username: string; password: string }

  async function ingest(kind: 'cases' | 'members', items: object[]): Promise<void> {
    const res = await fetch(`${server.url}/api/v1/ingest/${kind}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${INGEST_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ items }),
    })
    expect(await res.json()).toMatchObject({ accepted: items.length, rejected: [] })
  }

  async function openScreen(search: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } })
    // Two scenes of the whole district: the default playlist narrows the stream (and so the
    // alerts) to one street per scene, and the case must be in scope whichever scene is on.
    await page.addInitScript((scenes) => localStorage.setItem('gridsight.scenes', scenes), PLAYLIST)
    await page.addInitScript(gestureGatedAudio)
    await page.goto(wallUrl(server, search))
    await page.locator('[data-testid="connection"][data-state="live"]').waitFor(POLL)
    return page
  }

  beforeAll(async () => {
    // no simulator: its demo incidents would raise P1s of their own
    server = await startServerProcess({
      SIMULATOR: 'off',
      TICK_MS: '250',
      GRIDSIGHT_INGEST_KEY: INGEST_KEY,
    })
    operator = await createUser(server, 'operator', 'duty-e2e')
    browser = await launchChromium()
    ;[page1, page2] = [await openScreen('?carousel=5'), await openScreen('')]
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('a P1 case raises the banner on both screens, flies the map to it and holds the carousel', async () => {
    await page1.locator('[data-testid="carousel"][data-state="running"]').waitFor(POLL)
    expect(await page1.getByTestId('alert-banner').count()).toBe(0)
    await ingest('cases', [
      { id: 'E2E-P1', type: '治安隐患', status: 'reported', priority: 1, ts: new Date().toISOString(), ...AT },
    ])
    for (const page of [page1, page2]) {
      const banner = page.getByTestId('alert-banner')
      await banner.waitFor(POLL)
      expect(await banner.textContent()).toMatch(/P1 紧急.*紧急事件：E2E-P1/)
      await expect.poll(() => banner.textContent(), POLL).toMatch(/\d+ (秒|分钟)前/)
    }
    await page1.locator('[data-testid="carousel"][data-state="held"]').waitFor(POLL)
    expect(await page1.getByTestId('carousel').textContent()).toContain('预警待确认')
    // the map has flown to the case
    await expect
      .poll(
        () =>
          page1.evaluate(() => {
            const map = (window as any).__gridsight.map
            const c = map.getCenter()
            return { zoom: Math.round(map.getZoom()), lon: c.lng.toFixed(3), lat: c.lat.toFixed(3) }
          }),
        POLL,
      )
      .toEqual({ zoom: 16, lon: AT.lon.toFixed(3), lat: AT.lat.toFixed(3) })
  })

  it('the chime is blocked until a click, and one click on the hint enables it', async () => {
    const hint = page1.getByTestId('alert-sound-blocked')
    await hint.waitFor(POLL)
    expect(await hint.textContent()).toContain('点击启用')
    const chimes = () => page1.evaluate(() => (window as unknown as { chimes: number }).chimes)
    expect(await chimes()).toBe(0)
    await hint.click()
    await hint.waitFor({ state: 'detached', ...POLL })
    expect(await chimes()).toBe(1)
  })

  it('the ticker lists the alert with its severity and age, and opens it', async () => {
    const item = page2.locator('[data-testid="ticker-item"][data-severity="P1"]')
    await item.waitFor(POLL)
    expect(await item.textContent()).toMatch(/P1.*紧急事件：E2E-P1.*\d+ (秒|分钟)前/)
    expect(await page2.getByTestId('ticker').getAttribute('data-count')).toBe('1')
  })

  it('acknowledging on screen 1 asks an operator to log in, refuses a wrong password, and clears the banner on screen 2', async () => {
    await page1.getByTestId('alert-ack').click()
    const reason = page1.getByTestId('operator-login-reason')
    await reason.waitFor(POLL)
    expect(await reason.textContent()).toContain('需要值班员或管理员登录')
    await page1.getByTestId('operator-username').fill(operator.username)
    await page1.getByTestId('operator-password').fill('not-the-password-at-all')
    await page1.getByTestId('operator-login-submit').click()
    await expect.poll(() => page1.getByTestId('operator-login-error').textContent(), POLL).toContain('用户名或密码错误')
    await page1.getByTestId('operator-password').fill(operator.password)
    await page1.getByTestId('operator-login-submit').click()

    for (const page of [page1, page2]) await page.getByTestId('alert-banner').waitFor({ state: 'detached', ...POLL })
    await page1.locator('[data-testid="carousel"][data-state="running"]').waitFor(POLL)
    // the presenter's pause: software WebGL on a busy machine is slow enough without scene flights
    await page1.keyboard.press(' ')
    await page1.locator('[data-testid="carousel"][data-state="paused"]').waitFor(POLL)
    // still open, now acknowledged: the ticker keeps it and says so
    await expect.poll(() => page2.getByTestId('ticker-item').textContent(), POLL).toContain('已确认')
    const list = (await (await wallFetch(server, `/api/v1/alerts?state=open`)).json()) as {
      items: { subject: { id: string }; state: string; ackBy: string }[]
    }
    // recorded under the logged-in operator, not a name typed in
    expect(list.items).toMatchObject([{ subject: { id: 'E2E-P1' }, state: 'acknowledged', ackBy: operator.username }])
    // the wall shows who is logged in at it, to log out before leaving
    expect(await page1.getByTestId('user-name').textContent()).toContain(operator.username)
  })

  it('one-click dispatch from screen 2 lists the on-duty member and clears the alert on both screens', async () => {
    await ingest('members', [
      { id: 'E2E-M1', name: '测试网格员', role: 'full_time', onDuty: true, ts: new Date().toISOString(), ...AT },
    ])
    await page2.getByTestId('ticker-open-list').click()
    await page2.getByTestId('alert-list').waitFor(POLL)
    await page2.getByTestId('alert-filter-P2').click()
    expect(await page2.getByTestId('alert-row').count()).toBe(0)
    await page2.getByTestId('alert-filter-P1').click()
    await page2.getByTestId('alert-row').click()
    const detail = page2.getByTestId('alert-detail')
    await detail.waitFor(POLL)
    await expect.poll(() => detail.getByTestId('alert-history').textContent(), POLL).toContain(operator.username)
    const candidate = detail.locator('[data-testid="dispatch-candidate"][data-member-id="E2E-M1"]')
    await candidate.waitFor(POLL)
    expect(await candidate.textContent()).toMatch(/测试网格员.*专职网格员.*\d+ 米/)
    await candidate.getByTestId('dispatch-send').click()
    // nobody has logged in at screen 2 yet
    await page2.getByTestId('operator-username').fill(operator.username)
    await page2.getByTestId('operator-password').fill(operator.password)
    await page2.getByTestId('operator-login-submit').click()

    await expect.poll(() => detail.getByTestId('alert-detail-state').textContent(), POLL).toContain('该预警已解除')
    for (const page of [page1, page2]) await page.getByTestId('ticker-empty').waitFor(POLL)
    const c = (await (await wallFetch(server, `/api/v1/cases/E2E-P1`)).json()) as { status?: string }
    expect(JSON.stringify(c)).toContain('"dispatched"')
  }, 240_000)
})
