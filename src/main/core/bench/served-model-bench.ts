// A benchmark of the model a unit serves right now, by the agent's own runner on the unit, judged
// against limits: the provisioning benchmark step and a rollout's canary gate ask the same question
// ("is this unit, with this model, within p90 <= 60 ms?") and get the same figures and wording.
import type { CellStats } from '../../../shared/bench-run'
import { EdgeError } from '../../../shared/errors'
import { deviceLayout, type DeviceLayout } from '../runtime/device-layout'
import { cellStats, parseAgentResult } from './agent-output'
import { agentBenchArgs, agentOnUnit, cellTimeoutMs, type RunSettings } from './bench-plan'
import { judgeGates, type GateVerdict, type Gates, type MeasuredAccuracy } from './gates'

export interface ServedBench {
  stats: CellStats
  accuracy: MeasuredAccuracy | null
  verdict: GateVerdict
  /** "p50 1.20 ms, p90 1.50 ms over 100 runs, peak RSS 80 MB[, top-1 …]" */
  summary: string
}

export interface ServedBenchOptions {
  settings: RunSettings
  threads: number
  /** A labelled set already on the unit, for top-1. */
  samples: string | null
  gates: Gates
  layout?: DeviceLayout | undefined
  /** For messages: "the unit", "the canary door-01". */
  where: string
}

/** `run` executes an argv on the unit with a timeout and returns how it ended; failures are EdgeErrors. */
export async function benchServedModel(run: (argv: string[], timeoutMs: number) => Promise<{ code: number; stdout: string; stderr: string }>, o: ServedBenchOptions): Promise<ServedBench> {
  const layout = o.layout ?? deviceLayout()
  const args = agentBenchArgs({ threads: o.threads, batch: 1 }, o.settings, { model: layout.modelsCurrent, samples: o.samples })
  const result = parseAgentResult(await run(agentOnUnit(args, layout), cellTimeoutMs(o.settings)), o.where)
  const stats = cellStats(result)
  if (!stats) throw new EdgeError('BENCH_FAILED', `${o.where}: the benchmark measured no runs`)
  const accuracy = result.accuracy
  const top1 = accuracy ? `, top-1 ${(accuracy.top1 * 100).toFixed(1)} % on ${accuracy.samples} samples` : ''
  const summary = `p50 ${stats.p50.toFixed(2)} ms, p90 ${stats.p90.toFixed(2)} ms over ${stats.runs} runs, peak RSS ${stats.peakRssMb.toFixed(0)} MB${top1}`
  return { stats, accuracy, verdict: judgeGates(stats, o.gates, accuracy), summary }
}
