// Benchmarks as the app runs them: `start` plans the matrix and stores it before the job runs (a
// typo in a target or model fails the call with nothing contacted); list, get, samples, compare
// and export read what was stored.
import { randomUUID } from 'node:crypto'
import { HOST_TARGET, type BenchCell, type BenchComparison, type BenchRunDetail } from '../../../shared/bench-run'
import { EdgeError } from '../../../shared/errors'
import { formatTarget } from '../../../shared/target'
import { text } from '../../../shared/texts'
import type { EventHub } from '../event-hub'
import type { DeviceService } from '../devices/device-service'
import type { JobContext, JobRunner } from '../jobs/job-runner'
import type { ModelStore } from '../models/model-store'
import { sshDeviceShell } from '../deploy/device-shell'
import { resolveTarget, type ResolvedTarget } from '../deploy/resolve-target'
import { jobSshOptions, type SshService } from '../ssh'
import type { BenchRepo } from '../../store/bench-repo'
import type { HistoryRepo } from '../../store/history-repo'
import { runsToCsv, runsToJson } from './bench-export'
import { runBenchJob } from './bench-job'
import { planCells, type PlanModel, type PlanTarget, type RunSettings } from './bench-plan'
import type { CellRunner } from './cell-runner'
import { hostCellRunner, type HostPaths } from './host-runner'
import { mannWhitneyP } from './mann-whitney'
import { unitCellRunner } from './unit-runner'

export interface BenchServiceDeps {
  jobs: Pick<JobRunner, 'start'>
  devices: Pick<DeviceService, 'resolve'>
  models: Pick<ModelStore, 'get' | 'filePath'>
  ssh: SshService
  repo: BenchRepo
  history: Pick<HistoryRepo, 'add'>
  events: Pick<EventHub, 'emit'>
  host: HostPaths
  /** Tests put a fake unit here; by default an SSH session with EdgeDock's key. */
  openUnit?: (t: ResolvedTarget & { label: string }, password: string | undefined, hard: AbortSignal, ctx: JobContext) => Promise<CellRunner>
}

export interface BenchStartRequest extends RunSettings {
  targets: string[]
  models: string[]
  threads: number[]
  batch: number[]
  repeat: number
  cooldownS?: number | undefined
  samplesFile: string | null
  password?: string | undefined
  label?: string | undefined
  who: string
}

interface Target extends PlanTarget {
  resolved: ResolvedTarget | null
}

const MIN_REF = 4

export function createBenchService(deps: BenchServiceDeps) {
  const openUnit =
    deps.openUnit ??
    (async (t, password, hard, ctx) => {
      // The job's signal would close the link at once; `hard` closes it after the cancel grace period.
      const session = await deps.ssh.open({ host: t.host, port: t.port, username: t.user }, password ? { password } : null, { ...jobSshOptions(ctx), signal: hard })
      try {
        return await unitCellRunner(sshDeviceShell(session, t.user, formatTarget(t)), t.label, hard)
      } catch (err) {
        // No runner to close it later (no runtime, no folder): an open session would keep the CLI alive.
        await session.close().catch(() => undefined)
        throw err
      }
    })

  const resolve = (ref: string): Target => {
    if (ref === HOST_TARGET) {
      let device = null
      try {
        device = deps.devices.resolve(ref)
      } catch {
        // No unit of that name: `host` is this computer.
      }
      if (device) throw new EdgeError('DEVICE_REF_AMBIGUOUS', `"host" (this computer, or the unit named host: give the unit's id or user@address)`)
      return { label: HOST_TARGET, deviceId: null, resolved: null }
    }
    const t = resolveTarget(deps.devices, ref)
    return { label: t.device?.name ?? formatTarget(t), deviceId: t.device?.id ?? null, resolved: t }
  }

  /** A run by id or prefix, or a cell; ambiguity and typos refused in words. */
  const findRef = (ref: string): { runs: BenchRunDetail[]; cells: BenchCell[] } => {
    const exact = deps.repo.get(ref)
    if (exact) return { runs: [exact], cells: exact.cells }
    if (ref.length < MIN_REF) throw new EdgeError('BENCH_NOT_FOUND', `${ref} (give at least ${MIN_REF} characters of the id)`)
    const runs = deps.repo.findRuns(ref)
    const cells = deps.repo.findCells(ref)
    if (runs.length + cells.length > 1) throw new EdgeError('BENCH_REF_AMBIGUOUS', ref)
    const run = runs[0] ? deps.repo.get(runs[0].id) : null
    if (run) return { runs: [run], cells: run.cells }
    const cell = cells[0]
    if (cell) {
      const parent = deps.repo.get(cell.runId)
      return { runs: parent ? [{ ...parent, cells: [cell] }] : [], cells: [cell] }
    }
    throw new EdgeError('BENCH_NOT_FOUND', ref)
  }

  return {
    start(req: BenchStartRequest): { jobId: string; runId: string } {
      const seen = new Set<string>()
      const targets: Target[] = []
      for (const ref of req.targets) {
        const t = resolve(ref)
        const key = t.resolved ? `${t.resolved.user}@${t.resolved.host}:${t.resolved.port}` : HOST_TARGET
        if (!seen.has(key)) targets.push(t)
        seen.add(key)
      }
      const models: PlanModel[] = [...new Set(req.models)].map((ref) => {
        const m = deps.models.get(ref)
        return { ref: `${m.name}@${m.version}`, name: m.name, version: m.version, sha256: m.sha256, localFile: deps.models.filePath(m.sha256) }
      })
      const cells = planCells(targets, models, req, randomUUID)
      const runId = randomUUID()
      const settings: RunSettings = { preset: req.preset, runs: req.runs, durationS: req.durationS, warmup: req.warmup, profileOps: req.profileOps, seed: req.seed }
      // The host baseline is not a unit: "2 units and this computer", not "3 units".
      const units = targets.filter((t) => t.resolved).length
      const where = targets.length === 1 && targets[0] ? targets[0].label : text(units < targets.length ? 'units.nAndHost' : 'units.n', { n: units })
      const job = deps.jobs.start({ kind: 'bench', title: text('job.bench', { models: models.map((m) => m.ref).join(', '), where }), deviceId: targets.length === 1 ? (targets[0]?.deviceId ?? null) : null }, async (ctx) => {
        // Stored before the first await, so the run exists when `start` returns.
        deps.repo.createRun({
          id: runId,
          jobId: ctx.jobId,
          who: req.who,
          label: req.label ?? null,
          preset: req.preset,
          request: { targets: targets.map((t) => t.label), models: models.map((m) => m.ref), threads: req.threads, batch: req.batch, repeat: req.repeat, ...settings, samples: req.samplesFile !== null },
          cells: cells.map((c) => ({ id: c.id, index: c.index, target: c.target.label, deviceId: c.target.deviceId, model: { ref: c.model.ref, name: c.model.name, version: c.model.version, sha256: c.model.sha256 }, threads: c.threads, batch: c.batch, repeat: c.repeat }))
        })
        if (req.password) ctx.secret(req.password)
        try {
          await runBenchJob(
            {
              repo: deps.repo,
              emit: (cell) => deps.events.emit('bench.cell', cell),
              open: async (target, hard, jc) => {
                const t = targets.find((x) => x === target)
                if (!t?.resolved) return hostCellRunner(deps.host)
                return openUnit({ ...t.resolved, label: t.label }, req.password, hard, jc)
              }
            },
            { cells, settings, samplesFile: req.samplesFile, cooldownS: req.cooldownS },
            ctx
          )
        } finally {
          const run = deps.repo.get(runId)
          for (const t of targets) {
            const mine = run?.cells.filter((c) => c.target === t.label) ?? []
            const done = mine.filter((c) => c.state === 'done')
            const best = done.map((c) => c.stats?.p50).filter((v): v is number => v !== undefined)
            deps.history.add({
              kind: 'bench',
              deviceId: t.deviceId,
              deviceName: t.label,
              jobId: ctx.jobId,
              summary: `Benchmarked ${models.map((m) => m.ref).join(', ')}: ${done.length} of ${mine.length} cells measured${best.length ? `, best p50 ${Math.min(...best).toFixed(2)} ms` : ''}; by ${req.who}`,
              outcome: done.length === mine.length ? 'ok' : ctx.signal.aborted ? 'cancelled' : 'failed'
            })
          }
        }
      })
      return { jobId: job.id, runId }
    },

    list: (q: { limit: number; target?: string | undefined }) => deps.repo.list(q),

    /** A run by id or prefix; a cell's id gives the run it belongs to. */
    get(ref: string): BenchRunDetail {
      const run = findRef(ref).runs[0]
      const full = run ? deps.repo.get(run.id) : null
      if (!full) throw new EdgeError('BENCH_NOT_FOUND', ref)
      return full
    },

    samples(cellId: string): number[] {
      const s = deps.repo.samples(cellId)
      if (s === null) {
        if (deps.repo.findCells(cellId, 1).length === 0) throw new EdgeError('BENCH_NOT_FOUND', cellId)
        return []
      }
      return s
    },

    compare(refs: string[]): BenchComparison {
      const cells = refs.flatMap((r) => findRef(r).cells)
      const [baseline, ...rest] = cells
      if (!baseline || rest.length === 0) throw new EdgeError('INVALID_INPUT', 'name at least two cells (or runs with cells) to compare')
      const base = deps.repo.samples(baseline.id)
      const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined && b > 0 ? a / b : null)
      return {
        baseline,
        rows: rest.map((cell) => {
          const s = deps.repo.samples(cell.id)
          const pValue = base && s ? mannWhitneyP(base, s) : null
          const p50Ratio = ratio(cell.stats?.p50, baseline.stats?.p50)
          return {
            cell,
            p50Ratio,
            p90Ratio: ratio(cell.stats?.p90, baseline.stats?.p90),
            throughputRatio: ratio(cell.stats?.throughput, baseline.stats?.throughput),
            pValue,
            significant: pValue === null || p50Ratio === null ? null : pValue < 0.01 && Math.abs(p50Ratio - 1) > 0.01
          }
        })
      }
    },

    export(refs: string[], format: 'csv' | 'json'): { text: string } {
      const runs = refs.flatMap((r) => findRef(r).runs)
      return { text: format === 'csv' ? runsToCsv(runs) : runsToJson(runs, (id) => deps.repo.samples(id)) }
    }
  }
}
export type BenchService = ReturnType<typeof createBenchService>
