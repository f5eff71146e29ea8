// `edgedock runtime install <target>...`, `edgedock push <target>... <model>`, `edgedock rollback
// <target>...`, `edgedock devices model-status <target>`: jobs followed on the terminal (progress,
// rate, ETA; Ctrl-C cancels), then one line per unit, or --json.
import type { Command } from 'commander'
import type { DeviceModelStatus, RolloutGates, ModelPushResult, ModelRollbackResult, RuntimeInstallResult } from '../../shared/deploy'
import { rolloutStopText } from '../../shared/rollout-text'
import type { Job } from '../../shared/domain'
import { EdgeError } from '../../shared/errors'
import type { CliContext } from './cli-context'
import { followJob } from './follow-job'
import { table, wholeNumber } from './format'
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

async function finish<R extends { units: { target: string; error: string | null }[] }>(
  c: CliContext,
  jobId: string,
  line: (u: R['units'][number]) => string,
  footer: (r: R) => string[] = () => []
): Promise<void> {
  const job: Job = await followJob(c, jobId, c.json ? null : c.err)
  const result = job.result as R | null
  const units = result?.units ?? []
  // The job's own error repeats a single unit's; it is printed only when no unit line carries it.
  const jobLine = job.state === 'succeeded' || units.some((u) => u.error) ? [] : [`${job.state}: ${job.error?.message ?? ''}`]
  c.print({ job: { id: job.id, state: job.state, error: job.error }, result }, () => [...units.map((u) => `${u.target}: ${line(u)}`), ...jobLine, ...(result ? footer(result) : [])].join('\n'))
  if (job.state !== 'succeeded') process.exitCode = 1
}

/** `--canary 2` (the first two units) or `--canary door-01,door-07`. */
function canaryOption(value: string): number | string[] {
  if (/^\d+$/.test(value.trim())) return countOption('--canary', value, 1)
  const names = value.split(',').map((n) => n.trim()).filter(Boolean)
  if (names.length === 0) throw new EdgeError('INVALID_INPUT', '--canary needs a number of units or their names, e.g. --canary 1 or --canary door-01,door-02')
  return names
}

const GATE_KEYS: Record<string, keyof RolloutGates> = { p50: 'p50Ms', p90: 'p90Ms', p99: 'p99Ms', rss: 'peakRssMb', throughput: 'minThroughput' }

/** `--gate p90=60,rss=200`: ms for the percentiles, MB for peak RSS, inferences/s (at least) for throughput. */
function gateOption(value: string): RolloutGates {
  const gates: RolloutGates = {}
  for (const part of value.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^([a-z0-9]+)=(\d+(?:\.\d+)?)$/.exec(part)
    const key = m ? GATE_KEYS[m[1] as string] : undefined
    if (!m || !key || Number(m[2]) <= 0) throw new EdgeError('INVALID_INPUT', `--gate takes limits like p90=60,rss=200,throughput=20 (${Object.keys(GATE_KEYS).join(', ')}; positive numbers), not "${part}"`)
    gates[key] = Number(m[2])
  }
  if (Object.keys(gates).length === 0) throw new EdgeError('INVALID_INPUT', '--gate needs at least one limit, e.g. --gate p90=60')
  return gates
}

function countOption(flag: string, value: string, min = 0): number {
  return wholeNumber(value, flag, { of: 'units', min, max: 100_000 })
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
    .option('--canary <n|names>', 'a staged rollout: the first N units (or these, comma-separated) first; the rest only if they serve it')
    .option('--max-fail <n>', 'in a rollout, failures among the rest tolerated before it stops (default 0 with --canary)')
    .option('--gate <limits>', 'in a rollout, limits a quick benchmark of each canary must meet, e.g. p90=60,rss=200,throughput=20 (ms, MB, inferences/s)')
    .option(...passwordOption)
    .action(async (args: string[], o: Common & { version?: string; concurrency: string; delta: boolean; canary?: string; maxFail?: string; gate?: string }) => {
      if (args.length < 2) throw new EdgeError('INVALID_INPUT', 'name at least one unit and then the model, e.g. edgedock push door-01 faces@3')
      const ref = args[args.length - 1] as string
      const { jobId } = await c.call('models.push', {
        targets: args.slice(0, -1),
        ref,
        version: o.version,
        concurrency: Number(o.concurrency),
        ...(o.delta ? {} : { delta: false }),
        ...(o.canary !== undefined ? { canary: canaryOption(o.canary) } : {}),
        ...(o.maxFail !== undefined ? { maxFail: countOption('--max-fail', o.maxFail) } : {}),
        ...(o.gate !== undefined ? { gates: gateOption(o.gate) } : {}),
        password: passwordFrom(o)
      })
      const gateLine = (u: ModelPushResult['units'][number]) =>
        u.gate ? `\n  benchmark ${u.gate.summary}: ${u.gate.missed.length ? `MISSES ${u.gate.missed.join('; ')}` : `within ${u.gate.met.join(', ')}`}` : ''
      const took = (u: ModelPushResult['units'][number]) => (u.durationMs > 0 ? `, ${(u.durationMs / 1000).toFixed(1)} s` : '')
      const stage = (u: ModelPushResult['units'][number]) => (u.stage === 'canary' ? '[canary] ' : '')
      await finish<ModelPushResult>(
        c,
        jobId,
        (u) => {
          switch (u.outcome) {
            case 'pushed':
              return `${stage(u)}serving ${u.servingVersion} (${sentText(u)}; was ${u.previousVersion ?? 'no model'}${took(u)})${gateLine(u)}`
            case 'already-current':
              return `${stage(u)}already serving ${u.servingVersion}; nothing sent${gateLine(u)}`
            case 'rolled-back':
              return `${stage(u)}ROLLED BACK to ${u.servingVersion}: ${u.error}`
            case 'failed':
              return `${stage(u)}failed: ${u.error}`
            case 'skipped':
              return `${stage(u)}${u.error ?? 'not started'}`
          }
        },
        (r) => (r.rollout?.stopped ? [`Rollout stopped: ${rolloutStopText(r.rollout.stopped)}. Fix that and run the same push again: units already serving ${r.model.version} are skipped.`] : [])
      )
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
