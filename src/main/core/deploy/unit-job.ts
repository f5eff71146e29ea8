// What the three deploy jobs (runtime install, push, rollback) share: targets resolved before the
// job starts (a typo fails the call, with nothing contacted), one SSH session per unit with the job's
// cancel signal and secrets, a concurrency cap, per-unit history entries, and one plain error at the
// end that names the failed units.
import os from 'node:os'
import type { Text } from '../../../shared/domain'
import { EdgeError } from '../../../shared/errors'
import { formatTarget } from '../../../shared/target'
import { text } from '../../../shared/texts'
import type { DeviceService } from '../devices/device-service'
import type { JobContext, JobRunner, JobSpec } from '../jobs/job-runner'
import type { HistoryRepo } from '../../store/history-repo'
import { jobSshOptions, type SshService } from '../ssh'
import { sshDeviceShell, type DeviceShell } from './device-shell'
import { resolveTarget, type ResolvedTarget } from './resolve-target'
import { runUnits } from './run-units'

export interface UnitJobDeps {
  jobs: Pick<JobRunner, 'start'>
  devices: Pick<DeviceService, 'resolve'>
  history: Pick<HistoryRepo, 'add'>
  /** Opens a shell on a unit; by default an SSH session with EdgeDock's key (and the password, if given). */
  connect: (t: ResolvedTarget, password: string | undefined, ctx: JobContext) => Promise<DeviceShell>
}

export interface Unit extends ResolvedTarget {
  /** As the user named it. */
  ref: string
  /** Shown in steps, logs and history: the device name, else user@host. */
  label: string
}

export function sshConnect(ssh: SshService): UnitJobDeps['connect'] {
  return async (t, password, ctx) => {
    const session = await ssh.open({ host: t.host, port: t.port, username: t.user }, password ? { password } : null, jobSshOptions(ctx))
    return sshDeviceShell(session, t.user, formatTarget(t))
  }
}

export function resolveUnits(devices: UnitJobDeps['devices'], refs: readonly string[]): Unit[] {
  const seen = new Set<string>()
  const units: Unit[] = []
  for (const ref of refs) {
    const t = resolveTarget(devices, ref)
    const key = `${t.user}@${t.host}:${t.port}`
    if (seen.has(key)) continue
    seen.add(key)
    units.push({ ...t, ref, label: t.device?.name ?? formatTarget(t) })
  }
  if (units.length === 0) throw new EdgeError('INVALID_INPUT', 'name at least one unit (a device name or user@host)')
  return units
}

/** Where a job runs, for its title: the unit's label, or "N units". */
export function unitsWhere(units: readonly Unit[]): string | Text {
  return units.length === 1 && units[0] ? units[0].label : text('units.n', { n: units.length })
}

/** "root (cli)": who started the job, for history. */
export function whoFor(transport: 'electron' | 'station' | 'cli'): string {
  let user = 'desktop'
  try {
    user = os.userInfo().username || user
  } catch {
    // No passwd entry (containers): the transport still says where it came from.
  }
  return `${user} (${transport === 'electron' ? 'desktop' : transport})`
}

/**
 * Starts a job that runs `work` on every unit (a session each, closed afterwards). `work` returns
 * the unit's result entry; a thrown error becomes `onError`'s entry. The job fails when any unit did.
 */
export function startUnitJob<R extends { error: string | null }>(
  deps: UnitJobDeps,
  spec: Omit<JobSpec, 'deviceId'> & { units: Unit[]; password?: string | undefined; concurrency?: number | undefined },
  work: (shell: DeviceShell, unit: Unit, ctx: JobContext, step: <T>(name: string | Text, fn: () => Promise<T>) => Promise<T>) => Promise<{ entry: R; failure?: EdgeError }>,
  onError: (unit: Unit, error: EdgeError, ctx: JobContext) => R,
  finish: (ctx: JobContext, entries: R[]) => void
): string {
  const { units } = spec
  const single = units.length === 1 ? units[0] : undefined
  const job = deps.jobs.start({ kind: spec.kind, title: spec.title, unit: spec.unit, deviceId: single?.device?.id ?? null }, async (ctx) => {
    if (spec.password) ctx.secret(spec.password)
    const failures: { unit: Unit; error: EdgeError }[] = []
    const entries = await runUnits(units, spec.concurrency ?? 4, async (unit) => {
      const step = <T>(name: string | Text, fn: () => Promise<T>) => ctx.step(single ? name : text('step.onUnit', { unit: unit.label, step: name }), fn)
      let shell: DeviceShell | null = null
      try {
        shell = await step(text('step.connect', { target: formatTarget(unit) }), () => deps.connect(unit, spec.password, ctx))
        const r = await work(shell, unit, ctx, step)
        if (r.failure) failures.push({ unit, error: r.failure })
        return r.entry
      } catch (err) {
        const error = err instanceof EdgeError ? err : new EdgeError('INTERNAL', String((err as Error)?.message ?? err), { cause: err })
        if (ctx.signal.aborted) throw err
        failures.push({ unit, error })
        ctx.log('error', `${unit.label}: ${error.message}`)
        return onError(unit, error, ctx)
      } finally {
        await shell?.close?.().catch(() => undefined)
      }
    })
    finish(ctx, entries)
    const first = failures[0]
    if (!first) return
    if (single) throw first.error
    throw new EdgeError(
      'DEPLOY_UNITS_FAILED',
      `${failures.length} of ${units.length} units failed (${failures.map((f) => `${f.unit.label}: ${f.error.message}`).join('; ').slice(0, 600)})`
    )
  })
  return job.id
}
