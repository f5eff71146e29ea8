// Runs a provisioning as a job: validated before the job starts (so a bad variable is an error on
// the form, not a failed job), then live per-unit lines in the job log, progress in units, and the
// FleetResult as the job's result. The job fails when any unit failed, so history says so.
import { EdgeError } from '../../../shared/errors'
import { text } from '../../../shared/texts'
import type { JobContext, JobRunner } from '../jobs/job-runner'
import type { ProvisionEvent } from './provision-types'
import { prepareProvision, type ProvisionDeps, type ProvisionInput } from './provision'
import { runFleet } from './run-fleet'

export type ProvisionJobDeps = Omit<ProvisionDeps, 'signal' | 'log'>

export function startProvisionJob(jobs: Pick<JobRunner, 'start'>, input: ProvisionInput, deps: ProvisionJobDeps, spec: { deviceId?: string | null } = {}) {
  const units = prepareProvision(input)
  const dryRun = input.dryRun ?? false
  const where = units.length === 1 && units[0] ? units[0].target : text('units.n', { n: units.length })
  const title = text(dryRun ? 'job.dryRun' : 'job.provision', { profile: input.profile.name, where })
  return jobs.start({ kind: dryRun ? 'provision-dry-run' : 'provision', title, deviceId: spec.deviceId ?? null, unit: 'items' }, async (ctx: JobContext) => {
    for (const u of units) for (const s of u.secrets) ctx.secret(s)
    let finished = 0
    ctx.progress(0, units.length)
    const onEvent = (e: ProvisionEvent) => {
      if (e.type === 'unit-finished') {
        ctx.progress(++finished, units.length)
        ctx.log(e.result.status === 'failed' ? 'error' : 'info', `[${e.target}] ${e.result.status}, ${e.result.changes} change(s)`)
      } else if (e.type === 'step-finished' && e.step.status !== 'unchanged') {
        ctx.log(e.step.status === 'failed' ? 'error' : 'info', `[${e.target}] ${e.step.title}: ${e.step.status}${e.step.note ? ` (${e.step.note})` : ''}`)
      } else if (e.type === 'fleet-stopped') {
        ctx.log('error', `${e.failed} units failed (more than ${e.maxFail}): no further units started`)
      }
      deps.onEvent?.(e)
    }
    const result = await runFleet({
      ...deps,
      onEvent,
      profile: input.profile.name,
      units,
      dryRun,
      ...(input.concurrency !== undefined ? { concurrency: input.concurrency } : {}),
      ...(input.maxFail !== undefined ? { maxFail: input.maxFail } : {}),
      signal: ctx.signal,
      log: ctx.log,
      // One unit: its steps are the job's steps, as in every other job. Many units run at once, so
      // their steps show as per-unit events and log lines instead.
      ...(units.length === 1 ? { stepHook: ctx.step } : {})
    })
    ctx.setResult(result)
    const s = result.summary
    ctx.log('info', `${s.total} units: ${s.changed + s.wouldChange} changed, ${s.unchanged} unchanged, ${s.failed} failed, ${s.notStarted} not started; ${s.changes} changes`)
    if (result.stoppedEarly) throw new EdgeError('PROVISION_MAX_FAILURES', result.error?.detail ?? '')
    const firstFailed = result.units.find((u) => u.status === 'failed')
    if (firstFailed) {
      const more = s.failed > 1 ? ` (and ${s.failed - 1} more unit(s))` : ''
      throw new EdgeError(firstFailed.error?.code ?? 'PROVISION_STEP_FAILED', `${firstFailed.target}: ${firstFailed.error?.detail ?? ''}${more}`)
    }
  })
}
