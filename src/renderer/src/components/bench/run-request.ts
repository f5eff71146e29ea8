// The Run form's fields as typed, turned into a bench.start request, or the first thing wrong with them.
import type { BenchStartInput } from '../../../../shared/bench-run'

export type Preset = 'quick' | 'standard' | 'mlperf'

export interface RunFormValues {
  targets: string[]
  models: string[]
  preset: Preset
  threads: string
  batch: string
  repeat: string
  profileOps: boolean
  digits: boolean
  label: string
}

export type FormProblem = 'targets' | 'models' | 'threads' | 'batch' | 'repeat'

/** "1, 2,4" → [1, 2, 4]; null when a part is not a whole number in range or the list is empty or too long. */
export function parseList(text: string, min: number, max: number, most = 8): number[] | null {
  const parts = text.split(',').map((p) => p.trim()).filter((p) => p !== '')
  if (parts.length === 0 || parts.length > most) return null
  const values = parts.map((p) => (/^\d+$/.test(p) ? Number(p) : Number.NaN))
  if (values.some((v) => !Number.isSafeInteger(v) || v < min || v > max)) return null
  return [...new Set(values)]
}

export function startRequest(v: RunFormValues): { ok: true; input: BenchStartInput } | { ok: false; problem: FormProblem } {
  if (v.targets.length === 0) return { ok: false, problem: 'targets' }
  if (v.models.length === 0) return { ok: false, problem: 'models' }
  const threads = parseList(v.threads, 0, 1024)
  if (!threads) return { ok: false, problem: 'threads' }
  const batch = parseList(v.batch, 1, 4096)
  if (!batch) return { ok: false, problem: 'batch' }
  const repeat = parseList(v.repeat, 1, 100, 1)
  if (!repeat) return { ok: false, problem: 'repeat' }
  const label = v.label.trim()
  return {
    ok: true,
    input: {
      targets: v.targets,
      models: v.models,
      preset: v.preset,
      threads,
      batch,
      repeat: repeat[0] as number,
      profileOps: v.profileOps,
      ...(v.digits ? { samples: { builtin: 'digits-100' as const } } : {}),
      ...(label ? { label: label.slice(0, 200) } : {})
    }
  }
}
