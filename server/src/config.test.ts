import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from './config.ts'

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const c = loadConfig({}, '/srv/gridsight')
    expect(c).toMatchObject({
      PORT: 8080,
      HOST: 'localhost',
      DATA_DIR: '/srv/gridsight/data',
      SIMULATOR: 'on',
      REGION: '330402',
      LIVE_RETENTION_DAYS: 31,
      LIVE_COMPACT_HOUR: 4,
      ingestKeyGenerated: true,
    })
    expect(c.DATABASE_URL).toBeUndefined()
    expect(c.GRIDSIGHT_INGEST_KEY.length).toBeGreaterThanOrEqual(16)
  })

  it('generates a different demo key each start', () => {
    expect(loadConfig({}).GRIDSIGHT_INGEST_KEY).not.toBe(loadConfig({}).GRIDSIGHT_INGEST_KEY)
  })

  it('converts and keeps valid values', () => {
    const c = loadConfig({
      PORT: '9000',
      SIMULATOR: 'off',
      DATA_DIR: '/var/lib/gs',
      DATABASE_URL: 'postgres://u:p@db/gs',
      GRIDSIGHT_INGEST_KEY: 'k'.repeat(20),
    })
    expect(c).toMatchObject({ PORT: 9000, SIMULATOR: 'off', DATA_DIR: '/var/lib/gs', ingestKeyGenerated: false })
    expect(c.GRIDSIGHT_INGEST_KEY).toBe('k'.repeat(20))
  })

  it.each([
    ['PORT', 'eighty', 'PORT must be an integer from 0 to 65535 (got "eighty")'],
    ['PORT', '70000', 'PORT must be an integer from 0 to 65535 (got "70000")'],
    ['SIMULATOR', 'maybe', 'SIMULATOR must be one of on, off (got "maybe")'],
    ['REGION', '3304', 'REGION must be a 6-digit adcode such as 330402 (got "3304")'],
    ['REGION', '110101', 'REGION must name a region pack in geo-data/regions or DATA_DIR/regions (got "110101")'],
    ['TICK_MS', '5', 'TICK_MS must be an integer from 50 to 10000 (ms) (got "5")'],
    ['LIVE_RETENTION_DAYS', '0', 'LIVE_RETENTION_DAYS must be an integer number of days from 1 to 3650 (got "0")'],
    ['LIVE_COMPACT_HOUR', '24', 'LIVE_COMPACT_HOUR must be an hour from 0 to 23 (Asia/Shanghai) (got "24")'],
    ['LOG_LEVEL', 'loud', 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")'],
  ])('rejects %s=%s with a one-line message naming it', (key, value, message) => {
    expect(() => loadConfig({ [key]: value })).toThrow(new ConfigError(message))
  })

  it('names secret variables without echoing their value', () => {
    expect(() => loadConfig({ GRIDSIGHT_INGEST_KEY: 'short' })).toThrow(
      'GRIDSIGHT_INGEST_KEY must be at least 16 characters (got 5 characters)',
    )
    expect(() => loadConfig({ DATABASE_URL: 'mysql://root:secret@db' })).toThrow(
      /^DATABASE_URL must be a PostgreSQL URL .* \(got 22 characters\)$/,
    )
  })

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '' }).PORT).toBe(8080)
  })
})
