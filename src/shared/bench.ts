// Benchmark statistics and the Raspberry Pi throttle flags, as pure functions: the unit computes
// them for its result line and the desktop recomputes them from raw samples (merging runs, charts).
import type { BenchPreset } from './bench-result'

export interface Preset {
  minRuns: number
  minDurationS: number
  headline: 'p50Ms' | 'p90Ms'
}

/** quick for a look, standard for a number to keep, mlperf after MLPerf Inference's single-stream
 *  minimums (1,024 queries and 600 s, 90th percentile reported). */
export const PRESETS: Record<BenchPreset, Preset> = {
  quick: { minRuns: 100, minDurationS: 10, headline: 'p50Ms' },
  standard: { minRuns: 1000, minDurationS: 60, headline: 'p50Ms' },
  mlperf: { minRuns: 1024, minDurationS: 600, headline: 'p90Ms' }
}

export interface LatencyStats {
  count: number
  minMs: number
  meanMs: number
  /** Sample standard deviation (divides by n - 1); 0 for a single run. */
  stdMs: number
  /** Coefficient of variation, std / mean: the run-to-run noise as a fraction of the mean. */
  cv: number
  p50Ms: number
  p90Ms: number
  p95Ms: number
  p99Ms: number
  p999Ms: number
  maxMs: number
}

/**
 * Percentile by linear interpolation between closest ranks, numpy's default (method "linear"):
 * h = (n - 1) * p / 100, then x[floor(h)] + (h - floor(h)) * (x[floor(h) + 1] - x[floor(h)]).
 * Chosen over nearest-rank so that numpy.percentile on the raw samples gives the same numbers.
 * `sorted` must be ascending; an empty list gives NaN.
 */
export function percentile(sorted: readonly number[], p: number): number {
  const n = sorted.length
  if (n === 0) return Number.NaN
  const h = ((n - 1) * Math.min(100, Math.max(0, p))) / 100
  const lo = Math.floor(h)
  const a = sorted[lo] as number
  const b = sorted[Math.min(n - 1, lo + 1)] as number
  return a + (h - lo) * (b - a)
}

/** Summary of per-run latencies in milliseconds; null when nothing was measured. */
export function latencyStats(samplesMs: readonly number[]): LatencyStats | null {
  const n = samplesMs.length
  if (n === 0) return null
  const sorted = [...samplesMs].sort((x, y) => x - y)
  const mean = sorted.reduce((s, x) => s + x, 0) / n
  const variance = n > 1 ? sorted.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1) : 0
  const std = Math.sqrt(variance)
  return {
    count: n,
    minMs: sorted[0] as number,
    meanMs: mean,
    stdMs: std,
    cv: mean > 0 ? std / mean : 0,
    p50Ms: percentile(sorted, 50),
    p90Ms: percentile(sorted, 90),
    p95Ms: percentile(sorted, 95),
    p99Ms: percentile(sorted, 99),
    p999Ms: percentile(sorted, 99.9),
    maxMs: sorted[n - 1] as number
  }
}

/** Inferences per second: every run feeds `batch` samples. */
export function throughput(batch: number, runs: number, measuredMs: number): number {
  return measuredMs > 0 ? (batch * runs * 1000) / measuredMs : 0
}

/**
 * CPU use of the process over a phase, in percent of one core (so 4 busy cores read 400):
 * user + system microseconds from process.cpuUsage, over the wall time of the phase.
 */
export function cpuPercent(userMicros: number, systemMicros: number, wallMs: number): number {
  return wallMs > 0 ? ((userMicros + systemMicros) / 1000 / wallMs) * 100 : 0
}

/** The bits of `vcgencmd get_throttled`, low half "now", high half "has occurred since boot". */
export interface ThrottleFlags {
  raw: number
  underVoltage: boolean
  armFreqCapped: boolean
  throttled: boolean
  softTempLimit: boolean
  underVoltageOccurred: boolean
  armFreqCappedOccurred: boolean
  throttledOccurred: boolean
  softTempLimitOccurred: boolean
}

const THROTTLE_BITS: readonly [keyof Omit<ThrottleFlags, 'raw'>, number, string][] = [
  ['underVoltage', 0x1, 'under-voltage now'],
  ['armFreqCapped', 0x2, 'ARM frequency capped now'],
  ['throttled', 0x4, 'throttled now'],
  ['softTempLimit', 0x8, 'soft temperature limit now'],
  ['underVoltageOccurred', 0x10000, 'under-voltage has occurred'],
  ['armFreqCappedOccurred', 0x20000, 'ARM frequency capping has occurred'],
  ['throttledOccurred', 0x40000, 'throttling has occurred'],
  ['softTempLimitOccurred', 0x80000, 'soft temperature limit has occurred']
]

/** Parses "throttled=0x50005" (the whole output of `vcgencmd get_throttled`); null when unreadable. */
export function parseThrottled(text: string): ThrottleFlags | null {
  const match = /throttled=(0x[0-9a-f]+|\d+)/i.exec(text)
  if (!match) return null
  const raw = Number(match[1])
  return Number.isSafeInteger(raw) ? throttleFlags(raw) : null
}

export function throttleFlags(raw: number): ThrottleFlags {
  const flags = { raw } as ThrottleFlags
  for (const [key, bit] of THROTTLE_BITS) flags[key] = (raw & bit) !== 0
  return flags
}

/** One phrase per set bit, for a run's invalid reasons. */
export function throttleReasons(flags: ThrottleFlags): string[] {
  return THROTTLE_BITS.filter(([key]) => flags[key]).map(([, , text]) => text)
}
