#!/usr/bin/env node
// Bundles the CLI and the station into out/cli/*.mjs so that `edgedock …` starts as plain
// JavaScript (no TypeScript compile at every start). npm packages stay external: the native ones
// (better-sqlite3, onnxruntime-node, serialport, ssh2) must load from node_modules, and the rest
// cost less to load from there than to re-bundle.
import { build } from 'esbuild'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

await build({
  absWorkingDir: root,
  entryPoints: { edgedock: 'src/main/cli/main.ts', station: 'src/main/station/main.ts' },
  outdir: path.join(root, 'out', 'cli'),
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning'
})
console.log('build-cli: out/cli/edgedock.mjs, out/cli/station.mjs')
