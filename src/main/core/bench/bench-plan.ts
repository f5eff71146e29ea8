// A benchmark request as a matrix: every target × model × threads × batch size, repeated K times.
// Cells of one target run one after another (they would disturb each other's timings); targets run
// side by side. The agent's flags for a cell are built here, from the request alone.
import { PRESETS } from '../../../shared/bench'
import type { BenchPreset } from '../../../shared/bench-result'
import { agentOnUnit, unitAgentFiles } from '../runtime/device-layout'

export interface PlanModel {
  ref: string
  name: string
  version: string
  sha256: string
  localFile: string
}

export interface PlanTarget {
  /** As the user named it, for messages and the stored cell. */
  label: string
  deviceId: string | null
}

export interface PlannedCell {
  id: string
  index: number
  target: PlanTarget
  model: PlanModel
  threads: number
  batch: number
  repeat: number
}

export interface RunSettings {
  preset: BenchPreset
  runs?: number | undefined
  durationS?: number | undefined
  warmup?: number | undefined
  profileOps: boolean
  seed?: number | undefined
}

export function planCells(
  targets: readonly PlanTarget[],
  models: readonly PlanModel[],
  axes: { threads: readonly number[]; batch: readonly number[]; repeat: number },
  newId: () => string
): PlannedCell[] {
  const cells: PlannedCell[] = []
  for (const target of targets)
    for (const model of models)
      for (const threads of new Set(axes.threads))
        for (const batch of new Set(axes.batch))
          for (let repeat = 1; repeat <= axes.repeat; repeat++) cells.push({ id: newId(), index: cells.length, target, model, threads, batch, repeat })
  return cells
}

/** Cool-down between two cells on one unit: the caller's, else 5 s when a unit runs several cells. */
export function cooldownSeconds(requested: number | undefined, cellsOnTarget: number): number {
  if (requested !== undefined) return requested
  return cellsOnTarget > 1 ? 5 : 0
}

/** `edgedock-agent bench` flags for one cell; the model and sample files are paths where the runner runs. */
export function agentBenchArgs(cell: Pick<PlannedCell, 'threads' | 'batch'>, s: RunSettings, files: { model: string; samples: string | null }): string[] {
  const args = ['bench', `--model=${files.model}`, `--preset=${s.preset}`, `--threads=${cell.threads}`, `--batch=${cell.batch}`]
  if (s.runs !== undefined) args.push(`--runs=${s.runs}`)
  if (s.durationS !== undefined) args.push(`--duration=${s.durationS}`)
  if (s.warmup !== undefined) args.push(`--warmup=${s.warmup}`)
  if (s.seed !== undefined) args.push(`--seed=${s.seed}`)
  if (s.profileOps) args.push('--profile-ops')
  if (files.samples) args.push(`--samples=${files.samples}`)
  return args
}

/** How long a cell may take before it is stopped: its minimum duration and a generous margin for slow boards. */
export function cellTimeoutMs(s: RunSettings): number {
  const minS = s.durationS ?? PRESETS[s.preset].minDurationS
  return (minS * 3 + 300) * 1000
}

/** The installed runtime's Node and agent, which a unit must have for `agentOnUnit` to run. */
export const { node: UNIT_NODE, agent: UNIT_AGENT } = unitAgentFiles()
export { agentOnUnit }
