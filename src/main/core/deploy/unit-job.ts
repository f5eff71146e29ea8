// What the three deploy jobs (runtime install, push, rollback) share: targets resolved before the
// job starts (a typo fails the call, with nothing contacted), one SSH session per unit with the job's
// cancel signal and secrets, a concurrency cap, per-unit history entries, and one plain error at the
// end that names the failed units. A push can also be a staged rollout (canary first, a failure limit).
import os from 'node:os'
import type { RolloutGates, RolloutStop } from '../../../shared/deploy'
import { rolloutStopText, unitsText } from '../../../shared/rollout-text'
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

/** A staged rollout: the canary units first; the rest only when none of them failed, and no more once failures pass maxFail. */
export interface Rollout {
  canary: Unit[]
  /** Failures among the rest that are tolerated; the next one stops the rollout. null: no limit. */
  maxFail: number | null
  /** Benchmark limits each canary must meet (the job that runs the rollout checks them). */
  gates?: RolloutGates | undefined
}

/** Picks the canary out of the units: the first N, or the units named (each must be one of them). */
export function rolloutFor(
  devices: UnitJobDeps['devices'],
  units: readonly Unit[],
  canary: number | readonly string[] | undefined,
  maxFail: number | undefined,
  gates?: RolloutGates | undefined
): Rollout | null {
  if (canary === undefined) {
    if (gates) throw new EdgeError('INVALID_INPUT', 'benchmark limits are checked on the canary: name it with --canary (a number of units or their names)')
    if (maxFail === undefined) return null
    return { canary: [], maxFail }
  }
  const key = (t: ResolvedTarget) => `${t.user}@${t.host}:${t.port}`
  const named =
    typeof canary === 'number'
      ? units.slice(0, canary)
      : canary.map((ref) => {
          const t = resolveTarget(devices, ref)
          const unit = units.find((u) => key(u) === key(t))
          if (!unit) throw new EdgeError('INVALID_INPUT', `canary ${ref} is not one of the units to push to; name it among the targets too`)
          return unit
        })
  const picked = [...new Set(named)]
  if (picked.length >= units.length) throw new EdgeError('INVALID_INPUT', `a canary of ${picked.length} leaves no units for the rest of the rollout; push to more units or name fewer as canary`)
  return { canary: picked, maxFail: maxFail ?? 0, gates }
}

/**
 * Starts a job that runs `work` on every unit (a session each, closed afterwards). `work` returns
 * the unit's result entry; a thrown error becomes `onError`'s entry. The job fails when any unit did.
 * With a rollout, units that are not started (the canary failed, too many failures) get `onSkip`'s
 * entry, and `finish` hears why the rollout stopped.
 */
export function startUnitJob<R extends { error: string | null }>(
  deps: UnitJobDeps,
  spec: Omit<JobSpec, 'deviceId'> & { units: Unit[]; password?: string | undefined; concurrency?: number | undefined; rollout?: Rollout | null },
  work: (shell: DeviceShell, unit: Unit, ctx: JobContext, step: <T>(name: string | Text, fn: () => Promise<T>) => Promise<T>) => Promise<{ entry: R; failure?: EdgeError }>,
  onError: (unit: Unit, error: EdgeError, ctx: JobContext) => R,
  finish: (ctx: JobContext, entries: R[], stopped: RolloutStop | null) => void,
  onSkip?: (unit: Unit, reason: string, ctx: JobContext) => R
): string {
  const { units, rollout } = spec
  const single = units.length === 1 ? units[0] : undefined
  const job = deps.jobs.start({ kind: spec.kind, title: spec.title, unit: spec.unit, deviceId: single?.device?.id ?? null }, async (ctx) => {
    if (spec.password) ctx.secret(spec.password)
    const failures: { unit: Unit; error: EdgeError }[] = []
    const one = async (unit: Unit): Promise<R> => {
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
    }
    const concurrency = spec.concurrency ?? 4
    let stopped: RolloutStop | null = null
    let entries: R[]
    if (!rollout) {
      entries = await runUnits(units, concurrency, one)
    } else {
      const rest = units.filter((u) => !rollout.canary.includes(u))
      const canary = await runUnits(rollout.canary, rollout.canary.length, one)
      if (failures.length > 0) stopped = { reason: 'canary', units: failures.map((f) => f.unit.label) }
      const skip = (unit: Unit, reason: string): R => {
        ctx.log('warn', `${unit.label}: not started, ${reason}`)
        return onSkip ? onSkip(unit, reason, ctx) : onError(unit, new EdgeError('DEPLOY_UNITS_FAILED', `not started: ${reason}`), ctx)
      }
      // Past a failed canary every failure counted here is the rest's own.
      const later = await runUnits(rest, concurrency, async (unit) => {
        if (!stopped && rollout.maxFail !== null && failures.length > rollout.maxFail) stopped = { reason: 'max-fail', failed: failures.length, allowed: rollout.maxFail }
        return stopped ? skip(unit, `the rollout stopped: ${rolloutStopText(stopped)}`) : one(unit)
      })
      entries = [...canary, ...later]
    }
    finish(ctx, entries, stopped)
    const first = failures[0]
    if (!first) return
    if (single) throw first.error
    const failed = `${failures.length} of ${units.length} units failed (${failures.map((f) => `${f.unit.label}: ${f.error.message}`).join('; ').slice(0, 600)})`
    if (!stopped) throw new EdgeError('DEPLOY_UNITS_FAILED', failed)
    const notStarted = entries.length - failures.length - entries.filter((e) => e.error === null).length
    throw new EdgeError('ROLLOUT_STOPPED', `${rolloutStopText(stopped)}: ${unitsText(notStarted)} not started; ${failed}`)
  })
  return job.id
}
