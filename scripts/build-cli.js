#!/usr/bin/env node
// Bundles the CLI and the station into out/cli/*.mjs so that `edgedock …` starts as plain
// JavaScript (no TypeScript compile at every start). Which packages are bundled and which load
// from node_modules is decided in cli-bundle-options.js.
import { rmSync } from 'node:fs'
import { build } from 'esbuild'
import { cliBundleOptions } from './cli-bundle-options.js'

// Chunk names carry content hashes: without this, every build would leave the last one's behind.
rmSync(cliBundleOptions.outdir, { recursive: true, force: true })
await build(cliBundleOptions)
console.log('build-cli: out/cli/edgedock.mjs, out/cli/station.mjs')
