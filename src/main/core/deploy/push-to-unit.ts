// One model version onto one unit: look (current, probe), upload what is missing (a stream with byte
// progress, sha256 checked on the unit, fsync, rename), switch `current`, and read /health on the
// unit. When the agent refuses the new model, or gives no verdict in time, `current` goes back to
// the version it named before and the unit is checked to serve it again: the job then fails with
// MODEL_PUSH_ROLLED_BACK, saying why. Old versions beyond the newest `keep` are pruned.
import path from 'node:path'
import type { Text } from '../../../shared/domain'
import { EdgeError } from '../../../shared/errors'
import { text } from '../../../shared/texts'
import { deviceLayout, modelPruneSteps, modelPushPlan, modelSwitchSteps, type DeviceLayout, type RunStep } from '../runtime'
import { waitForService, waitForVersion, type SwitchVerdict, type WaitOptions } from './device-health'
import type { DeviceShell } from './device-shell'
import { runBatch, runPlanStep, runRaw, StepFailedError, type StepIo } from './run-plan-step'
import { currentModelVersion, listModelVersions, removeVersion } from './unit-models'

export interface PushModel {
  name: string
  version: string
  sha256: string
  size: number
  localFile: string
}

export interface PushUnitOptions {
  /** Model versions kept on the unit (the current and the rollback target always are). */
  keep?: number
  /** How long the service may take to load the new version and say so. */
  loadTimeoutMs?: number
  /** How long the service may take to answer at all before the switch (it may be starting). */
  serviceTimeoutMs?: number
  layout?: DeviceLayout
  wait?: Pick<WaitOptions, 'pollMs' | 'sleep' | 'now'>
}

export interface PushUnitIo extends StepIo {
  /** Marks a phase of the push (a job step). */
  phase<T>(name: string | Text, fn: () => Promise<T>): Promise<T>
}

export type PushUnitResult =
  | { outcome: 'pushed' | 'already-current'; uploadedBytes: number; previousVersion: string | null; servingVersion: string }
  | { outcome: 'rolled-back'; uploadedBytes: number; previousVersion: string; servingVersion: string; error: EdgeError }

export async function pushToUnit(shell: DeviceShell, model: PushModel, opts: PushUnitOptions, io: PushUnitIo): Promise<PushUnitResult> {
  const layout = opts.layout ?? deviceLayout()
  const { signal } = io
  const plan = modelPushPlan({ ...model, sshUser: shell.user, layout })
  const waitOpts = (timeoutMs: number): WaitOptions => ({ signal, timeoutMs, ...opts.wait })
  const loadTimeoutMs = opts.loadTimeoutMs ?? 90_000

  const { previous, present } = await io.phase(text('step.lookAtUnit'), async () => {
    const previous = await currentModelVersion(shell, signal, layout)
    const present = (await runRaw(shell, plan.probe, signal)).code === 0
    io.log('info', `Serving ${previous ?? 'no model'}; ${model.version} ${present ? 'is already on the unit (nothing to upload)' : 'is not on the unit yet'}`)
    return { previous, present }
  })

  if (present && previous === model.version) {
    const v = await io.phase(text('step.checkHealth'), () => waitForVersion(shell, model.version, waitOpts(loadTimeoutMs)))
    if (v.state === 'serving') return { outcome: 'already-current', uploadedBytes: 0, previousVersion: previous, servingVersion: model.version }
    io.log('warn', `${model.version} is current but not served (${describe(v)}); switching again`)
  }

  let uploadedBytes = 0
  if (!present) {
    await io.phase(text('step.upload', { model: model.name, version: model.version }), async () => {
      // One round trip (see runBatch): the conflict check, a clean staging folder and meta.json, the
      // file streamed in, its sha256 checked on the unit, made root's, flushed, renamed, flushed.
      const finalDir = path.posix.join(layout.modelsDir, model.version)
      const conflict: RunStep = { kind: 'run', id: 'model-conflict', title: `Check that the unit has no other ${model.version}`, argv: ['test', '!', '-e', finalDir], sudo: false }
      io.log('info', `Upload ${model.name} ${model.version} (${(model.size / 1e6).toFixed(1)} MB), check it against its sha256 on the unit and move it into place`)
      try {
        await runBatch(shell, [conflict, ...plan.upload], io).catch((err: unknown) => {
          // A different models/<version> would make the final rename fail: say so, before anything is sent.
          if (err instanceof StepFailedError && err.stepId === conflict.id) throw new EdgeError('MODEL_VERSION_CONFLICT', `${model.version} on ${shell.where}`)
          throw err
        })
        uploadedBytes = model.size
      } catch (err) {
        if (!signal.aborted && !(err instanceof EdgeError && err.code === 'MODEL_VERSION_CONFLICT')) for (const step of plan.cleanup) await runPlanStep(shell, step, io).catch(() => undefined)
        throw err
      }
    })
  }

  // The switch only happens while the service answers: otherwise nobody would load, judge or roll back.
  await io.phase(text('step.checkService'), () => waitForService(shell, waitOpts(opts.serviceTimeoutMs ?? 90_000)))
  await io.phase(text('step.switchTo', { version: model.version }), () => runBatch(shell, plan.activate, io))
  const verdict = await io.phase(text('step.checkServes', { version: model.version }), () => waitForVersion(shell, model.version, waitOpts(loadTimeoutMs)))

  if (verdict.state === 'serving') {
    io.log('info', `${shell.where} serves ${model.name} ${model.version}`)
    await io.phase(text('step.removeOldVersions'), () => prune(shell, [model.version, previous].filter((v): v is string => !!v), opts.keep ?? 3, layout, io)).catch((err: unknown) =>
      // Serving the new version is what matters; a failed clean-up is only worth a warning.
      io.log('warn', `Old versions were not removed: ${(err as Error).message}`)
    )
    return { outcome: 'pushed', uploadedBytes, previousVersion: previous, servingVersion: model.version }
  }

  const why = describe(verdict)
  io.log('error', `${model.version} does not serve on ${shell.where}: ${why}`)
  if (!previous || previous === model.version) throw new EdgeError('MODEL_PUSH_NOT_LOADED', `${model.name} ${model.version} on ${shell.where}: ${why}`)
  await io.phase(text('step.rollBackTo', { version: previous }), () => switchAndWait(shell, previous, layout, io, waitOpts(loadTimeoutMs), why)).catch((err: unknown) => {
    if (signal.aborted || (err instanceof EdgeError && err.code === 'MODEL_ROLLBACK_FAILED')) throw err
    // Never a bare step error here: the message must say the unit is between versions.
    throw new EdgeError('MODEL_ROLLBACK_FAILED', `${previous} on ${shell.where}: ${(err as Error).message} (after ${model.version} did not serve: ${why})`, { cause: err })
  })
  if (verdict.state === 'failed') {
    // It cannot load, so it must not stay a rollback target or count towards the kept versions.
    await removeVersion(shell, model.version, io, layout).catch((err: unknown) => io.log('warn', `Could not remove ${model.version}: ${(err as Error).message}`))
  }
  const error = new EdgeError('MODEL_PUSH_ROLLED_BACK', `${model.name} ${model.version} on ${shell.where}: ${why}; serving ${previous} again`)
  return { outcome: 'rolled-back', uploadedBytes, previousVersion: previous, servingVersion: previous, error }
}

/** Moves `current` to a version already on the unit and waits until the service serves it. */
export async function switchAndWait(shell: DeviceShell, version: string, layout: DeviceLayout, io: StepIo, wait: WaitOptions, context?: string): Promise<void> {
  await runBatch(shell, modelSwitchSteps(version, layout), io)
  const v = await waitForVersion(shell, version, wait)
  if (v.state !== 'serving') {
    throw new EdgeError('MODEL_ROLLBACK_FAILED', `${version} on ${shell.where}: ${describe(v)}${context ? ` (after: ${context})` : ''}`)
  }
}

async function prune(shell: DeviceShell, protect: string[], keep: number, layout: DeviceLayout, io: StepIo): Promise<void> {
  const { raw } = await listModelVersions(shell, io.signal, layout)
  await runBatch(shell, modelPruneSteps(raw, protect, keep, layout), io)
}

export function describe(v: SwitchVerdict): string {
  switch (v.state) {
    case 'serving':
      return `serving ${v.version}`
    case 'failed':
      return `it did not load (${v.message})`
    case 'timeout':
      return `no answer that it serves it in time (${v.reason})`
  }
}
