// What the wizard has gathered, and the provision.run request it makes of it.
import type { MethodInput } from '../../../../shared/contract'

export interface WizardUnits {
  /** Inventory devices, by name (the engine resolves names to addresses). */
  devices: string[]
  /** Typed user@host[:port] targets, one per line (or separated by spaces or commas). */
  typed: string
  sitePlan: { file: string; text: string } | null
  /** First contact only: sent with the request, never kept or shown again. */
  password: string
  /** First contact with the technician's own SSH key (the key file's text), likewise a secret. */
  identity: { file: string; privateKey: string } | null
}

export const emptyUnits: WizardUnits = { devices: [], typed: '', sitePlan: null, password: '', identity: null }

export const typedTargets = (typed: string): string[] => typed.split(/[\s,]+/).filter(Boolean)

export const unitCount = (u: WizardUnits): number => u.devices.length + typedTargets(u.typed).length + (u.sitePlan ? 1 : 0)

export function provisionRequest(units: WizardUnits, profile: string, values: Record<string, string>, dryRun: boolean): MethodInput<'provision.run'> {
  // An empty field means "use the profile's default", as an empty cell does in a site plan.
  const vars = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== ''))
  return {
    targets: [...units.devices, ...typedTargets(units.typed)],
    profile,
    vars,
    dryRun,
    ...(units.sitePlan ? { sitePlanCsv: units.sitePlan.text } : {}),
    ...(units.password ? { password: units.password } : {}),
    ...(units.identity ? { identity: { privateKey: units.identity.privateKey } } : {})
  }
}

/** The same units, narrowed to `targets` (for "retry failed"): site plan rows by their line number. */
export function narrowUnits(units: WizardUnits, retry: { target: string; line?: number | undefined }[]): WizardUnits {
  const targets = new Set(retry.filter((u) => u.line === undefined).map((u) => u.target))
  const lines = new Set(retry.flatMap((u) => (u.line !== undefined ? [u.line] : [])))
  let sitePlan: WizardUnits['sitePlan'] = null
  if (units.sitePlan && lines.size > 0) {
    const all = units.sitePlan.text.split(/\r?\n/)
    // The header is the first line that is neither empty nor a comment; csv-parse counts lines from 1.
    // Rows not retried become empty lines (skipped), so every row keeps its line number in messages.
    const header = all.findIndex((l) => l.trim() !== '' && !l.trim().startsWith('#'))
    sitePlan = { ...units.sitePlan, text: all.map((l, i) => (i <= header || lines.has(i + 1) ? l : '')).join('\n') }
  }
  return {
    devices: units.devices.filter((d) => targets.has(d)),
    typed: typedTargets(units.typed).filter((t) => targets.has(t)).join('\n'),
    sitePlan,
    password: units.password,
    identity: units.identity
  }
}
