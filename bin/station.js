#!/usr/bin/env node
// Starts the headless station, building the UI first if needed. Like bin/edgedock.js it runs the
// bundle in out/cli, or the TypeScript sources through tsx where there is none (EDGEDOCK_FROM_SOURCE=1).
// Build output goes to stderr so stdout carries exactly one line: the station's URL.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)
if (!args.includes('--renderer-dir') && !existsSync(path.join(root, 'out', 'renderer', 'index.html'))) {
  process.stderr.write('Building the UI once (npm run build)...\n')
  const r = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: ['ignore', 2, 2] })
  if (r.status !== 0) process.exit(r.status ?? 1)
}
const bundle = path.join(root, 'out', 'cli', 'station.mjs')
let main
if (process.env.EDGEDOCK_FROM_SOURCE !== '1' && existsSync(bundle)) {
  ;({ main } = await import(pathToFileURL(bundle).href))
} else {
  const { register } = await import('tsx/esm/api')
  register()
  ;({ main } = await import('../src/main/station/main.ts'))
}
await main(args)
