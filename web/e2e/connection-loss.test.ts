/**
 * An unattended wall must say when its picture is stale: stopping the server
 * raises the connection-loss banner with the data's age; restarting it clears
 * the banner and the screen resyncs from the new server, without a reload.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { startServerProcess, type ServerProcess } from '@gridsight/server/test/server-process'
import { mkdirSync } from 'node:fs'
import { launchChromium } from './support/browser.ts'
import { wallUrl } from './support/auth.ts'

const ARTIFACTS = new URL('../test-artifacts/', import.meta.url).pathname

describe('connection loss on a wall', () => {
  let server: ServerProcess
  let browser: Browser
  let page: Page

  beforeAll(async () => {
    server = await startServerProcess({ SIMULATOR: 'on', TICK_MS: '500' })
    browser = await launchChromium()
    page = await browser.newPage({ viewport: { width: 1920, height: 1080 } })
    await page.goto(wallUrl(server))
    await page.locator('[data-testid="connection"][data-state="live"]').waitFor()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('shows the banner with the data age when the server stops, and clears it after a restart without a reload', async () => {
    const banner = page.getByTestId('connection-banner')
    expect(await banner.count()).toBe(0)
    await page.evaluate(() => ((window as any).__sameDocument = true))
    // 'live' shows on connect; the map's handle and the first snapshot's epoch follow
    const epoch = () => page.evaluate(() => (window as any).__gridsight?.live?.mirror.epoch ?? null)
    await expect.poll(epoch, { timeout: 60_000 }).not.toBeNull()
    const epochBefore = await epoch()

    const port = new URL(server.url).port
    const dataDir = server.dataDir
    await server.stop()
    await banner.waitFor({ state: 'visible', timeout: 15_000 })
    await expect.poll(() => banner.textContent(), { timeout: 10_000 }).toMatch(/连接中断.*[1-9]\d* 秒/)
    mkdirSync(ARTIFACTS, { recursive: true })
    await page.screenshot({ path: `${ARTIFACTS}connection-lost-1920x1080.png` })

    server = await startServerProcess({ SIMULATOR: 'on', TICK_MS: '500', PORT: port, DATA_DIR: dataDir })
    await banner.waitFor({ state: 'detached', timeout: 30_000 })
    await page.locator('[data-testid="connection"][data-state="live"]').waitFor()
    expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true)
    // 'live' shows on connect; the new stream's snapshot follows it over the wire.
    const epochAfter = () => page.evaluate(() => (window as any).__gridsight?.live?.mirror.epoch ?? null)
    await expect.poll(epochAfter, { timeout: 15_000 }).not.toBe(epochBefore)
    expect(await epochAfter()).not.toBeNull()
  }, 90_000)
})
