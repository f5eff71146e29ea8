// Models and the runtime on the device: install the runtime, push, roll back (jobs), read a unit's status.
import type { Services } from './services'
import { whoFor } from '../core/deploy/unit-job'
import type { HandlersFor } from './handlers'

export const runtimeApi = (s: Services) =>
  ({
    'runtime.install': ({ targets, password }, ctx) => ({ jobId: s.deploy.installRuntime({ targets, password, who: whoFor(ctx.transport) }) })
  }) satisfies HandlersFor<'runtime'>

/** Spread into modelsApi (the contract's `models` area). */
export const deployModelsApi = (s: Services) =>
  ({
    'models.push': (req, ctx) => ({ jobId: s.deploy.push({ ...req, who: whoFor(ctx.transport) }) }),
    'models.rollback': (req, ctx) => ({ jobId: s.deploy.rollback({ ...req, who: whoFor(ctx.transport) }) })
  }) satisfies Pick<HandlersFor<'models'>, 'models.push' | 'models.rollback'>

/** Spread into devicesApi (the contract's `devices` area). */
export const modelStatusApi = (s: Services) =>
  ({
    'devices.modelStatus': (req) => s.deploy.modelStatus(req)
  }) satisfies Pick<HandlersFor<'devices'>, 'devices.modelStatus'>
