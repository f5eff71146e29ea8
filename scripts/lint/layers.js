// The layering of src/, written once as data (after VS Code's layer rule): which folder may import
// which, and which packages belong to one runtime only. One ESLint rule reads the table, so a new
// folder or a new runtime ban is a line here, not another config block.
import path from 'node:path'
import { builtinModules } from 'node:module'

// First match wins, so the Electron entry comes before the rest of src/main.
export const LAYERS = [
  { layer: 'src/main/index.ts', may: ['src/shared', 'src/main/app', 'src/main/core', 'src/main/station'], packages: 'electron' },
  { layer: 'src/preload', may: ['src/shared'], packages: 'electron' },
  { layer: 'src/shared', may: [], packages: 'pure' },
  { layer: 'src/renderer', may: ['src/shared'], packages: 'browser' },
  { layer: 'src/agent', may: ['src/shared'] },
  // core is the domain; it names the store's repository types (type-only) until they move behind ports.
  { layer: 'src/main/core', may: ['src/shared', 'src/main/core'], typeOnly: ['src/main/store', 'src/agent'] },
  { layer: 'src/main/store', may: ['src/shared', 'src/main/core'] },
  { layer: 'src/main/api', may: ['src/shared', 'src/main/core', 'src/main/store'] },
  { layer: 'src/main/app', may: ['src/shared', 'src/main/core', 'src/main/store', 'src/main/api'] },
  { layer: 'src/main/station', may: ['src/shared', 'src/main/api', 'src/main/app'] },
  // The CLI calls the contract through the dispatch; from core it takes pure formatting helpers only.
  { layer: 'src/main/cli', may: ['src/shared', 'src/main/api', 'src/main/app', 'src/main/core'] }
]

const NODE_BUILTINS = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)])
const RUNTIME_MESSAGES = {
  electron: null,
  pure: 'src/shared is pure TypeScript: no node modules, no electron, no DOM.',
  browser: 'The renderer is sandboxed: no node modules, no electron; it talks only to the typed client.'
}

const layerOf = (rel) => LAYERS.find((l) => rel === l.layer || rel.startsWith(`${l.layer}/`))

const rule = {
  meta: { type: 'problem', schema: [], messages: { layer: '{{message}}' } },
  create(context) {
    const root = context.cwd ?? process.cwd()
    const file = path.relative(root, context.filename).split(path.sep).join('/')
    const own = layerOf(file)
    if (!own) return {}
    const check = (node, source, typeOnly) => {
      if (typeof source !== 'string') return
      const report = (message) => context.report({ node, messageId: 'layer', data: { message } })
      if (!source.startsWith('.')) {
        const pkg = source.startsWith('@') ? source.split('/').slice(0, 2).join('/') : source.split('/')[0]
        if (pkg === 'electron' && own.packages !== 'electron') {
          report('Only src/main/index.ts and src/preload import electron; elsewhere take what you need as a port.')
        } else if (NODE_BUILTINS.has(source) && (own.packages === 'pure' || own.packages === 'browser')) {
          report(RUNTIME_MESSAGES[own.packages])
        }
        return
      }
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), source))
      const to = layerOf(target)
      if (!to || to === own) return
      if (own.may.includes(to.layer)) return
      if (typeOnly && own.typeOnly?.includes(to.layer)) return
      report(`${own.layer} may not import ${to.layer} (allowed: ${own.may.join(', ') || 'nothing else'}); see scripts/lint/layers.js.`)
    }
    const fromDecl = (node) => check(node, node.source?.value, node.importKind === 'type' || node.exportKind === 'type')
    return {
      ImportDeclaration: (node) =>
        check(node, node.source.value, node.importKind === 'type' || (node.specifiers.length > 0 && node.specifiers.every((s) => s.importKind === 'type'))),
      ExportNamedDeclaration: fromDecl,
      ExportAllDeclaration: fromDecl,
      ImportExpression: (node) => check(node, node.source.type === 'Literal' ? node.source.value : undefined, false)
    }
  }
}

export const layersPlugin = { rules: { layers: rule } }
