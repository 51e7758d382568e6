/** E2E tests run against the production build, so build it from the current sources first. */
import { fileURLToPath } from 'node:url'
import { build } from 'vite'

export default async function setup(): Promise<void> {
  await build({ root: fileURLToPath(new URL('..', import.meta.url)), logLevel: 'warn' })
}
