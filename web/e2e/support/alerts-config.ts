/**
 * An alerts config with the P1 rules off. An unacknowledged P1 (the simulator's demo SOS or
 * priority-1 case) raises the banner, flies the map to its subject and holds the carousel, by
 * design; suites that check the whole map or the carousel start the server with this
 * (`ALERTS_CONFIG`).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export function alertsConfigWithoutP1(): string {
  const config = JSON.parse(readFileSync(new URL('../../../server/config/alerts.json', import.meta.url), 'utf8')) as {
    rules: Record<string, { enabled: boolean; severity: string }>
  }
  for (const rule of Object.values(config.rules)) if (rule.severity === 'P1') rule.enabled = false
  const file = join(mkdtempSync(join(tmpdir(), 'gridsight-alerts-')), 'alerts.json')
  writeFileSync(file, JSON.stringify(config))
  return file
}
