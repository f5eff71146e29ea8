// What `edgedock-agent bench` prints as its one result line: written by the agent on the unit (or
// on the host for the baseline), read by the desktop, stored, and drawn by the Benchmarks page.
import type { LatencyStats } from './bench'

/** What a value reads when this unit does not expose it (no cpufreq, no vcgencmd, no thermal zone). */
export type NotAvailable = 'not available'

export type BenchPreset = 'quick' | 'standard' | 'mlperf'

/** The settings a run used, after the preset and the flags were combined. */
export interface BenchSettings {
  preset: BenchPreset
  /** Measured runs go on until both minimums are met: at least minRuns AND at least minDurationS. */
  minRuns: number
  minDurationS: number
  warmup: number
  batch: number
  seed: number
  /** 0 lets ONNX Runtime pick. */
  intraOpThreads: number
  interOpThreads: number
  profileOps: boolean
  samplesFile: string | null
  raw: boolean
}

export interface BenchCpu {
  cpu: number
  governor: string | NotAvailable
  curFreqKHz: number | NotAvailable
}

export interface BenchThermalZone {
  zone: string
  type: string
  tempC: number
}

export interface BenchEnvironment {
  board: string | NotAvailable
  soc: { modelName: string | NotAvailable; hardware: string | NotAvailable; cpuPart: string | NotAvailable; core: string | NotAvailable; cores: number }
  os: string | NotAvailable
  kernel: string
  arch: string
  node: string
  onnxruntime: string
  executionProvider: 'cpu'
  intraOpThreads: number
  interOpThreads: number
  graphOptimizationLevel: 'all'
  cpus: BenchCpu[] | NotAvailable
  temperatures: BenchThermalZone[] | NotAvailable
  /** `vcgencmd get_throttled` as printed (e.g. "throttled=0x0"). */
  throttled: string | NotAvailable
}

export interface BenchPhaseTimes {
  modelReadMs: number
  sessionCreateMs: number
  firstInferenceMs: number
  warmup: { runs: number; ms: number }
  measure: { runs: number; ms: number }
  accuracyMs: number | null
  profileMs: number | null
}

export interface BenchStats extends LatencyStats {
  /** The number to quote for this preset: p90 for mlperf, p50 otherwise. */
  headline: { metric: 'p50Ms' | 'p90Ms'; ms: number }
  /** Inferences per second: batch * runs / measured seconds. */
  throughputPerS: number
  /** Process CPU over the measured phase, in percent of one core. */
  cpuPercent: number
}

export interface BenchMemory {
  rssBeforeLoadMb: number
  rssAfterMb: number
  /** Peak resident set of the process (getrusage maxrss). */
  peakRssMb: number
  /** rssAfterMb - rssBeforeLoadMb. */
  rssGrowthMb: number
}

/** One poll of the unit's sensors while warm-up and measured runs went on. */
export interface BenchMonitorSample {
  tMs: number
  tempC: number | null
  freqKHz: number[] | null
  throttled: string | null
}

export interface BenchMonitor {
  intervalMs: number
  maxTempC: number | null
  minFreqKHz: number | null
  maxFreqKHz: number | null
  timeline: BenchMonitorSample[]
}

export interface BenchProfileEntry {
  name: string
  /** The node's op type; for the per-op-type table, the same as name. */
  opType: string
  calls: number
  totalUs: number
  avgUsPerRun: number
  percent: number
}

export type BenchProfile =
  | { available: true; runs: number; totalUs: number; nodes: number; opTypes: number; topNodes: BenchProfileEntry[]; topOpTypes: BenchProfileEntry[] }
  | { available: false; reason: string }

export interface BenchAccuracy {
  samples: number
  correct: number
  /** correct / samples. */
  top1: number
}

/** `edgedock-agent bench` prints one of these as a single JSON line on stdout. */
export interface BenchResult {
  model: string
  sha256: string
  inputDims: number[]
  /** Measured runs (warm-up excluded). */
  runs: number
  warmup: number
  threads: number
  /** Session creation time (same as phases.sessionCreateMs). */
  loadMs: number
  p50Ms: number
  p95Ms: number
  p99Ms: number
  meanMs: number
  minMs: number
  maxMs: number
  rssMb: number
  rssBeforeLoadMb: number
  runtime: { node: string; onnxruntime: string; arch: string }
  settings: BenchSettings
  env: BenchEnvironment
  phases: BenchPhaseTimes
  /** null when no run was measured (cancelled before the measured phase). */
  stats: BenchStats | null
  memory: BenchMemory
  monitor: BenchMonitor
  /** null unless --profile-ops. */
  profile: BenchProfile | null
  /** null unless --samples. */
  accuracy: BenchAccuracy | null
  /** false when the unit throttled, passed 80 °C, or the run was cancelled; invalidReasons says why. */
  valid: boolean
  invalidReasons: string[]
  /** Worth knowing but not invalidating (e.g. throttling had occurred since boot before this run). */
  warnings: string[]
  cancelled: boolean
  /** Per-run latencies in ms, in run order; null with --no-raw. */
  samples: number[] | null
}
