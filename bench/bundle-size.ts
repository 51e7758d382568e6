/**
 * What a wall downloads before its first full screen: the production build's
 * entry chunk and its static imports (from Vite's manifest), plus the MapLibre
 * worker, gzipped (level 9). Lazy chunks are listed apart. Goal (issue 7):
 * ≤ 1.2 MB gzip of JS for the first full screen.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build } from 'vite'

interface ManifestChunk {
  file: string
  imports?: string[]
  dynamicImports?: string[]
  isEntry?: boolean
  css?: string[]
}

export interface BundleResult {
  files: { file: string; bytes: number; gzip: number; firstScreen: boolean }[]
  firstScreenJsGzip: number
  lazyJsGzip: number
  cssGzip: number
}

export async function benchBundleSize(): Promise<BundleResult> {
  const webRoot = fileURLToPath(new URL('../web/', import.meta.url))
  const outDir = mkdtempSync(join(tmpdir(), 'gridsight-bundle-'))
  await build({ root: webRoot, logLevel: 'warn', build: { outDir, manifest: true, emptyOutDir: true } })
  const manifest = JSON.parse(readFileSync(join(outDir, '.vite/manifest.json'), 'utf8')) as Record<
    string,
    ManifestChunk
  >

  const first = new Set<string>()
  const visit = (key: string) => {
    const chunk = manifest[key]
    if (!chunk || first.has(chunk.file)) return
    first.add(chunk.file)
    for (const imp of chunk.imports ?? []) visit(imp)
  }
  for (const [key, chunk] of Object.entries(manifest)) if (chunk.isEntry) visit(key)
  // The worker is fetched by URL as soon as the map starts: part of the first screen.
  for (const chunk of Object.values(manifest)) if (/worker/.test(chunk.file)) first.add(chunk.file)

  for (const key of Object.keys(manifest)) {
    const chunk = manifest[key]!
    if (first.has(chunk.file)) for (const css of chunk.css ?? []) first.add(css)
  }
  const files = [...new Set(Object.values(manifest).flatMap((c) => [c.file, ...(c.css ?? [])]))]
    .filter((f) => /\.(m?js|css)$/.test(f))
    .map((file) => {
      const data = readFileSync(join(outDir, file))
      return { file, bytes: data.length, gzip: gzipSync(data, { level: 9 }).length, firstScreen: first.has(file) }
    })
    .sort((a, b) => b.gzip - a.gzip)
  const js = files.filter((f) => /\.m?js$/.test(f.file))
  const sum = (list: typeof files) => list.reduce((n, f) => n + f.gzip, 0)
  rmSync(outDir, { recursive: true, force: true })
  return {
    files,
    firstScreenJsGzip: sum(js.filter((f) => f.firstScreen)),
    lazyJsGzip: sum(js.filter((f) => !f.firstScreen)),
    cssGzip: sum(files.filter((f) => f.file.endsWith('.css'))),
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await benchBundleSize())
