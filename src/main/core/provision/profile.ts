// Parsing a profile: YAML (the `yaml` package), the schema (zod), then the checks that need the
// whole document: known step kinds and parameters, declared variables, no template loops.
import type * as yamlModule from 'yaml'
import { lazyPackage } from '../lazy-package'
import * as z from 'zod'
import { EdgeError } from '../../../shared/errors'
import { profileSchema, type ProfileDoc, type VariableSpec } from './profile-schema'
import { STEP_KINDS } from './steps'
import type { StepKind } from './step-kind'
import { placeholders } from './template'

const yaml = lazyPackage<typeof yamlModule>('yaml')

export interface ProfileStep {
  id: string
  kind: StepKind
  /** Parameters as written, string values possibly templates; expanded and checked per unit. */
  raw: Record<string, unknown>
}

export interface Profile {
  name: string
  description: string
  variables: Record<string, VariableSpec>
  steps: ProfileStep[]
  /** Where it came from, for messages: "built-in" or a file path. */
  source: string
  /** The folder the profile was read from: relative file paths in its steps start there. */
  dir?: string
}

const invalid = (source: string, detail: string) => new EdgeError('PROFILE_INVALID', `${source}: ${detail}`)

const issuePath = (path: readonly PropertyKey[]) => path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '')

/** Real profiles are a few KiB; a larger file is a mistake (or an attack) and is refused unread. */
export const MAX_PROFILE_BYTES = 1024 * 1024
/**
 * How many alias expansions (`*name`) turning the document into data may make. A handful is normal;
 * a "billion laughs" file nests them to expand a few lines into gigabytes, and stops here instead.
 */
export const MAX_ALIAS_COUNT = 100

export const tooLarge = (bytes: number, limit: number): string =>
  `the file is ${(bytes / 1024 / 1024).toFixed(1)} MiB, larger than the ${limit / 1024 / 1024} MiB limit`

export function parseProfile(text: string, source: string): Profile {
  const bytes = Buffer.byteLength(text, 'utf8')
  if (bytes > MAX_PROFILE_BYTES) throw invalid(source, tooLarge(bytes, MAX_PROFILE_BYTES))
  let data: unknown
  try {
    const doc = yaml().parseDocument(text, { prettyErrors: true, uniqueKeys: true })
    const yamlError = doc.errors[0]
    if (yamlError) throw invalid(source, (yamlError.message.split('\n')[0] ?? 'not YAML').replace(/:$/, ''))
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT })
  } catch (err) {
    if (err instanceof EdgeError) throw err
    // The yaml library throws plain errors (with its own stack) while resolving aliases.
    throw invalid(source, aliasProblem(text, err))
  }
  const parsed = profileSchema.safeParse(data)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw invalid(source, issue ? `${issuePath(issue.path) || 'profile'} ${issue.message}` : 'not a profile')
  }
  return checkProfile(parsed.data, source)
}

/** The yaml library's alias errors carry no position: name the line of the alias where we can. */
function aliasProblem(text: string, err: unknown): string {
  const message = err instanceof Error ? (err.message.split('\n')[0] ?? '') : ''
  if (/alias count/i.test(message)) return `it expands aliases (*name) more than ${MAX_ALIAS_COUNT} times; write the values out instead`
  const unresolved = /^Unresolved alias.*: (\S+)$/.exec(message)
  if (unresolved) {
    const at = text.indexOf(`*${unresolved[1]}`)
    const line = at >= 0 ? `line ${text.slice(0, at).split('\n').length}: ` : ''
    return `${line}the alias *${unresolved[1]} has no anchor &${unresolved[1]} before it`
  }
  return message || 'not YAML'
}

function checkProfile(doc: ProfileDoc, source: string): Profile {
  const declared = new Set(Object.keys(doc.variables))
  const referenced = (where: string, value: unknown) => {
    if (typeof value !== 'string') return
    for (const name of placeholders(value)) {
      if (!declared.has(name)) throw invalid(source, `${where} uses {${name}}, which is not a declared variable`)
    }
  }
  for (const [name, v] of Object.entries(doc.variables)) {
    if (v.type === 'enum' && !v.values) throw invalid(source, `variable ${name} is an enum but lists no values`)
    referenced(`variable ${name}`, v.default)
  }
  findTemplateLoop(doc.variables, source)

  const ids = new Set<string>()
  const steps = doc.steps.map((step, i): ProfileStep => {
    const kind = STEP_KINDS.get(step.kind)
    if (!kind) throw invalid(source, `step ${i + 1} has unknown kind "${step.kind}" (known: ${[...STEP_KINDS.keys()].join(', ')})`)
    const { kind: _k, id: givenId, ...raw } = step
    let id = givenId ?? step.kind
    for (let n = 2; !givenId && ids.has(id); n++) id = `${step.kind}-${n}`
    if (ids.has(id)) throw invalid(source, `two steps have the id "${id}"`)
    ids.add(id)
    const known = kind.params instanceof z.ZodObject ? Object.keys(kind.params.shape) : null
    for (const [key, value] of Object.entries(raw)) {
      if (known && !known.includes(key)) throw invalid(source, `step ${id} has no parameter "${key}" (it takes: ${known.join(', ') || 'none'})`)
      referenced(`step ${id}.${key}`, value)
    }
    return { id, kind, raw }
  })
  return { name: doc.name, description: doc.description, variables: doc.variables, steps, source }
}

function findTemplateLoop(variables: Record<string, VariableSpec>, source: string): void {
  const state = new Map<string, 'visiting' | 'done'>()
  const visit = (name: string, chain: string[]) => {
    if (state.get(name) === 'done') return
    if (state.get(name) === 'visiting') throw invalid(source, `variable defaults refer to each other in a loop: ${[...chain, name].join(' -> ')}`)
    state.set(name, 'visiting')
    for (const next of placeholders(variables[name]?.default ?? '')) visit(next, [...chain, name])
    state.set(name, 'done')
  }
  for (const name of Object.keys(variables)) visit(name, [])
}
