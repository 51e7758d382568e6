import { chromium, type Browser, type Page } from 'playwright-core'
import type { ServerProcess } from '@gridsight/server/test/server-process'
import { wallUrl } from './auth.ts'

/** Debian's Chromium, headless, with no background traffic of its own (the network is closed). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** `extraArgs`: more command-line switches (bench/wall-soak.ts) */
export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
      ...extraArgs,
    ],
  })
}

/**
 * A new 1920×1080 page on the wall's kiosk URL (`search`: the screen's own parameters), once it shows
 * its stream live: the first snapshot of a simulated district can take a minute on a busy machine.
 */
export async function openLiveWall(
  browser: Browser,
  server: ServerProcess,
  o: { search?: string; reducedMotion?: 'reduce' } = {},
): Promise<Page> {
  const page = await browser.newPage({
    viewport: { width: 1920, height: 1080 },
    ...(o.reducedMotion ? { reducedMotion: o.reducedMotion } : {}),
  })
  await page.goto(wallUrl(server, o.search))
  await page.locator('[data-testid="connection"][data-state="live"]').waitFor({ timeout: 90_000 })
  return page
}
