// Models and the runtime on units, as the app runs them: jobs for runtime install, push and
// rollback over SSH sessions with EdgeDock's key, a status read with a time limit, and the
// ModelInstaller port provisioning's `model` step uses.
import type { DeviceModelStatus, RolloutGates } from '../../../shared/deploy'
import { EdgeError } from '../../../shared/errors'
import { formatTarget } from '../../../shared/target'
import type { DeviceService } from '../devices/device-service'
import type { JobRunner } from '../jobs/job-runner'
import type { ModelStore } from '../models/model-store'
import type { ModelInstaller } from '../provision/remote-shell'
import type { SshService } from '../ssh'
import type { HistoryRepo } from '../../store/history-repo'
import { sshDeviceShell } from './device-shell'
import { modelInstaller } from './model-installer'
import { readModelStatus } from './model-status'
import { startPushJob, type PushRequest } from './push-job'
import { resolveTarget } from './resolve-target'
import { startRollbackJob } from './rollback-job'
import { runtimeInstallerFor, type RuntimePaths } from './runtime-paths'
import { startRuntimeJob } from './runtime-job'
import { resolveUnits, rolloutFor, sshConnect } from './unit-job'

export interface DeployServiceDeps extends RuntimePaths {
  jobs: JobRunner
  ssh: SshService
  devices: DeviceService
  models: Pick<ModelStore, 'get' | 'filePath' | 'fileIfPresent'>
  history: Pick<HistoryRepo, 'add'>
}

const STATUS_LIMIT_MS = 45_000

export function createDeployService(deps: DeployServiceDeps) {
  const unitDeps = { jobs: deps.jobs, devices: deps.devices, history: deps.history, connect: sshConnect(deps.ssh) }
  const runtimeFor = (sshUser: string) => runtimeInstallerFor(deps, sshUser)
  return {
    installRuntime: (req: { targets: string[]; password?: string | undefined; who: string }) =>
      startRuntimeJob({ ...unitDeps, runtimeFor }, { units: resolveUnits(deps.devices, req.targets), password: req.password, who: req.who }),

    push: (req: Omit<PushRequest, 'units' | 'rollout'> & { targets: string[]; canary?: number | string[] | undefined; maxFail?: number | undefined; gates?: RolloutGates | undefined }) => {
      const units = resolveUnits(deps.devices, req.targets)
      return startPushJob({ ...unitDeps, models: deps.models, runtimeFor }, { ...req, units, rollout: rolloutFor(deps.devices, units, req.canary, req.maxFail, req.gates) })
    },

    rollback: (req: { targets: string[]; version?: string | undefined; password?: string | undefined; who: string }) =>
      startRollbackJob(unitDeps, { ...req, units: resolveUnits(deps.devices, req.targets) }),

    /** Reads a unit's runtime, model versions and /health; fails with a plain error if it cannot be reached. */
    async modelStatus(req: { target: string; password?: string | undefined }): Promise<DeviceModelStatus> {
      const t = resolveTarget(deps.devices, req.target)
      const signal = AbortSignal.timeout(STATUS_LIMIT_MS)
      const session = await deps.ssh.open({ host: t.host, port: t.port, username: t.user }, req.password ? { password: req.password } : null, {
        connectTimeoutMs: 10_000,
        commandTimeoutMs: 15_000,
        signal
      })
      try {
        const status = await readModelStatus(sshDeviceShell(session, t.user, formatTarget(t)), signal)
        return { target: formatTarget(t), deviceId: t.device?.id ?? null, ...status }
      } catch (err) {
        if (signal.aborted) throw new EdgeError('TIMEOUT', formatTarget(t))
        throw err
      } finally {
        await session.close()
      }
    },

    modelInstaller: (): ModelInstaller => modelInstaller(deps.models)
  }
}
export type DeployService = ReturnType<typeof createDeployService>
