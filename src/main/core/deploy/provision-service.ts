// Provisioning as the app runs it: profiles from resources/profiles or a YAML file, units from the
// inventory or user@host targets (and a site plan), sessions from the SSH layer with EdgeDock's key,
// the real runtime installer, and the engine's job.
import path from 'node:path'
import { EdgeError } from '../../../shared/errors'
import type { DeviceService } from '../devices/device-service'
import type { EventHub } from '../event-hub'
import type { JobRunner } from '../jobs/job-runner'
import { loadProfile, parseSitePlan, startProvisionJob, type UnitInput } from '../provision'
import type { ModelInstaller } from '../provision/remote-shell'
import { HostKeyChangedError, jobSshOptions, type SshService } from '../ssh'
import { hostKeyChangedAdvice } from '../ssh/host-key-advice'
import { checkUserIdentity, identitySecrets, type UserIdentity } from '../ssh/user-identity'
import { deviceRuntimeInstaller } from './device-runtime-installer'
import { resolveTarget } from './resolve-target'
import { sshDeviceShell } from './device-shell'

export interface ProvisionServiceDeps {
  jobs: JobRunner
  ssh: SshService
  devices: DeviceService
  events: EventHub
  resourcesDir: string
  dataDir: string
  projectRoot: string
  /** The profile's `model` step: the deploy service's installer (same push, checks and rollback). */
  modelInstaller?: ModelInstaller
}

export interface ProvisionRequest {
  targets: string[]
  profile: string
  vars: Record<string, string>
  sitePlanCsv?: string | undefined
  dryRun: boolean
  concurrency?: number | undefined
  maxFail?: number | undefined
  /** First contact only (units still on the image's password); registered as a job secret. */
  password?: string | undefined
  /** First contact with the technician's own key (`--identity FILE`): the key text, a job secret. */
  identity?: UserIdentity | undefined
}

export function createProvisionService(deps: ProvisionServiceDeps) {
  return {
    async start(req: ProvisionRequest): Promise<string> {
      const profile = await loadProfile(req.profile, path.join(deps.resourcesDir, 'profiles'))
      const units: UnitInput[] = [...req.targets.map((target) => ({ target })), ...(req.sitePlanCsv ? parseSitePlan(req.sitePlanCsv) : [])]
      if (units.length === 0) throw new EdgeError('INVALID_INPUT', 'name at least one unit (user@host or a device name)')
      if (req.identity) checkUserIdentity(req.identity)
      // Resolve every target before the job starts: a typo fails here, with nothing contacted.
      const targets = new Map(units.map((u) => [u.target, resolveTarget(deps.devices, u.target)]))
      const runtime = deviceRuntimeInstaller({
        cacheDir: path.join(deps.dataDir, 'runtime-cache'),
        agentFile: path.join(deps.projectRoot, 'out', 'agent', 'edgedock-agent.cjs'),
        unitFile: path.join(deps.resourcesDir, 'device', 'edgedock-inference.service'),
        ortPackageDir: path.join(deps.projectRoot, 'node_modules', 'onnxruntime-node'),
        sshUser: [...targets.values()][0]?.user ?? 'pi'
      })
      let ctxRef: Parameters<typeof jobSshOptions>[0] | null = null
      const job = startProvisionJob(
        {
          start: (spec, work) =>
            deps.jobs.start(spec, (ctx) => {
              ctxRef = ctx
              if (req.password) ctx.secret(req.password)
              for (const s of req.identity ? identitySecrets(req.identity) : []) ctx.secret(s)
              return work(ctx)
            })
        },
        { profile, units, vars: req.vars, dryRun: req.dryRun, concurrency: req.concurrency, maxFail: req.maxFail },
        {
          connect: async (target, signal) => {
            const t = targets.get(target)
            if (!t) throw new EdgeError('DEVICE_NOT_FOUND', target)
            const session = await deps.ssh
              .open(
                { host: t.host, port: t.port, username: t.user },
                req.password || req.identity ? { ...(req.password ? { password: req.password } : {}), ...(req.identity ? { identity: req.identity } : {}) } : null,
                { ...(ctxRef ? jobSshOptions(ctxRef) : {}), signal }
              )
              .catch((err: unknown) => {
                // Both fingerprints and the re-pin action, in the job log the technician is reading.
                if (err instanceof HostKeyChangedError) ctxRef?.log('error', hostKeyChangedAdvice(err, target))
                throw err
              })
            // A device shell: the model step also reads the inference service's health over this session.
            return sshDeviceShell(session, t.user)
          },
          ports: { runtime, model: deps.modelInstaller },
          publicKey: deps.ssh.authorizedKeys()
        }
      )
      return job.id
    }
  }
}

export type ProvisionService = ReturnType<typeof createProvisionService>
