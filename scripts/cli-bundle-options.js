// How the CLI and the station are bundled (scripts/build-cli.js), in one place, so the start-up
// imports test checks the very bundle users run.
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

export const cliBundleOptions = {
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
}
