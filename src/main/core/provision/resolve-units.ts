// From a profile and per-unit variable values to the exact steps each unit will run. Everything a
// technician typed is checked here, before any unit is contacted: an unknown variable, a missing one,
// a value with shell characters or a hostname that is not an RFC 1123 label stops the whole run.
import path from 'node:path'
import { EdgeError, type ErrorCode } from '../../../shared/errors'
import type { Text } from '../../../shared/domain'
import { englishOf } from '../../../shared/texts'
import type { Profile } from './profile'
import type { StepKind } from './step-kind'
import { expand } from './template'
import { variableProblem } from './variable-rules'

export interface UnitInput {
  /** `user@host[:port]` or a device name from the inventory; the caller connects to it. */
  target: string
  /** Values for this unit; they win over the run's shared values. */
  vars?: Readonly<Record<string, string>>
  /** Line in the site plan, for messages. */
  line?: number
}

export interface ResolvedStep {
  id: string
  kind: StepKind
  params: unknown
  /** English, for logs and the CLI; `titleText` is the same title as a Text when the kind gives one. */
  title: string
  titleText: Text | null
}

export interface ResolvedUnit {
  target: string
  line?: number
  vars: Record<string, string>
  steps: ResolvedStep[]
  /** Values never to show in a log (secret variables). */
  secrets: string[]
}

class Problem extends Error {}

function resolveVariables(profile: Profile, given: Record<string, string>): Record<string, string> {
  for (const name of Object.keys(given)) {
    if (!Object.hasOwn(profile.variables, name)) {
      const known = Object.keys(profile.variables).join(', ') || 'none'
      throw new Problem(`variable "${name}" is not used by profile ${profile.name} (it takes: ${known})`)
    }
  }
  const values: Record<string, string> = {}
  const resolve = (name: string): string => {
    if (Object.hasOwn(values, name)) return values[name] as string
    const spec = profile.variables[name]
    if (!spec) throw new Problem(`variable "${name}" is not declared`)
    let value: string
    if (Object.hasOwn(given, name)) value = given[name] as string
    else if (spec.default !== undefined) {
      // Defaults may be templates of other variables (checked for loops when the profile loaded).
      value = expand(spec.default, resolve)
    } else throw new Problem(`variable "${name}" needs a value${spec.description ? ` (${spec.description})` : ''}`)
    const problem = variableProblem(spec, value)
    if (problem) throw new Problem(`variable "${name}": ${problem}`)
    values[name] = value
    return value
  }
  for (const name of Object.keys(profile.variables)) resolve(name)
  return values
}

function resolveSteps(profile: Profile, values: Record<string, string>): ResolvedStep[] {
  return profile.steps.map((step) => {
    const expanded: Record<string, unknown> = {}
    for (const [key, raw] of Object.entries(step.raw)) {
      expanded[key] = typeof raw === 'string' ? expand(raw, (n) => values[n] ?? '') : raw
      const value = expanded[key]
      if (step.kind.pathParams?.includes(key) && typeof value === 'string' && value !== '') expanded[key] = path.resolve(profile.dir ?? '.', value)
    }
    const parsed = step.kind.params.safeParse(expanded)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      const key = String(issue?.path[0] ?? '')
      const shown = typeof expanded[key] === 'string' && !/psk|secret|password/i.test(key) ? ` ("${String(expanded[key])}")` : ''
      throw new Problem(`step ${step.id}: ${key}${shown} ${issue?.message ?? 'is not valid'}`)
    }
    const title = step.kind.title(parsed.data)
    return { id: step.id, kind: step.kind, params: parsed.data, title: englishOf(title), titleText: typeof title === 'string' ? null : title }
  })
}

/**
 * Resolves every unit or throws one error listing the first problems (with unit and line), so a
 * site plan with three bad rows is fixed in one go. Units from a site plan fail as SITE_PLAN_INVALID.
 */
export function resolveUnits(profile: Profile, units: readonly UnitInput[], shared: Readonly<Record<string, string>> = {}): ResolvedUnit[] {
  const problems: string[] = []
  let code: ErrorCode = 'PROFILE_VARIABLE_INVALID'
  const seen = new Set<string>()
  const resolved: ResolvedUnit[] = []
  for (const unit of units) {
    const where = `${unit.line !== undefined ? `line ${unit.line}, ` : ''}unit ${unit.target}`
    try {
      if (seen.has(unit.target)) throw new Problem('is listed twice')
      seen.add(unit.target)
      const vars = resolveVariables(profile, { ...shared, ...unit.vars })
      const secrets = Object.entries(profile.variables)
        .filter(([name, spec]) => spec.type === 'secret' && vars[name])
        .map(([name]) => vars[name] as string)
      resolved.push({ target: unit.target, ...(unit.line !== undefined ? { line: unit.line } : {}), vars, steps: resolveSteps(profile, vars), secrets })
    } catch (err) {
      if (!(err instanceof Problem)) throw err
      if (unit.line !== undefined) code = 'SITE_PLAN_INVALID'
      problems.push(`${where}: ${err.message}`)
    }
  }
  if (units.length === 0) problems.push('no units to provision')
  if (problems.length > 0) {
    const more = problems.length > 5 ? `; and ${problems.length - 5} more` : ''
    throw new EdgeError(code, problems.slice(0, 5).join('; ') + more)
  }
  return resolved
}
