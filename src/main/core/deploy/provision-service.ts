// Provisioning as the app runs it: profiles from resources/profiles or a YAML file, units from the
// inventory or user@host targets (and a site plan), sessions from the SSH layer with EdgeDock's key,
// the real runtime installer, and the engine's job.
import path from 'node:path'
import { EdgeError } from '../../../shared/errors'
import { parseTarget } from '../../../shared/target'
import type { DeviceService } from '../devices/device-service'
import type { EventHub } from '../event-hub'
import type { JobRunner } from '../jobs/job-runner'
import { loadProfile, parseSitePlan, startProvisionJob, type UnitInput } from '../provision'
import { sshRemoteShell } from '../provision/ssh-remote-shell'
import { jobSshOptions, type SshService } from '../ssh'
import { deviceRuntimeInstaller } from './device-runtime-installer'

export interface ProvisionServiceDeps {
  jobs: JobRunner
  ssh: SshService
  devices: DeviceService
  events: EventHub
  resourcesDir: string
  dataDir: string
  projectRoot: string
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
}

export function createProvisionService(deps: ProvisionServiceDeps) {
  return {
    async start(req: ProvisionRequest): Promise<string> {
      const profile = await loadProfile(req.profile, path.join(deps.resourcesDir, 'profiles'))
      const units: UnitInput[] = [...req.targets.map((target) => ({ target })), ...(req.sitePlanCsv ? parseSitePlan(req.sitePlanCsv) : [])]
      if (units.length === 0) throw new EdgeError('INVALID_INPUT', 'name at least one unit (user@host or a device name)')
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
              return work(ctx)
            })
        },
        { profile, units, vars: req.vars, dryRun: req.dryRun, concurrency: req.concurrency, maxFail: req.maxFail },
        {
          connect: async (target, signal) => {
            const t = targets.get(target)
            if (!t) throw new EdgeError('DEVICE_NOT_FOUND', target)
            const session = await deps.ssh.open(
              { host: t.host, port: t.port, username: t.user },
              req.password ? { password: req.password } : null,
              { ...(ctxRef ? jobSshOptions(ctxRef) : {}), signal }
            )
            return sshRemoteShell(session)
          },
          ports: { runtime },
          publicKey: deps.ssh.authorizedKeys()
        }
      )
      return job.id
    }
  }
}

function resolveTarget(devices: DeviceService, ref: string): { host: string; port: number; user: string } {
  try {
    const d = devices.resolve(ref)
    return { host: d.host, port: d.port, user: d.user }
  } catch (err) {
    const t = parseTarget(ref)
    if (t.ok) return t.target
    throw err
  }
}
export type ProvisionService = ReturnType<typeof createProvisionService>
