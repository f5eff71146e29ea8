// The RuntimeInstaller port over the runtime module's install plan (core/runtime): its probe says
// whether this version is on the unit and intact, the `current` link and the enabled unit say
// whether it is the one in use; install runs the plan's steps in order, uploads through the shell
// (a stream, checked by sha256 next), and removes a half-done upload when a step fails.
import type { PlanStep, RuntimeInstallPlan } from '../runtime'
import { deviceLayout, SERVICE_NAME, type DeviceLayout } from '../runtime'
import type { RemoteShell, RuntimeInstaller } from './remote-shell'

async function runPlanStep(shell: RemoteShell, step: PlanStep, signal: AbortSignal, log: (t: string) => void): Promise<void> {
  log(step.title)
  if (step.kind === 'upload') {
    if (!shell.upload) throw new Error('this connection cannot upload files')
    await shell.upload(step.local, step.remote, { mode: step.mode, signal })
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
  return {
    wanted: () => plan.version,
    async installed(shell, signal) {
      const link = await shell.run(['readlink', '--', layout.runtimeCurrent], { signal })
      const active = link.code === 0 ? link.stdout.trim() : null
      if (active !== plan.version) return active
      const enabled = await shell.run(['systemctl', 'is-enabled', `${SERVICE_NAME}.service`], { signal })
      if (enabled.code !== 0) return `${active} (service not enabled)`
      return (await intact(shell, signal)) ? active : `${active} (damaged)`
    },
    async install(shell, { signal, log }) {
      if (!(await intact(shell, signal))) {
        try {
          for (const step of plan.install) await runPlanStep(shell, step, signal, log)
        } catch (err) {
          for (const step of plan.cleanup) await runPlanStep(shell, step, signal, log).catch(() => undefined)
          throw err
        }
      }
      for (const step of plan.activate) await runPlanStep(shell, step, signal, log)
    }
  }
}
