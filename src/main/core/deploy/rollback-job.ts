// `models.rollback`: `current` back to the version pushed before (or a named one) on each unit, the
// service checked to serve it, and a history entry with the model and sha256 it now serves.
import type { ModelRollbackResult } from '../../../shared/deploy'
import { text } from '../../../shared/texts'
import { rollbackUnit, type RollbackUnitOptions } from './rollback-unit'
import { readModelMeta } from './unit-models'
import { startUnitJob, unitsWhere, type Unit, type UnitJobDeps } from './unit-job'

export interface RollbackRequest {
  units: Unit[]
  version?: string | undefined
  password?: string | undefined
  who: string
}

type UnitEntry = ModelRollbackResult['units'][number]

export function startRollbackJob(deps: UnitJobDeps & { rollbackOptions?: Omit<RollbackUnitOptions, 'version'> }, req: RollbackRequest): string {
  const entry = (unit: Unit, rest: Omit<UnitEntry, 'target' | 'deviceId' | 'deviceName'>): UnitEntry => ({ target: unit.ref, deviceId: unit.device?.id ?? null, deviceName: unit.device?.name ?? null, ...rest })
  const addHistory = (unit: Unit, jobId: string, outcome: 'ok' | 'failed', text: string) =>
    deps.history.add({ kind: 'model.rolled-back', deviceId: unit.device?.id ?? null, deviceName: unit.label, jobId, summary: `${text.replace(/\.$/, '')}; by ${req.who}`, outcome })
  const where = unitsWhere(req.units)
  return startUnitJob<UnitEntry>(
    deps,
    { kind: 'models.rollback', title: req.version ? text('job.rollbackTo', { where, version: req.version }) : text('job.rollback', { where }), units: req.units, password: req.password, concurrency: 8 },
    async (shell, unit, ctx, step) => {
      const r = await step(req.version ? text('step.switchTo', { version: req.version }) : text('step.switchToPrevious'), () =>
        rollbackUnit(shell, { ...deps.rollbackOptions, version: req.version }, { signal: ctx.signal, log: (l, t) => ctx.log(l, t) })
      )
      const meta = await readModelMeta(shell, r.toVersion, ctx.signal, deps.rollbackOptions?.layout)
      addHistory(unit, ctx.jobId, 'ok', `Rolled back from ${r.fromVersion ?? 'no model'} to ${meta ? `${meta.name} ${meta.version} (sha256 ${meta.sha256})` : r.toVersion}; serving it`)
      return { entry: entry(unit, { outcome: 'switched', fromVersion: r.fromVersion, toVersion: r.toVersion, error: null }) }
    },
    (unit, error, ctx) => {
      addHistory(unit, ctx.jobId, 'failed', `Rollback${req.version ? ` to ${req.version}` : ''} failed: ${error.message}`)
      return entry(unit, { outcome: 'failed', fromVersion: null, toVersion: req.version ?? null, error: error.message })
    },
    (ctx, units) => ctx.setResult({ kind: 'models.rollback', units } satisfies ModelRollbackResult)
  )
}
