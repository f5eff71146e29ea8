#!/usr/bin/env node
// Before `npm start`: builds better-sqlite3 for Electron's ABI into build/electron-native/<version>/,
// leaving node_modules' Node build alone for tests and the CLI. Tries the prebuilt binary first
// (prebuild-install, shipped with better-sqlite3), then compiles with node-gyp against Electron's headers.
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const electronVersion = JSON.parse(readFileSync(path.join(root, 'node_modules/electron/package.json'), 'utf8')).version
const outDir = path.join(root, 'build', 'electron-native', electronVersion)
const out = path.join(outDir, 'better_sqlite3.node')
if (existsSync(out)) process.exit(0)

const work = mkdtempSync(path.join(os.tmpdir(), 'edgedock-native-'))
const pkg = path.join(work, 'better-sqlite3')
cpSync(path.join(root, 'node_modules/better-sqlite3'), pkg, { recursive: true, filter: (src) => !src.includes(`${path.sep}build${path.sep}`) })
rmSync(path.join(pkg, 'build'), { recursive: true, force: true })
const bin = (name) => path.join(root, 'node_modules', '.bin', name)
const gypArgs = ['rebuild', '--release', `--target=${electronVersion}`, '--dist-url=https://electronjs.org/headers', '--runtime=electron']
const attempts = [
  [bin('prebuild-install'), ['--runtime', 'electron', '--target', electronVersion, '--arch', process.arch]],
  // npm hands its own node-gyp to scripts in npm_config_node_gyp.
  process.env.npm_config_node_gyp
    ? [process.execPath, [process.env.npm_config_node_gyp, ...gypArgs]]
    : ['node-gyp', gypArgs]
]
for (const [cmd, args] of attempts) {
  try {
    // A machine-wide nodedir would point node-gyp at Node's headers: Electron's are wanted here.
    execFileSync(cmd, args, { cwd: pkg, stdio: 'inherit', env: { ...process.env, npm_config_nodedir: '' } })
    const built = path.join(pkg, 'build', 'Release', 'better_sqlite3.node')
    if (existsSync(built)) {
      mkdirSync(outDir, { recursive: true })
      cpSync(built, out)
      rmSync(work, { recursive: true, force: true })
      console.log(`better-sqlite3 for Electron ${electronVersion} is ready`)
      process.exit(0)
    }
  } catch {
    // try the next way
  }
}
rmSync(work, { recursive: true, force: true })
console.error(
  `Could not build better-sqlite3 for Electron ${electronVersion}: it needs either its prebuilt binary or Electron's headers,\n` +
    'both downloaded from the internet. Connect once and run "npm start" again; the station (npm run station) works offline.'
)
process.exit(1)
