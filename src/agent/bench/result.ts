// Rounding and assembling the numbers that go on the result line.
import type { BenchMemory, BenchStats } from '../protocol'
import type { BenchOptions } from './options'
import { cpuPercent, latencyStats, throughput } from '../../shared/bench'

/** Milliseconds to 0.1 µs: small models run in tens of µs, so µs rounding would merge percentiles,
 *  and the timer's own jitter is well above 0.1 µs. */
export const msRound = (n: number): number => Math.round(n * 10000) / 10000
const round = (n: number, digits: number): number => Math.round(n * 10 ** digits) / 10 ** digits
export const mb = (bytes: number): number => round(bytes / 1048576, 1)

export interface MeasuredPhase {
  samplesMs: readonly number[]
  wallMs: number
  cpu: NodeJS.CpuUsage
}

export function benchStats(options: Pick<BenchOptions, 'headline'>, batch: number, measured: MeasuredPhase): BenchStats | null {
  const s = latencyStats(measured.samplesMs)
  if (!s) return null
  return {
    count: s.count,
    minMs: msRound(s.minMs),
    meanMs: msRound(s.meanMs),
    stdMs: msRound(s.stdMs),
    cv: round(s.cv, 4),
    p50Ms: msRound(s.p50Ms),
    p90Ms: msRound(s.p90Ms),
    p95Ms: msRound(s.p95Ms),
    p99Ms: msRound(s.p99Ms),
    p999Ms: msRound(s.p999Ms),
    maxMs: msRound(s.maxMs),
    headline: { metric: options.headline, ms: msRound(s[options.headline]) },
    // From the measured time as the result reports it (phases.measure.ms), so throughput = runs / that time exactly.
    throughputPerS: round(throughput(batch, s.count, msRound(measured.wallMs)), 2),
    cpuPercent: round(cpuPercent(measured.cpu.user, measured.cpu.system, measured.wallMs), 1)
  }
}

export function memory(rssBeforeBytes: number, rssAfterBytes: number, maxRssKiB: number): BenchMemory {
  return {
    rssBeforeLoadMb: mb(rssBeforeBytes),
    rssAfterMb: mb(rssAfterBytes),
    // getrusage reports kilobytes on Linux.
    peakRssMb: mb(maxRssKiB * 1024),
    rssGrowthMb: mb(rssAfterBytes - rssBeforeBytes)
  }
}
