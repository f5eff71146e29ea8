// The RuntimeInstaller port over the runtime module's install plan (core/runtime): its probe says
// whether this version is on the unit and intact, the `current` link and the enabled unit say
// whether it is the one in use; install asks the unit which files of its runtime in use it can reuse,
// runs the plan's steps in order, uploads through the shell (a stream, checked by sha256 next), and
// removes a half-done upload when a step fails.
import type { PlanStep, RuntimeInstallPlan, RuntimeReuse } from '../runtime'
import { deviceLayout, REUSE_STEP_ID, SERVICE_NAME, type DeviceLayout } from '../runtime'
import type { RemoteShell, RuntimeInstaller } from './remote-shell'

async function runPlanStep(shell: RemoteShell, step: PlanStep, signal: AbortSignal, log: (t: string) => void): Promise<void> {
  log(step.title)
  if (step.kind === 'upload') {
    if (!shell.upload) throw new Error('this connection cannot upload files')
    await shell.upload(step.local, step.remote, { mode: step.mode, signal, ...(step.gunzip ? { gunzip: true } : {}) })
    return
  }
  const r =
    step.kind === 'write'
      ? await shell.run(['install', '-m', step.mode.toString(8), '/dev/stdin', step.remote], { stdin: step.content, signal })
      : await shell.run(step.argv, { sudo: step.sudo, signal, ...(step.stdin !== undefined ? { stdin: step.stdin } : {}) })
  if (r.code !== 0) throw new Error(`${step.title} failed: ${(r.stderr.trim() || r.stdout.trim()).split('\n')[0] ?? `exit code ${r.code}`}`)
}

export function runtimePlanInstaller(plan: RuntimeInstallPlan, layout: DeviceLayout = deviceLayout()): RuntimeInstaller {
  const intact = async (shell: RemoteShell, signal: AbortSignal) => {
    const p = plan.probe
    return (await shell.run(p.argv, { sudo: p.sudo, signal, ...(p.stdin !== undefined ? { stdin: p.stdin } : {}) })).code === 0
  }
  /** The runtime version `current` points at, or null. */
  const active = async (shell: RemoteShell, signal: AbortSignal): Promise<string | null> => {
    const link = await shell.run(['readlink', '--', layout.runtimeCurrent], { signal })
    return link.code === 0 ? link.stdout.trim() : null
  }
  // The runtime in use and the hashes of its files that this version shares (null: nothing to reuse).
  const reusable = async (shell: RemoteShell, signal: AbortSignal): Promise<RuntimeReuse | null> => {
    const version = await active(shell, signal)
    const probe = version === null ? null : plan.reuseProbe(version)
    if (!probe || version === null) return null
    return { version, sums: (await shell.run(probe.argv, { signal })).stdout }
  }
  return {
    wanted: () => plan.version,
    async installed(shell, signal) {
      const version = await active(shell, signal)
      if (version !== plan.version) return version
      const enabled = await shell.run(['systemctl', 'is-enabled', `${SERVICE_NAME}.service`], { signal })
      if (enabled.code !== 0) return `${version} (service not enabled)`
      return (await intact(shell, signal)) ? version : `${version} (damaged)`
    },
    async install(shell, { signal, log, onSendSize }) {
      if (!(await intact(shell, signal))) {
        const reuse = await reusable(shell, signal)
        const attempt = async (r: RuntimeReuse | null) => {
          onSendSize?.(plan.sendBytes(r))
          for (const step of plan.install(r)) {
            try {
              await runPlanStep(shell, step, signal, log)
            } catch (err) {
              throw Object.assign(err as Error, { stepId: step.id })
            }
          }
        }
        try {
          try {
            await attempt(reuse)
          } catch (err) {
            // Links refused (another filesystem, no inodes left): send everything instead.
            if (!reuse || (err as { stepId?: string }).stepId !== REUSE_STEP_ID || signal.aborted) throw err
            log(`Could not reuse files of runtime ${reuse.version} (${(err as Error).message}); sending every file`)
            await attempt(null)
          }
        } catch (err) {
          for (const step of plan.cleanup) await runPlanStep(shell, step, signal, log).catch(() => undefined)
          throw err
        }
      }
      for (const step of plan.activate) await runPlanStep(shell, step, signal, log)
    }
  }
}
