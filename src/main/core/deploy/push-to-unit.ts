// One model version onto one unit: look (current, probe), check that the service answers, bring the
// file over the cheapest way that works (nothing when the unit has the same file under another
// version; a delta from the version it serves when this computer still has that one; else the whole
// file, streamed with byte progress), check its sha256 on the unit, fsync, rename, switch `current`
// (all in one command), and read /health on the unit. When the agent refuses the new model, or gives no verdict in time, `current` goes back to
// the version it named before and the unit is checked to serve it again: the job then fails with
// MODEL_PUSH_ROLLED_BACK, saying why. Old versions beyond the newest `keep` are pruned.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { PushMethod } from '../../../shared/deploy'
import type { Text } from '../../../shared/domain'
import { EdgeError } from '../../../shared/errors'
import { formatBytes } from '../../../shared/format'
import { text } from '../../../shared/texts'
import { deviceLayout, modelCurrentStep, modelPruneSteps, modelPushPlan, modelSwitchSteps, sameContentVersions, type DeviceLayout, type PlanStep, type RunStep } from '../runtime'
import { waitForService, waitForVersion, type SwitchVerdict, type WaitOptions } from './device-health'
import type { DeviceShell } from './device-shell'
import { runBatch, runLook, runPlanStep, StepFailedError, type StepIo } from './run-plan-step'
import { deltaBetween } from './model-delta'
import { listModelVersions, parseModelMeta, readModelMeta, removeVersion, versionOfLink } from './unit-models'

export interface PushModel {
  name: string
  version: string
  sha256: string
  size: number
  localFile: string
  /** This computer's copy of a model file by sha256, when it has one: a delta's base. */
  fileFor?: (sha256: string) => string | null
  /** How deltas are made (a job shares one per base among its units; see sharedDeltas). */
  deltas?: typeof deltaBetween
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
  /** false: always send the whole file (`--no-delta`). */
  delta?: boolean
}

export interface PushUnitIo extends StepIo {
  /** Marks a phase of the push (a job step). */
  phase<T>(name: string | Text, fn: () => Promise<T>): Promise<T>
  /** How many bytes will go over the link, once that is known (0, a delta's size, or the file's). */
  onSendSize?: (bytes: number) => void
}

interface Sent {
  method: PushMethod
  bytesSent: number
  /** The version the file was made from: the identical one (reuse) or the delta's base. */
  base: string | null
}

export type PushUnitResult =
  | (Sent & { outcome: 'pushed' | 'already-current'; previousVersion: string | null; servingVersion: string })
  | (Sent & { outcome: 'rolled-back'; previousVersion: string; servingVersion: string; error: EdgeError })

export async function pushToUnit(shell: DeviceShell, model: PushModel, opts: PushUnitOptions, io: PushUnitIo): Promise<PushUnitResult> {
  const layout = opts.layout ?? deviceLayout()
  const { signal } = io
  const plan = modelPushPlan({ ...model, sshUser: shell.user, layout })
  const waitOpts = (timeoutMs: number): WaitOptions => ({ signal, timeoutMs, ...opts.wait })
  const loadTimeoutMs = opts.loadTimeoutMs ?? 90_000

  // One round trip (on an emulated Pi each command costs about 0.25 s, on a hotspot a latency).
  const { previous, present, same, servedMeta } = await io.phase(text('step.lookAtUnit'), async () => {
    const [current, probe, found, meta] = await runLook(shell, [modelCurrentStep(layout), plan.probe, plan.findSame, plan.currentMeta], signal)
    const previous = current?.ok ? versionOfLink(current.stdout) : null
    const present = probe?.ok === true
    const same = present ? [] : sameContentVersions(found?.stdout ?? '', model.version)
    const where = same.length ? `is not on the unit, but the same file is (as ${same[0]})` : 'is not on the unit yet'
    io.log('info', `Serving ${previous ?? 'no model'}; ${model.version} ${present ? 'is already on the unit (nothing to upload)' : where}`)
    return { previous, present, same, servedMeta: meta?.ok ? parseModelMeta(meta.stdout) : null }
  })
  if (present) io.onSendSize?.(0)

  if (present && previous === model.version) {
    const v = await io.phase(text('step.checkHealth'), () => waitForVersion(shell, model.version, waitOpts(loadTimeoutMs)))
    if (v.state === 'serving') return { outcome: 'already-current', method: 'none', bytesSent: 0, base: null, previousVersion: previous, servingVersion: model.version }
    io.log('warn', `${model.version} is current but not served (${describe(v)}); switching again`)
  }

  // The switch only happens while the service answers: otherwise nobody would load, judge or roll
  // back. Asked before anything is sent, so a unit whose service is down costs no upload either.
  await io.phase(text('step.checkService'), () => waitForService(shell, waitOpts(opts.serviceTimeoutMs ?? 90_000)))

  // One round trip each (see runBatch): the conflict check, a clean staging folder and meta.json, the
  // file (sent, or linked from another version), its sha256 checked on the unit, made root's,
  // flushed, renamed, flushed, and `current` switched to it (a command of its own would cost a
  // second SSH channel and sudo: 1-2 s on an emulated Pi). A power cut anywhere in it leaves either
  // the old `current` (the complete new version is then only switched to by the next push) or the new.
  const finalDir = path.posix.join(layout.modelsDir, model.version)
  const conflict: RunStep = { kind: 'run', id: 'model-conflict', title: `Check that the unit has no other ${model.version}`, argv: ['test', '!', '-e', finalDir], sudo: false }
  const switchIds = new Set(plan.activate.map((st) => st.id))
  /** The version is in place but `current` did not move: no other way of bringing the file helps. */
  const switchFailed = (err: unknown) => err instanceof StepFailedError && switchIds.has(err.stepId)
  const stage = async (steps: PlanStep[]) => {
    try {
      await runBatch(shell, [conflict, ...steps, ...plan.activate], io).catch((err: unknown) => {
        // A different models/<version> would make the final rename fail: say so, before anything is sent.
        if (err instanceof StepFailedError && err.stepId === conflict.id) throw new EdgeError('MODEL_VERSION_CONFLICT', `${model.version} on ${shell.where}`)
        throw err
      })
    } catch (err) {
      if (!signal.aborted && !switchFailed(err) && !(err instanceof EdgeError && err.code === 'MODEL_VERSION_CONFLICT')) for (const step of plan.cleanup) await runPlanStep(shell, step, io).catch(() => undefined)
      // Every tool says it the same way (dd, cp, gzip, the agent's applier: ENOSPC's text). No other
      // way of bringing the file can fit either, so none is tried: over a thin link that would be
      // the whole file sent for nothing.
      if (err instanceof StepFailedError && /No space left on device/i.test(err.output)) {
        throw new EdgeError('MODEL_DISK_FULL', `${model.name} ${model.version}, ${formatBytes(model.size)}, on ${shell.where}`, { cause: err })
      }
      throw err
    }
  }

  const sent: Sent = present ? { method: 'none', bytesSent: 0, base: null } : await bringFile()
  async function bringFile(): Promise<Sent> {
    const source = same[0]
    if (source) {
      const made = await io.phase(text('step.reuseOnUnit', { version: source }), async () => {
        io.onSendSize?.(0)
        io.log('info', `Make ${model.version} from the identical file of ${source} on the unit, check it against its sha256, move it into place and switch to it (nothing to send)`)
        return attempt(() => stage(plan.reuse(source)), `the file of ${source} on the unit`)
      })
      if (made) return { method: 'reuse', bytesSent: 0, base: source }
    }
    const base = opts.delta === false || !previous ? null : await deltaBase(previous)
    if (base) {
      const sentBytes = await io.phase(text('step.sendDelta', { version: model.version, base: base.version }), () => sendDelta(base))
      if (sentBytes !== null) return { method: 'delta', bytesSent: sentBytes, base: base.version }
    }
    return io.phase(text('step.upload', { model: model.name, version: model.version }), async () => {
      io.onSendSize?.(model.size)
      io.log('info', `Upload ${model.name} ${model.version} (${formatBytes(model.size)}), check it against its sha256 on the unit, move it into place and switch to it`)
      await stage(plan.upload)
      return { method: 'full', bytesSent: model.size, base: null }
    })
  }

  /** Runs a cheaper way of bringing the file; false (and a warning) when it failed in a way the full upload may not. */
  async function attempt(fn: () => Promise<void>, what: string): Promise<boolean> {
    try {
      await fn()
      return true
    } catch (err) {
      if (signal.aborted || switchFailed(err) || (err instanceof EdgeError && (err.code === 'MODEL_VERSION_CONFLICT' || err.code === 'MODEL_DISK_FULL'))) throw err
      io.log('warn', `Could not use ${what} (${(err as Error).message}); sending the file another way`)
      return false
    }
  }

  /** The served version as a delta's base: it must be a version of the same model whose file this computer has. */
  async function deltaBase(version: string): Promise<{ version: string; file: string } | null> {
    if (!model.fileFor) return null
    const meta = servedMeta?.version === version ? servedMeta : await readModelMeta(shell, version, signal, layout)
    const file = meta && meta.name === model.name ? model.fileFor(meta.sha256) : null
    return file ? { version, file } : null
  }

  async function sendDelta(base: { version: string; file: string }): Promise<number | null> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'edgedock-delta-'))
    try {
      const local = path.join(dir, 'model.delta.br')
      const d = await (model.deltas ?? deltaBetween)(base.file, model.localFile)
      if (!d) {
        io.log('info', `${model.version} shares too little with ${base.version} for a delta to pay`)
        return null
      }
      await writeFile(local, d.bytes, { mode: 0o600 })
      const size = d.bytes.length
      io.onSendSize?.(size)
      io.log('info', `Send the changes from ${base.version}: ${formatBytes(size)} of ${formatBytes(model.size)} (${formatBytes(d.copied)} of the file is already on the unit)`)
      return (await attempt(() => stage(plan.delta(base.version, { local, size, sha256: d.sha256 })), `a delta from ${base.version}`)) ? size : null
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  }

  // Already on the unit (a retry after a power cut, or a switch back): only the switch is left.
  if (present) await io.phase(text('step.switchTo', { version: model.version }), () => runBatch(shell, plan.activate, io))
  const verdict = await io.phase(text('step.checkServes', { version: model.version }), () => waitForVersion(shell, model.version, waitOpts(loadTimeoutMs)))

  if (verdict.state === 'serving') {
    io.log('info', `${shell.where} serves ${model.name} ${model.version}`)
    await io.phase(text('step.removeOldVersions'), () => prune(shell, [model.version, previous].filter((v): v is string => !!v), opts.keep ?? 3, layout, io)).catch((err: unknown) =>
      // Serving the new version is what matters; a failed clean-up is only worth a warning.
      io.log('warn', `Old versions were not removed: ${(err as Error).message}`)
    )
    return { outcome: 'pushed', ...sent, previousVersion: previous, servingVersion: model.version }
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
  return { outcome: 'rolled-back', ...sent, previousVersion: previous, servingVersion: previous, error }
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
