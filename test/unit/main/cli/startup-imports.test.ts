// `edgedock --version` and `--help` start in tens of milliseconds only while the CLI entry loads
// nothing heavy before a command runs: the contract's zod, SSH, ONNX Runtime, SQLite and the YAML
// and protobuf parsers load with the command that needs them. This bundles the entry as
// scripts/build-cli.js does and walks its static imports, external packages and bundled files alike.
import { build } from 'esbuild'
import { expect, it } from 'vitest'
import { bundledPackages, cliBundleOptions } from '../../../../scripts/cli-bundle-options.js'

const HEAVY = ['zod', 'ssh2', 'node-ssh', 'onnxruntime-node', 'better-sqlite3', 'yaml', 'protobufjs', 'tar', 'csv-parse', 'serialport', 'multicast-dns']

it('loads only commander and node built-ins before a command runs', async () => {
  expect(bundledPackages).toContain('zod')
  // The shipped bundle's own options; only the output is kept in memory, with its import graph.
  const r = await build({ ...cliBundleOptions, entryPoints: { edgedock: 'src/main/cli/main.ts' }, metafile: true as const, write: false, logLevel: 'silent' as const })
  const outputs = r.metafile.outputs
  const entry = Object.keys(outputs).find((k) => outputs[k]?.entryPoint === 'src/main/cli/main.ts')
  const packages = new Set<string>()
  const bundled = new Set<string>()
  const seen = new Set<string>()
  const todo = entry ? [entry] : []
  for (let file = todo.pop(); file !== undefined; file = todo.pop()) {
    if (seen.has(file)) continue
    seen.add(file)
    for (const input of Object.keys(outputs[file]?.inputs ?? {})) {
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input)
      if (m?.[1]) bundled.add(m[1])
    }
    for (const i of outputs[file]?.imports ?? []) {
      if (i.kind === 'dynamic-import') continue
      if (i.external) packages.add(i.path)
      else todo.push(i.path)
    }
  }
  expect(seen.size).toBeGreaterThan(0)
  const heavy = [...packages, ...bundled].filter((p) => HEAVY.some((h) => p === h || p.startsWith(`${h}/`)))
  expect(heavy).toEqual([])
  expect([...packages].filter((p) => !p.startsWith('node:'))).toEqual([])
  expect([...bundled]).toEqual(['commander'])
}, 30_000)
