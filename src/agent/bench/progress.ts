// Progress as JSON lines on stderr, so stdout stays the single result line the desktop parses.
// At most one line per interval: a tight loop of 0.1 ms runs must not spend its time printing.
import type { Clock } from './clock'

export interface ProgressEvent {
  phase: 'warmup' | 'measure' | 'accuracy' | 'profile'
  done: number
  total: number
  elapsedMs: number
  /** The measured phase also runs until this much time has passed (the ETA is the later of the two). */
  minDurationMs?: number
}

export type ProgressSink = (event: ProgressEvent) => void

export function progressLines(write: (line: string) => void, clock: Clock, intervalMs = 500): { report: ProgressSink; phase: (phase: string) => void } {
  let last = Number.NEGATIVE_INFINITY
  return {
    report(event) {
      const now = clock.now()
      if (now - last < intervalMs) return
      last = now
      write(JSON.stringify({ event: 'bench.progress', ...event, elapsedMs: Math.round(event.elapsedMs) }))
    },
    phase(phase) {
      write(JSON.stringify({ event: 'bench.phase', phase }))
    }
  }
}
