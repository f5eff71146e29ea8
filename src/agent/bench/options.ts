// The bench command's flags: a preset gives the defaults, each flag overrides one of them.
import { intSetting, UsageError, type Flags } from '../config'
import { PRESETS } from '../../shared/bench'
import type { BenchPreset } from '../protocol'

export { PRESETS, type Preset } from '../../shared/bench'

export const DEFAULT_WARMUP = 10
/** More threads than any board has cores is a typo, not a setting. */
export const MAX_THREADS = 256

export interface BenchOptions {
  model: string
  preset: BenchPreset
  headline: 'p50Ms' | 'p90Ms'
  minRuns: number
  minDurationS: number
  warmup: number
  intraOpThreads: number
  interOpThreads: number
  batch: number
  /** Full input dims (the old --dims flag); wins over --batch. */
  dims: number[] | null
  seed: number
  profileOps: boolean
  samplesFile: string | null
  raw: boolean
}

/** A flag that takes a value; given bare (`--runs --warmup 3`) it is a mistake, not a default. */
function str(flags: Flags, name: string): string | undefined {
  const v = flags[name]
  if (v === true) throw new UsageError(`--${name} needs a value`)
  return v
}

function boolFlag(flags: Flags, name: string, fallback: boolean): boolean {
  if (flags[`no-${name}`] === true) return false
  const v = flags[name]
  if (v === undefined) return fallback
  if (v === true || v === 'true' || v === '1') return true
  if (v === 'false' || v === '0') return false
  throw new UsageError(`--${name} takes no value (or true/false), got "${v}"`)
}

function threadsSetting(value: string | undefined, fallback: number, name: string): number {
  const n = intSetting(value, fallback, name, 0)
  if (n > MAX_THREADS) throw new UsageError(`${name} must be between 0 and ${MAX_THREADS}, got ${n}`)
  return n
}

function secondsSetting(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback
  const n = Number(value)
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`--duration must be a number of seconds >= 0, got "${value}"`)
  return n
}

function pathFlag(flags: Flags, name: string, what: string): string | undefined {
  const v = flags[name]
  if (v === true) throw new UsageError(`--${name} needs ${what}`)
  return v
}

export function benchOptions(flags: Flags, defaultThreads: number): BenchOptions {
  const model = pathFlag(flags, 'model', 'a file.onnx or a version directory')
  if (model === undefined) throw new UsageError('bench needs --model <file.onnx or version dir>')
  const presetName = str(flags, 'preset') ?? 'quick'
  if (!Object.hasOwn(PRESETS, presetName)) throw new UsageError(`--preset must be one of ${Object.keys(PRESETS).join(', ')}, got "${presetName}"`)
  const preset = PRESETS[presetName as BenchPreset]
  const dimsFlag = str(flags, 'dims')
  const seed = intSetting(str(flags, 'seed'), 0, '--seed', 0)
  if (seed > 0xffffffff) throw new UsageError(`--seed must be at most ${0xffffffff}, got ${seed}`)
  return {
    model,
    preset: presetName as BenchPreset,
    headline: preset.headline,
    minRuns: intSetting(str(flags, 'runs'), preset.minRuns, '--runs', 1),
    minDurationS: secondsSetting(str(flags, 'duration'), preset.minDurationS),
    warmup: intSetting(str(flags, 'warmup'), DEFAULT_WARMUP, '--warmup', 0),
    intraOpThreads: threadsSetting(str(flags, 'threads'), defaultThreads, '--threads'),
    interOpThreads: threadsSetting(str(flags, 'inter-threads'), 0, '--inter-threads'),
    batch: intSetting(str(flags, 'batch'), 1, '--batch', 1),
    dims: dimsFlag === undefined ? null : dimsFlag.split(',').map((d) => intSetting(d, 1, '--dims', 1)),
    seed,
    profileOps: boolFlag(flags, 'profile-ops', false),
    samplesFile: pathFlag(flags, 'samples', 'a JSON file {inputs, labels}') ?? null,
    raw: boolFlag(flags, 'raw', true)
  }
}
