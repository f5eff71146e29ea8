// How the CLI and the station are bundled (scripts/build-cli.js), in one place, so the start-up
// imports test checks the very bundle users run.
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

// Pure-JavaScript packages every command needs, bundled and minified with the app: loading zod
// from node_modules meant resolving about a hundred files and compiling its 360 KB of locales,
// which tree-shaking drops. Every other package stays external: the native ones (better-sqlite3,
// ssh2, onnxruntime-node, serialport) must load from node_modules, and the rest load on first use.
export const bundledPackages = ['zod', 'commander']

const externalPackages = {
  name: 'external-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      const name = args.path.startsWith('@') ? args.path.split('/').slice(0, 2).join('/') : args.path.split('/')[0]
      return bundledPackages.includes(name) ? undefined : { path: args.path, external: true }
    })
  }
}

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
  plugins: [externalPackages],
  // commander is CommonJS and requires node built-ins; an ES module bundle has no `require` of its own.
  banner: { js: "import { createRequire as __edgedockRequire } from 'node:module'; const require = __edgedockRequire(import.meta.url);" },
  // Smaller source compiles faster at every start; the linked source map keeps stack traces readable.
  minify: true,
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning'
}
