#!/usr/bin/env node
// The EdgeDock command line. It runs the bundle that `npm install` and `npm run build` make
// (out/cli, plain JavaScript, fast to start); from a checkout without one, or with
// EDGEDOCK_FROM_SOURCE=1 while editing, it runs the TypeScript sources through tsx.
import { existsSync } from 'node:fs'

// `edgedock devices list | head`: a reader that stops early ends the command, without a trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code !== 'EPIPE') throw error
    process.exit(process.exitCode ?? 0)
  })
}

const bundle = new URL('../out/cli/edgedock.mjs', import.meta.url)
let main
if (process.env.EDGEDOCK_FROM_SOURCE !== '1' && existsSync(bundle)) {
  ;({ main } = await import(bundle.href))
} else {
  const { register } = await import('tsx/esm/api')
  register()
  ;({ main } = await import('../src/main/cli/main.ts'))
}
process.exitCode = await main(process.argv.slice(2))
