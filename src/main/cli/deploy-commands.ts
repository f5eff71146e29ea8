// `edgedock runtime install <target>...`, `edgedock push <target>... <model>`, `edgedock rollback
// <target>...`, `edgedock devices model-status <target>`: jobs followed on the terminal (progress,
// rate, ETA; Ctrl-C cancels), then one line per unit, or --json.
import type { Command } from 'commander'
import type { DeviceModelStatus, ModelPushResult, ModelRollbackResult, RuntimeInstallResult } from '../../shared/deploy'
import type { Job } from '../../shared/domain'
import { EdgeError } from '../../shared/errors'
import type { CliContext } from './cli-context'
import { followJob } from './follow-job'
import { table } from './format'
import { sentText } from '../../shared/push-sent'

interface Common {
  passwordEnv?: string
}

const passwordOption = ['--password-env <VAR>', "first contact: the units' current password, from this environment variable"] as const

function passwordFrom(o: Common): string | undefined {
  if (!o.passwordEnv) return undefined
  const password = process.env[o.passwordEnv]
  if (!password) throw new EdgeError('INVALID_INPUT', `the environment variable ${o.passwordEnv} is empty`)
  return password
}

async function finish<R extends { units: { target: string; error: string | null }[] }>(c: CliContext, jobId: string, line: (u: R['units'][number]) => string): Promise<void> {
  const job: Job = await followJob(c, jobId, c.json ? null : c.err)
  const result = job.result as R | null
  const units = result?.units ?? []
  // The job's own error repeats a single unit's; it is printed only when no unit line carries it.
  const jobLine = job.state === 'succeeded' || units.some((u) => u.error) ? [] : [`${job.state}: ${job.error?.message ?? ''}`]
  c.print({ job: { id: job.id, state: job.state, error: job.error }, result }, () => [...units.map((u) => `${u.target}: ${line(u)}`), ...jobLine].join('\n'))
  if (job.state !== 'succeeded') process.exitCode = 1
}

export function registerDeployCommands(program: Command, c: CliContext): void {
  program
    .command('runtime')
    .description('the EdgeDock runtime on units (Node, ONNX Runtime, the inference service)')
    .command('install <targets...>')
    .description('install this EdgeDock\'s runtime on units (skipped where it is already installed)')
    .option(...passwordOption)
    .action(async (targets: string[], o: Common) => {
      const { jobId } = await c.call('runtime.install', { targets, password: passwordFrom(o) })
      await finish<RuntimeInstallResult>(c, jobId, (u) => (u.outcome === 'failed' ? `failed: ${u.error}` : `${u.outcome} ${u.runtimeVersion ?? ''}`))
    })

  program
    .command('push <targetsAndModel...>')
    .usage('<target>... <model> [options]')
    .description('push a model from the library (name@version or sha256) to units; rolls back by itself if the new model does not load')
    .option('--version <v>', 'the version name on the unit (default: the library version)')
    .option('--concurrency <n>', 'units at once', '4')
    .option('--no-delta', 'send the whole file, not only what changed from the version the unit serves')
    .option(...passwordOption)
    .action(async (args: string[], o: Common & { version?: string; concurrency: string; delta: boolean }) => {
      if (args.length < 2) throw new EdgeError('INVALID_INPUT', 'name at least one unit and then the model, e.g. edgedock push door-01 faces@3')
      const ref = args[args.length - 1] as string
      const { jobId } = await c.call('models.push', { targets: args.slice(0, -1), ref, version: o.version, concurrency: Number(o.concurrency), ...(o.delta ? {} : { delta: false }), password: passwordFrom(o) })
      await finish<ModelPushResult>(c, jobId, (u) => {
        switch (u.outcome) {
          case 'pushed':
            return `serving ${u.servingVersion} (${sentText(u)}; was ${u.previousVersion ?? 'no model'})`
          case 'already-current':
            return `already serving ${u.servingVersion}; nothing sent`
          case 'rolled-back':
            return `ROLLED BACK to ${u.servingVersion}: ${u.error}`
          case 'failed':
            return `failed: ${u.error}`
        }
      })
    })

  program
    .command('rollback <targets...>')
    .description('switch units back to the model version pushed before the current one (or --version)')
    .option('--version <v>', 'a version that is on the unit')
    .option(...passwordOption)
    .action(async (targets: string[], o: Common & { version?: string }) => {
      const { jobId } = await c.call('models.rollback', { targets, version: o.version, password: passwordFrom(o) })
      await finish<ModelRollbackResult>(c, jobId, (u) => (u.outcome === 'failed' ? `failed: ${u.error}` : `serving ${u.toVersion} (was ${u.fromVersion ?? 'no model'})`))
    })

  // Under `devices` when that group exists (it is registered first), else on its own.
  const devices = program.commands.find((cmd) => cmd.name() === 'devices') ?? program
  devices
    .command('model-status <target>')
    .description('what a unit runs: runtime, model versions on it, and the inference service\'s health')
    .option(...passwordOption)
    .action(async (target: string, o: Common) => {
      const s = await c.call('devices.modelStatus', { target, password: passwordFrom(o) })
      c.print(s, () => formatStatus(s))
    })
}

function formatStatus(s: DeviceModelStatus): string {
  const h = s.health
  const lines = [
    `Unit:     ${s.target}`,
    `Runtime:  ${s.runtimeVersion ?? 'not installed'}`,
    `Current:  ${s.current ? `${s.current.name} ${s.current.version} (sha256 ${s.current.sha256})` : 'no model'}`,
    `Service:  ${h ? `${h.status}, serving ${h.model ? `${h.model.name} ${h.model.version}` : 'nothing'}, up ${Math.round(h.uptimeS)} s` : (s.healthError ?? 'no answer')}`
  ]
  if (h?.lastLoadError) lines.push(`Load error: ${h.lastLoadError.version}: ${h.lastLoadError.message}`)
  if (s.versions.length) {
    lines.push('', table(s.versions.map((v) => ({ version: `${v.current ? '* ' : '  '}${v.version}`, name: v.name ?? '?', sha256: v.sha256?.slice(0, 16) ?? '?' })), ['version', 'name', 'sha256']))
  }
  return lines.join('\n')
}
