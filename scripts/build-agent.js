#!/usr/bin/env node
// Bundles the device agent (src/agent) into one CommonJS file, out/agent/edgedock-agent.cjs.
// onnxruntime-node stays out of the bundle: on the device its native binding is loaded at run time
// from the runtime directory pushed for that device's architecture (see src/agent/load-ort.ts).
import { build } from 'esbuild'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const outfile = path.join(root, 'out', 'agent', 'edgedock-agent.cjs')
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'))

const result = await build({
  absWorkingDir: root,
  entryPoints: ['src/agent/main.ts'],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  // Node 20 runs the tests here; the device gets Node 22.
  target: 'node20',
  external: ['onnxruntime-node'],
  define: { __EDGEDOCK_AGENT_VERSION__: JSON.stringify(pkg.version) },
  banner: { js: '#!/usr/bin/env node' },
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true
})

const bytes = readFileSync(outfile)
const sha256 = createHash('sha256').update(bytes).digest('hex')
const inputs = Object.keys(result.metafile.inputs)
// src/shared is pure TypeScript (the lint's layer table keeps node, electron and the DOM out of it),
// so the agent may share its statistics and types with the desktop.
const outside = inputs.filter((p) => !p.startsWith('src/agent/') && !p.startsWith('src/shared/'))
if (outside.length > 0) {
  // The agent runs alone on the device: pulling desktop code in would be a layering mistake.
  console.error(`build-agent: the agent bundle pulled in code outside src/agent and src/shared: ${outside.join(', ')}`)
  process.exit(1)
}
console.log(`build-agent: ${path.relative(root, outfile)} ${bytes.length} bytes sha256 ${sha256}`)
