// Where a cell runs: on a unit over SSH, or on this machine for the host baseline. Both run the
// same agent bundle with the same flags, so a unit's figures and the host's are measured alike.
import type { BenchResult } from '../../../shared/bench-result'
import type { AgentProgress } from './agent-output'
import type { PlanModel } from './bench-plan'

export interface CellHooks {
  /** Cuts the runner off (the job was cancelled and the grace period is over). */
  signal: AbortSignal
  /** Asks the runner to stop after the run in flight and report what it measured. */
  interrupt: AbortSignal
  onProgress(p: AgentProgress): void
  onPhase(phase: string): void
  timeoutMs: number
}

export interface CellRunner {
  /** Makes the model (and sample set) available where the runner runs; returns the paths to pass it. */
  prepare(model: PlanModel, samplesFile: string | null): Promise<{ model: string; samples: string | null }>
  run(args: string[], hooks: CellHooks): Promise<BenchResult>
  close(): Promise<void>
}
