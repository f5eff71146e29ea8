#!/usr/bin/env node
// Starts the headless station from the TypeScript sources (tsx), building the UI first if needed.
// Build output goes to stderr so stdout carries exactly one line: the station's URL.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { register } from 'tsx/esm/api'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)
if (!args.includes('--renderer-dir') && !existsSync(path.join(root, 'out', 'renderer', 'index.html'))) {
  process.stderr.write('Building the UI once (npm run build)...\n')
  const r = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: ['ignore', 2, 2] })
  if (r.status !== 0) process.exit(r.status ?? 1)
}
register()
const { main } = await import('../src/main/station/main.ts')
await main(args)
