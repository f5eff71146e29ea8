// Temperature, clocks and throttle flags polled while the unit runs the model. Polls come from a
// timer, so they happen between inferences (each run awaits), never inside one.
import type { BenchMonitor, BenchMonitorSample } from '../protocol'
import type { Clock } from './clock'
import type { CommandRunner } from './command-runner'
import { NA, readFrequencies, readMaxTemperature, readThrottled } from './environment'
import { parseThrottled, throttleFlags, throttleReasons } from '../../shared/bench'

/** Above this the numbers say more about the cooling than about the model. */
export const MAX_VALID_TEMP_C = 80
export const POLL_INTERVAL_MS = 500

export interface MonitorSource {
  root: string
  run: CommandRunner
  clock: Clock
  intervalMs?: number
}

export interface MonitorReport {
  monitor: BenchMonitor
  invalidReasons: string[]
  warnings: string[]
}

export async function pollOnce(source: MonitorSource, startedAt: number, withThrottle = true): Promise<BenchMonitorSample> {
  const [tempC, freqKHz, throttled] = await Promise.all([
    readMaxTemperature(source.root),
    readFrequencies(source.root),
    withThrottle ? readThrottled(source.run) : NA
  ])
  return { tMs: Math.round(source.clock.now() - startedAt), tempC, freqKHz, throttled: throttled === NA ? null : throttled }
}

const round1 = (n: number): number => Math.round(n * 10) / 10

const OCCURRED_BITS = 0xf0000
const NOW_BITS = 0xf
const hex = (n: number): string => `0x${n.toString(16)}`

/** Reasons to distrust a run: a "now" bit in any poll, an "has occurred" bit that appeared during
 *  the run, or heat. Occurred bits already set at the first poll (since boot) are only a warning:
 *  they say nothing about this run. */
export function judge(timeline: readonly BenchMonitorSample[], maxTempC: number | null): { invalidReasons: string[]; warnings: string[] } {
  const raws = timeline.flatMap((s) => {
    const parsed = s.throttled === null ? null : parseThrottled(s.throttled)
    return parsed ? [parsed.raw] : []
  })
  const first = raws[0] ?? 0
  const warnings: string[] = []
  if ((first & OCCURRED_BITS) !== 0) {
    warnings.push(`before the run (since boot): ${throttleReasons(throttleFlags(first & OCCURRED_BITS)).join(', ')}`)
  }
  const invalid = new Set<string>()
  for (const raw of new Set(raws)) {
    const relevant = (raw & NOW_BITS) | (raw & ~first & OCCURRED_BITS)
    if (relevant !== 0) invalid.add(`throttled during the run (get_throttled ${hex(raw)}: ${throttleReasons(throttleFlags(relevant)).join(', ')})`)
  }
  if (maxTempC !== null && maxTempC > MAX_VALID_TEMP_C) invalid.add(`temperature reached ${round1(maxTempC)} °C (limit ${MAX_VALID_TEMP_C} °C)`)
  return { invalidReasons: [...invalid], warnings }
}

export function summarize(timeline: readonly BenchMonitorSample[], intervalMs: number): MonitorReport {
  const temps = timeline.flatMap((s) => (s.tempC === null ? [] : [s.tempC]))
  const freqs = timeline.flatMap((s) => s.freqKHz ?? [])
  const maxTempC = temps.length > 0 ? Math.max(...temps) : null
  return {
    monitor: {
      intervalMs,
      maxTempC,
      minFreqKHz: freqs.length > 0 ? Math.min(...freqs) : null,
      maxFreqKHz: freqs.length > 0 ? Math.max(...freqs) : null,
      timeline: [...timeline]
    },
    ...judge(timeline, maxTempC)
  }
}

/** Polls at once and then every interval until stop(), which takes a last poll unless told not to
 *  (a cancelled run should not wait for one more vcgencmd). */
export function startMonitor(source: MonitorSource): { stop(options?: { finalPoll?: boolean }): Promise<MonitorReport> } {
  const intervalMs = source.intervalMs ?? POLL_INTERVAL_MS
  const startedAt = source.clock.now()
  const timeline: BenchMonitorSample[] = []
  let inFlight: Promise<void> | null = null
  // Where the first poll found no vcgencmd (not a Pi, or no firmware tools), the run does not
  // spawn a failing process every interval: each spawn takes the CPU from the runs being timed.
  let withThrottle = true
  const poll = (): void => {
    // A slow vcgencmd must not pile polls up behind it.
    if (inFlight) return
    inFlight = pollOnce(source, startedAt, withThrottle).then(
      (s) => {
        if (timeline.length === 0 && s.throttled === null) withThrottle = false
        timeline.push(s)
        inFlight = null
      },
      () => {
        inFlight = null
      }
    )
  }
  poll()
  const timer = setInterval(poll, intervalMs)
  timer.unref()
  return {
    async stop({ finalPoll = true } = {}) {
      clearInterval(timer)
      await inFlight
      if (finalPoll) {
        poll()
        await inFlight
      }
      return summarize(timeline, intervalMs)
    }
  }
}
