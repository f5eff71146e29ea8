// Where EdgeDock's own files are (resources/, out/renderer, package.json) when it runs from the
// sources (tsx) and from the bundles in out/: the nearest folder up from this module that has them.
// Electron passes its resourcesDir instead, so a packaged app never walks the disk.
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

let found: string | null = null

export function projectRoot(): string {
  if (found) return found
  const start = path.dirname(fileURLToPath(import.meta.url))
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'resources'))) return (found = dir)
    if (path.dirname(dir) === dir) return (found = path.resolve(start, '../../..'))
  }
}
