// The timed loops. Each run is timed on its own around one awaited inference; the loop checks for
// cancellation between runs so a signal stops it after the run in flight.
import type { Clock } from './clock'

export interface LoopOptions {
  /** Keep going until at least this many runs... */
  minRuns: number
  /** ...and at least this much time have passed, whichever comes later. */
  minDurationMs: number
  clock: Clock
  signal?: AbortSignal
  /** Called after every run; rate limiting is the caller's business. */
  onRun?: (done: number, elapsedMs: number) => void
}

export interface LoopResult {
  samplesMs: number[]
  wallMs: number
  cancelled: boolean
}

export async function timedRuns(runOnce: (i: number) => Promise<unknown>, options: LoopOptions): Promise<LoopResult> {
  const { clock, signal } = options
  const samplesMs: number[] = []
  const start = clock.now()
  let now = start
  while (samplesMs.length < options.minRuns || now - start < options.minDurationMs) {
    if (signal?.aborted) return { samplesMs, wallMs: now - start, cancelled: true }
    const t0 = clock.now()
    await runOnce(samplesMs.length)
    now = clock.now()
    samplesMs.push(now - t0)
    options.onRun?.(samplesMs.length, now - start)
  }
  return { samplesMs, wallMs: now - start, cancelled: false }
}
