// `models.push`: one library model onto units. Per unit: connect, make sure a runtime is there
// (installed if the unit has none), push (see push-to-unit.ts), history entry. Progress is bytes
// over all units; units that already have the version drop out of the total. In a rollout each canary
// may also have to pass a quick benchmark against limits before the rest go.
import type { ModelPushResult } from '../../../shared/deploy'
import type { Text } from '../../../shared/domain'
import { EdgeError } from '../../../shared/errors'
import { sentText } from '../../../shared/push-sent'
import { text } from '../../../shared/texts'
import type { ModelStore } from '../models/model-store'
import type { RuntimeInstaller } from '../provision/remote-shell'
import type { DeviceLayout } from '../runtime'
import { waitForService } from './device-health'
import type { DeviceShell } from './device-shell'
import { benchServedModel } from '../bench/served-model-bench'
import { sharedDeltas } from './model-delta'
import { pushToUnit, type PushModel, type PushUnitOptions } from './push-to-unit'
import { currentRuntimeVersion } from './unit-models'
import { startUnitJob, unitsWhere, type Rollout, type Unit, type UnitJobDeps } from './unit-job'

export interface PushJobDeps extends UnitJobDeps {
  models: Pick<ModelStore, 'get' | 'filePath' | 'fileIfPresent'>
  runtimeFor: (sshUser: string) => RuntimeInstaller
  pushOptions?: PushUnitOptions
  /** The canary's benchmark; by default the agent's runner on the unit (tests stand in for it). */
  benchServed?: typeof benchServedModel
}

/** A rollout's canary gate: a quick benchmark of what the unit now serves, all threads, no samples. */
const GATE_SETTINGS = { preset: 'quick', profileOps: false } as const

export interface PushRequest {
  units: Unit[]
  ref: string
  version?: string | undefined
  password?: string | undefined
  concurrency?: number | undefined
  /** false: always the whole file. */
  delta?: boolean | undefined
  /** Canary first, then the rest with a failure limit (unit-job.ts). */
  rollout?: Rollout | null | undefined
  who: string
}

type UnitEntry = ModelPushResult['units'][number]

export function startPushJob(deps: PushJobDeps, req: PushRequest): string {
  // Before the job: an unknown model fails the call itself.
  const record = deps.models.get(req.ref)
  const model: PushModel = {
    name: record.name,
    version: req.version ?? record.version,
    sha256: record.sha256,
    size: record.sizeBytes,
    localFile: deps.models.filePath(record.sha256),
    fileFor: (sha256) => deps.models.fileIfPresent(sha256),
    deltas: sharedDeltas()
  }
  const what = `${model.name} ${model.version}`
  const sent = new Map<Unit, number>()
  const planned = new Map<Unit, number>()
  let total = model.size * req.units.length
  const started = new Map<Unit, number>()
  const stage = (unit: Unit) => (req.rollout ? (req.rollout.canary.includes(unit) ? 'canary' : 'rest') : null)
  const entry = (unit: Unit, rest: Omit<UnitEntry, 'target' | 'deviceId' | 'deviceName' | 'stage' | 'durationMs'>): UnitEntry => ({
    target: unit.ref,
    deviceId: unit.device?.id ?? null,
    deviceName: unit.device?.name ?? null,
    stage: stage(unit),
    durationMs: started.has(unit) ? Date.now() - (started.get(unit) as number) : 0,
    ...rest
  })
  const addHistory = (unit: Unit, jobId: string, outcome: 'ok' | 'failed', text: string) =>
    deps.history.add({ kind: 'model.pushed', deviceId: unit.device?.id ?? null, deviceName: unit.label, jobId, summary: `${text.replace(/\.$/, '')}; by ${req.who}`, outcome })
  const sha = `sha256 ${model.sha256}`

  return startUnitJob<UnitEntry>(
    deps,
    {
      kind: 'models.push',
      title: text('job.push', { model: what, where: unitsWhere(req.units) }),
      unit: 'bytes',
      units: req.units,
      password: req.password,
      concurrency: req.concurrency,
      rollout: req.rollout
    },
    async (shell, unit, ctx, step) => {
      started.set(unit, Date.now())
      const progress = () => ctx.progress([...sent.values()].reduce((a, b) => a + b, 0), total)
      await ensureRuntime(shell, deps.runtimeFor(unit.user), ctx.signal, (t) => ctx.log('info', t), step, deps.pushOptions?.layout)
      const r = await pushToUnit(shell, model, { ...deps.pushOptions, ...(req.delta === false ? { delta: false } : {}) }, {
        signal: ctx.signal,
        log: (level, text) => ctx.log(level, text),
        phase: step,
        // The total counts what will be sent: nothing, a delta, or the whole file.
        onSendSize: (bytes) => {
          total += bytes - (planned.get(unit) ?? model.size)
          planned.set(unit, bytes)
          progress()
        },
        onUploadProgress: (done) => {
          sent.set(unit, done)
          progress()
        }
      })
      const how = { method: r.method, bytesSent: r.bytesSent, fileBytes: model.size, base: r.base }
      const rolledBack = r.outcome === 'rolled-back'
      let failure: EdgeError | undefined = rolledBack ? r.error : undefined
      // The canary serves the new version: before the rest go, it must also be fast enough.
      let gate: UnitEntry['gate'] = null
      const gates = req.rollout?.gates
      if (gates && stage(unit) === 'canary' && !rolledBack) {
        const b = await step(text('step.canaryGate'), () =>
          (deps.benchServed ?? benchServedModel)((argv, timeoutMs) => shell.run(argv, { signal: ctx.signal, timeoutMs }), {
            settings: GATE_SETTINGS,
            threads: 0,
            samples: null,
            gates,
            layout: deps.pushOptions?.layout,
            where: `the canary ${unit.label}`
          })
        )
        gate = { summary: b.summary, met: b.verdict.met, missed: b.verdict.missed }
        ctx.log(b.verdict.missed.length ? 'warn' : 'info', `${unit.label}: benchmark ${b.summary}`)
        if (b.verdict.missed.length) failure = new EdgeError('ROLLOUT_GATE_MISSED', `${unit.label} serves ${what} but misses the rollout's limits: ${b.verdict.missed.join('; ')} (${b.summary})`)
      }
      const gateText = gate ? `; benchmark ${gate.summary}${gate.missed.length ? `, misses ${gate.missed.join('; ')}` : ', within the limits'}` : ''
      const summary = rolledBack
        ? `Push of ${what} (${sha}) rolled back: ${r.error.detail}`
        : `${r.outcome === 'already-current' ? `${what} (${sha}) was already served; nothing sent` : `Pushed ${what} (${sha}); ${sentText(how)}; serving it`}${gateText}`
      addHistory(unit, ctx.jobId, failure ? 'failed' : 'ok', summary)
      return {
        entry: entry(unit, {
          outcome: r.outcome,
          ...how,
          previousVersion: r.previousVersion,
          servingVersion: r.servingVersion,
          gate,
          error: failure?.message ?? null
        }),
        ...(failure ? { failure } : {})
      }
    },
    (unit, error, ctx) => {
      addHistory(unit, ctx.jobId, 'failed', `Push of ${what} (${sha}) failed: ${error.message}`)
      return entry(unit, { outcome: 'failed', method: 'full', bytesSent: sent.get(unit) ?? 0, fileBytes: model.size, base: null, previousVersion: null, servingVersion: null, gate: null, error: error.message })
    },
    (ctx, units, stopped) =>
      ctx.setResult({
        kind: 'models.push',
        model: { name: model.name, version: model.version, sha256: model.sha256 },
        units,
        rollout: req.rollout ? { canary: req.rollout.canary.map((u) => u.label), maxFail: req.rollout.maxFail, stopped } : null
      } satisfies ModelPushResult),
    (unit, reason, ctx) => {
      // Never contacted: its bytes leave the total, and history says it was held back and why.
      total -= planned.get(unit) ?? model.size
      ctx.progress([...sent.values()].reduce((a, b) => a + b, 0), total)
      addHistory(unit, ctx.jobId, 'failed', `Push of ${what} (${sha}) not started: ${reason}`)
      return entry(unit, { outcome: 'skipped', method: 'none', bytesSent: 0, fileBytes: model.size, base: null, previousVersion: null, servingVersion: null, gate: null, error: `not started: ${reason}` })
    }
  )
}

/**
 * A push needs a runtime on the unit. One that has none gets this EdgeDock's; one that has any
 * version keeps it (updating runtimes is `runtime install`'s job, not a side effect of a push).
 */
export async function ensureRuntime(
  shell: DeviceShell,
  installer: RuntimeInstaller,
  signal: AbortSignal,
  log: (text: string) => void,
  step: <T>(name: string | Text, fn: () => Promise<T>) => Promise<T>,
  layout?: DeviceLayout
): Promise<void> {
  const active = await currentRuntimeVersion(shell, signal, layout)
  if (active) {
    if (active !== installer.wanted()) log(`Runtime ${active} is installed (this EdgeDock has ${installer.wanted()}; "edgedock runtime install" updates it)`)
    return
  }
  await step(text('step.installRuntime'), async () => {
    await installer.install(shell, { signal, log })
    await waitForService(shell, { signal, timeoutMs: 120_000, pollMs: 2000 })
  })
}
