// First inference, warm-up and measured runs, with the sensors polled around them. Warm-up runs are
// timed too (their count and total are reported) but never enter the statistics.
import type { Clock } from './clock'
import type { CommandRunner } from './command-runner'
import { timedRuns, type LoopResult } from './measure'
import { startMonitor, type MonitorReport } from './monitor'
import type { ProgressEvent } from './progress'

export interface TimedPhaseOptions {
  warmup: number
  minRuns: number
  minDurationS: number
}

export interface TimedPhaseContext {
  clock: Clock
  signal?: AbortSignal
  root: string
  run: CommandRunner
  progress: { report: (event: ProgressEvent) => void; phase: (phase: string) => void }
}

export interface TimedPhases {
  firstInferenceMs: number | null
  warmup: LoopResult | null
  measured: (LoopResult & { cpu: NodeJS.CpuUsage }) | null
  cancelled: boolean
  monitor: MonitorReport
}

/** Progress every REPORT_MS at most, decided before any event object is made: a 20 µs model runs
 *  50,000 times a second, and an allocation per run shows up in its p50. */
const REPORT_MS = 250
function throttled(report: (done: number, elapsedMs: number) => void): (done: number, elapsedMs: number) => void {
  let next = 0
  return (done, elapsedMs) => {
    if (elapsedMs < next) return
    next = elapsedMs + REPORT_MS
    report(done, elapsedMs)
  }
}

/** `runOnce(i)` runs inference number i (the caller picks its input). */
export async function runTimedPhases(runOnce: (i: number) => Promise<unknown>, options: TimedPhaseOptions, ctx: TimedPhaseContext): Promise<TimedPhases> {
  const { clock, signal, progress } = ctx
  const out: Omit<TimedPhases, 'monitor'> = { firstInferenceMs: null, warmup: null, measured: null, cancelled: signal?.aborted ?? false }
  const monitor = startMonitor({ root: ctx.root, run: ctx.run, clock })
  try {
    if (out.cancelled) return { ...out, monitor: await monitor.stop({ finalPoll: false }) }
    const t0 = clock.now()
    await runOnce(0)
    out.firstInferenceMs = clock.now() - t0
    progress.phase('warmup')
    out.warmup = await timedRuns(runOnce, {
      minRuns: options.warmup,
      minDurationMs: 0,
      clock,
      signal,
      onRun: throttled((done, elapsedMs) => progress.report({ phase: 'warmup', done, total: options.warmup, elapsedMs }))
    })
    out.cancelled = out.warmup.cancelled
    if (!out.cancelled) {
      progress.phase('measure')
      const minDurationMs = options.minDurationS * 1000
      const cpuStart = process.cpuUsage()
      const loop = await timedRuns(runOnce, {
        minRuns: options.minRuns,
        minDurationMs,
        clock,
        signal,
        onRun: throttled((done, elapsedMs) => progress.report({ phase: 'measure', done, total: options.minRuns, elapsedMs, minDurationMs }))
      })
      out.measured = { ...loop, cpu: process.cpuUsage(cpuStart) }
      out.cancelled = loop.cancelled
    }
  } catch (err) {
    await monitor.stop({ finalPoll: false })
    throw err
  }
  // A cancelled run should not wait for one more vcgencmd.
  return { ...out, monitor: await monitor.stop({ finalPoll: !out.cancelled }) }
}
