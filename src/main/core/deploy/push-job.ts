// `models.push`: one library model onto units. Per unit: connect, make sure a runtime is there
// (installed if the unit has none), push (see push-to-unit.ts), history entry. Progress is bytes
// over all units; units that already have the version drop out of the total.
import type { ModelPushResult } from '../../../shared/deploy'
import type { Text } from '../../../shared/domain'
import type { EdgeError } from '../../../shared/errors'
import { sentText } from '../../../shared/push-sent'
import { text } from '../../../shared/texts'
import type { ModelStore } from '../models/model-store'
import type { RuntimeInstaller } from '../provision/remote-shell'
import type { DeviceLayout } from '../runtime'
import { waitForService } from './device-health'
import type { DeviceShell } from './device-shell'
import { pushToUnit, type PushModel, type PushUnitOptions } from './push-to-unit'
import { currentRuntimeVersion } from './unit-models'
import { startUnitJob, unitsWhere, type Unit, type UnitJobDeps } from './unit-job'

export interface PushJobDeps extends UnitJobDeps {
  models: Pick<ModelStore, 'get' | 'filePath' | 'fileIfPresent'>
  runtimeFor: (sshUser: string) => RuntimeInstaller
  pushOptions?: PushUnitOptions
}

export interface PushRequest {
  units: Unit[]
  ref: string
  version?: string | undefined
  password?: string | undefined
  concurrency?: number | undefined
  /** false: always the whole file. */
  delta?: boolean | undefined
  who: string
}

type UnitEntry = ModelPushResult['units'][number]

export function startPushJob(deps: PushJobDeps, req: PushRequest): string {
  // Before the job: an unknown model fails the call itself.
  const record = deps.models.get(req.ref)
  const model: PushModel = { name: record.name, version: req.version ?? record.version, sha256: record.sha256, size: record.sizeBytes, localFile: deps.models.filePath(record.sha256), fileFor: (sha256) => deps.models.fileIfPresent(sha256) }
  const what = `${model.name} ${model.version}`
  const sent = new Map<Unit, number>()
  const planned = new Map<Unit, number>()
  let total = model.size * req.units.length
  const entry = (unit: Unit, rest: Omit<UnitEntry, 'target' | 'deviceId' | 'deviceName'>): UnitEntry => ({ target: unit.ref, deviceId: unit.device?.id ?? null, deviceName: unit.device?.name ?? null, ...rest })
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
      concurrency: req.concurrency
    },
    async (shell, unit, ctx, step) => {
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
      const failure: EdgeError | undefined = rolledBack ? r.error : undefined
      addHistory(
        unit,
        ctx.jobId,
        rolledBack ? 'failed' : 'ok',
        rolledBack
          ? `Push of ${what} (${sha}) rolled back: ${r.error.detail}`
          : r.outcome === 'already-current'
            ? `${what} (${sha}) was already served; nothing sent`
            : `Pushed ${what} (${sha}); ${sentText(how)}; serving it`
      )
      return {
        entry: entry(unit, {
          outcome: r.outcome,
          ...how,
          previousVersion: r.previousVersion,
          servingVersion: r.servingVersion,
          error: failure?.message ?? null
        }),
        ...(failure ? { failure } : {})
      }
    },
    (unit, error, ctx) => {
      addHistory(unit, ctx.jobId, 'failed', `Push of ${what} (${sha}) failed: ${error.message}`)
      return entry(unit, { outcome: 'failed', method: 'full', bytesSent: sent.get(unit) ?? 0, fileBytes: model.size, base: null, previousVersion: null, servingVersion: null, error: error.message })
    },
    (ctx, units) => ctx.setResult({ kind: 'models.push', model: { name: model.name, version: model.version, sha256: model.sha256 }, units } satisfies ModelPushResult)
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
