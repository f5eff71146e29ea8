// A benchmark job: the planned cells, stored as pending, then run target by target (targets side by
// side, one target's cells one after another with a cool-down between them). Every cell is stored as
// it ends, so a cancel or a lost unit keeps what was measured. Cancel first asks each runner to stop
// after the run in flight (SIGINT: the runner still reports its partial figures), and cuts it off
// after a grace period.
import type { BenchCell } from '../../../shared/bench-run'
import type { Text } from '../../../shared/domain'
import { EdgeError } from '../../../shared/errors'
import { text } from '../../../shared/texts'
import { abortableSleep } from '../abortable-sleep'
import type { JobContext } from '../jobs/job-runner'
import type { BenchRepo } from '../../store/bench-repo'
import { cellStats, etaSeconds, type AgentProgress } from './agent-output'
import { agentBenchArgs, cellTimeoutMs, cooldownSeconds, type PlannedCell, type PlanTarget, type RunSettings } from './bench-plan'
import type { CellRunner } from './cell-runner'

/** How long a cancelled runner may take to report before it is cut off. */
export const CANCEL_GRACE_MS = 3000
const PROGRESS_EVERY_MS = 1000

export interface BenchJobDeps {
  repo: Pick<BenchRepo, 'updateCell' | 'saveSamples'>
  /** A cell changed (the contract's bench.cell event). */
  emit(cell: BenchCell): void
  /** Opens the runner for a target; `hard` cuts its connection off. */
  open(target: PlanTarget, hard: AbortSignal, ctx: JobContext): Promise<CellRunner>
  now?: () => number
}

export interface BenchJobInput {
  cells: PlannedCell[]
  settings: RunSettings
  samplesFile: string | null
  cooldownS: number | undefined
}

const threadsText = (n: number) => (n === 0 ? 'auto' : String(n))

export async function runBenchJob(deps: BenchJobDeps, input: BenchJobInput, ctx: JobContext): Promise<void> {
  const now = deps.now ?? Date.now
  const hard = new AbortController()
  const onCancel = () => setTimeout(() => hard.abort(ctx.signal.reason), CANCEL_GRACE_MS).unref()
  ctx.signal.addEventListener('abort', onCancel, { once: true })
  const update = (id: string, u: Parameters<BenchJobDeps['repo']['updateCell']>[1]) => {
    const cell = deps.repo.updateCell(id, u)
    if (cell) deps.emit(cell)
  }
  const byTarget = new Map<PlanTarget, PlannedCell[]>()
  for (const c of input.cells) byTarget.set(c.target, [...(byTarget.get(c.target) ?? []), c])
  const several = byTarget.size > 1
  const failures: string[] = []
  let finished = 0
  ctx.progress(0, input.cells.length)
  const ended = () => ctx.progress(++finished, input.cells.length)

  const cancelRest = (cells: readonly PlannedCell[], reason: string) => {
    for (const c of cells) {
      update(c.id, { state: 'cancelled', error: reason, progress: null })
      ended()
    }
  }

  const runTarget = async (target: PlanTarget, cells: PlannedCell[]) => {
    const step = <T>(name: Text, fn: () => Promise<T>) => ctx.step(several ? text('step.onUnit', { unit: target.label, step: name }) : name, fn)
    let runner: CellRunner
    try {
      runner = await step(text('step.connect', { target: target.label }), () => deps.open(target, hard.signal, ctx))
    } catch (err) {
      if (ctx.signal.aborted) return cancelRest(cells, 'cancelled before it started')
      const message = err instanceof Error ? err.message : String(err)
      failures.push(`${target.label}: ${message}`)
      ctx.log('error', `${target.label}: ${message}`)
      for (const c of cells) {
        update(c.id, { state: 'failed', error: message, finishedAt: now() })
        ended()
      }
      return
    }
    const pause = cooldownSeconds(input.cooldownS, cells.length)
    try {
      for (const [i, cell] of cells.entries()) {
        if (ctx.signal.aborted) return cancelRest(cells.slice(i), 'cancelled before it started')
        if (i > 0 && pause > 0) {
          try {
            await step(text('step.benchCooldown', { s: pause }), () => abortableSleep(pause * 1000, ctx.signal))
          } catch {
            return cancelRest(cells.slice(i), 'cancelled before it started')
          }
        }
        await runCell(runner, cell, step)
      }
    } finally {
      await runner.close().catch(() => undefined)
    }
  }

  const runCell = async (runner: CellRunner, cell: PlannedCell, step: <T>(name: Text, fn: () => Promise<T>) => Promise<T>) => {
    update(cell.id, { state: 'running', startedAt: now(), progress: { phase: 'prepare', done: 0, total: 0, etaS: null } })
    let lastProgress = 0
    let phase = 'prepare'
    const onProgress = (p: AgentProgress) => {
      if (now() - lastProgress < PROGRESS_EVERY_MS) return
      lastProgress = now()
      update(cell.id, { progress: { phase: p.phase, done: p.done, total: p.total, etaS: etaSeconds(p) } })
    }
    const onPhase = (name: string) => {
      phase = name
      update(cell.id, { progress: { phase: name, done: 0, total: 0, etaS: null } })
    }
    const name = text('step.benchCell', { model: cell.model.ref, target: cell.target.label, threads: threadsText(cell.threads), batch: cell.batch, repeat: cell.repeat })
    try {
      const result = await step(name, async () => {
        const files = await runner.prepare(cell.model, input.samplesFile)
        return runner.run(agentBenchArgs(cell, input.settings, files), { signal: hard.signal, interrupt: ctx.signal, onProgress, onPhase, timeoutMs: cellTimeoutMs(input.settings) })
      })
      const { samples, ...kept } = result
      if (samples) deps.repo.saveSamples(cell.id, samples)
      update(cell.id, {
        state: result.cancelled ? 'cancelled' : 'done',
        error: result.cancelled ? 'cancelled; the runs measured before the cancel are kept' : null,
        progress: null,
        stats: cellStats(result),
        accuracy: result.accuracy,
        valid: result.valid,
        invalidReasons: result.invalidReasons,
        result: kept,
        finishedAt: now()
      })
      const s = result.stats
      if (s) ctx.log('info', `${cell.target.label} ${cell.model.ref} threads ${threadsText(cell.threads)} batch ${cell.batch}: p50 ${s.p50Ms} ms, p90 ${s.p90Ms} ms over ${s.count} runs${result.valid ? '' : ` (invalid: ${result.invalidReasons.join('; ')})`}`)
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err)
      const cancelled = ctx.signal.aborted
      update(cell.id, { state: cancelled ? 'cancelled' : 'failed', error: cancelled ? `cancelled during ${phase}` : message, progress: null, finishedAt: now() })
      if (!cancelled) {
        failures.push(`${cell.target.label} ${cell.model.ref}: ${message}`)
        ctx.log('error', `${cell.target.label} ${cell.model.ref} threads ${threadsText(cell.threads)} batch ${cell.batch}: ${message}`)
      }
    } finally {
      ended()
    }
  }

  try {
    await Promise.all([...byTarget].map(([target, cells]) => runTarget(target, cells)))
  } finally {
    ctx.signal.removeEventListener('abort', onCancel)
  }
  if (ctx.signal.aborted) throw ctx.signal.reason
  if (failures.length > 0) {
    throw new EdgeError('BENCH_FAILED', `${failures.length} of ${input.cells.length} cells failed (${failures.join('; ').slice(0, 600)})`)
  }
}
