// Files under a folder whose names match (e.g. EdgeDock's key files in a data dir).
import { readdirSync, statSync } from 'node:fs'
import path from 'node:path'

export function findFiles(dir: string, re: RegExp): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n)
    return statSync(p).isDirectory() ? findFiles(p, re) : re.test(n) ? [p] : []
  })
}
