#!/usr/bin/env node
// Bundles the CLI and the station into out/cli/*.mjs so that `edgedock …` starts as plain
// JavaScript (no TypeScript compile at every start). npm packages stay external: the native ones
// (better-sqlite3, onnxruntime-node, serialport, ssh2) must load from node_modules, and the rest
// cost less to load from there than to re-bundle.
import { build } from 'esbuild'
import { cliBundleOptions } from './cli-bundle-options.js'

await build(cliBundleOptions)
console.log('build-cli: out/cli/edgedock.mjs, out/cli/station.mjs')
