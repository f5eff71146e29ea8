// Many units at once, as Ansible's `forks` and `max_fail_percentage`: at most `concurrency` units in
// flight; once more than `maxFail` units have failed no new unit starts (those running finish, so no
// unit is left half-configured by us walking away), and the rest are reported as not started.
import { EdgeError, serializeError } from '../../../shared/errors'
import { summarize, type FleetResult, type ProvisionEvent, type UnitResult } from './provision-types'
import type { RemoteShell } from './remote-shell'
import type { ResolvedUnit } from './resolve-units'
import { runUnit, type UnitRunOptions } from './run-unit'
import type { StepEnv } from './step-kind'
import type { Log } from './step-io'
import { abortableSleep } from '../abortable-sleep'

export interface FleetOptions {
  profile: string
  units: readonly ResolvedUnit[]
  dryRun: boolean
  /** Units in flight at once (default 4). */
  concurrency?: number
  /** Failures tolerated before no further unit starts (default: no limit). */
  maxFail?: number
  /** Opens an SSH session to a target; the SSH layer pins host keys and throws its own errors. */
  connect(target: string, signal: AbortSignal): Promise<RemoteShell>
  ports?: StepEnv['ports']
  publicKey?: string | readonly string[] | undefined
  signal?: AbortSignal
  log?: Log
  onEvent?: (event: ProvisionEvent) => void
  sleep?: StepEnv['sleep']
  now?: () => number
  stepHook?: UnitRunOptions['stepHook']
}

export async function runFleet(o: FleetOptions): Promise<FleetResult> {
  const signal = o.signal ?? new AbortController().signal
  const now = o.now ?? Date.now
  const log: Log = o.log ?? (() => undefined)
  const concurrency = Math.max(1, Math.floor(o.concurrency ?? 4))
  const maxFail = o.maxFail ?? Number.POSITIVE_INFINITY
  const results = new Array<UnitResult | undefined>(o.units.length)
  let next = 0
  let failed = 0
  let stopped = false

  const runOne = async (unit: ResolvedUnit): Promise<UnitResult> => {
    o.onEvent?.({ type: 'unit-started', target: unit.target })
    const started = now()
    let shell: RemoteShell | null = null
    // Each unit's session and commands listen on a signal of their own that follows the job's: eight
    // units' listeners on one signal made Node warn of a leak ("11 abort listeners") on the CLI.
    const unitSignal = AbortSignal.any([signal])
    try {
      shell = await o.connect(unit.target, unitSignal)
      return await runUnit({
        unit,
        shell,
        dryRun: o.dryRun,
        signal: unitSignal,
        ports: o.ports ?? {},
        publicKey: o.publicKey,
        log,
        onEvent: o.onEvent,
        sleep: o.sleep ?? abortableSleep,
        now,
        stepHook: o.stepHook
      })
    } catch (err) {
      // Only connecting can throw here: runUnit reports its own failures.
      const edge = err instanceof EdgeError ? err : new EdgeError('HOST_UNREACHABLE', unit.target, { cause: err })
      log('error', `[${unit.target}] ${edge.message}`)
      return {
        target: unit.target,
        ...(unit.line !== undefined ? { line: unit.line } : {}),
        status: signal.aborted ? 'cancelled' : 'failed',
        changes: 0,
        steps: [],
        handlers: [],
        error: serializeError(edge),
        durationMs: now() - started
      }
    } finally {
      await shell?.close?.().catch(() => undefined)
    }
  }

  const worker = async () => {
    while (next < o.units.length && !signal.aborted) {
      if (failed > maxFail) {
        if (!stopped) o.onEvent?.({ type: 'fleet-stopped', failed, maxFail })
        stopped = true
        return
      }
      const i = next++
      const unit = o.units[i] as ResolvedUnit
      const result = await runOne(unit)
      if (result.status === 'failed') failed++
      results[i] = result
      o.onEvent?.({ type: 'unit-finished', target: unit.target, result })
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, o.units.length) }, worker))

  const units = o.units.map(
    (unit, i): UnitResult =>
      results[i] ?? {
        target: unit.target,
        ...(unit.line !== undefined ? { line: unit.line } : {}),
        status: signal.aborted ? 'cancelled' : 'not-started',
        changes: 0,
        steps: [],
        handlers: [],
        durationMs: 0
      }
  )
  const result: FleetResult = { profile: o.profile, dryRun: o.dryRun, units, summary: summarize(units), stoppedEarly: stopped }
  if (stopped) result.error = serializeError(new EdgeError('PROVISION_MAX_FAILURES', `${failed} failed, ${maxFail} allowed`))
  return result
}

/** "Retry failed": the units of a previous run that failed or never started; succeeded ones are left alone. */
export function unitsToRetry<T extends { target: string }>(previous: FleetResult, units: readonly T[]): T[] {
  const again = new Set(previous.units.filter((u) => u.status === 'failed' || u.status === 'not-started' || u.status === 'cancelled').map((u) => u.target))
  return units.filter((u) => again.has(u.target))
}
