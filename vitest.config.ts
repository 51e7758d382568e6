import { defineConfig } from 'vitest/config'

// One `vitest run` at the root runs every package's suite (see README: pnpm test).
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'shared', root: './shared', include: ['src/**/*.test.ts'] } },
      { test: { name: 'geo-data', root: './geo-data', include: ['{src,scripts}/**/*.test.ts'] } },
      {
        test: {
          name: 'server',
          root: './server',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          testTimeout: 20_000,
          // Starting and stopping a temporary PostgreSQL cluster can take a while on a busy machine.
          hookTimeout: 60_000,
        },
      },
      { test: { name: 'web', root: './web', include: ['src/**/*.test.ts'] } },
      { test: { name: 'bench', root: './bench', include: ['*.test.ts'] } },
      {
        test: {
          name: 'web-e2e',
          root: './web',
          include: ['e2e/**/*.test.ts'],
          globalSetup: ['./e2e/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
})
