// `runtime.install`: this EdgeDock's runtime (pinned Node, ONNX Runtime, the agent) on each unit,
// skipped where the same version is installed and intact; the service is then checked to answer.
// Uploads report bytes; each unit's total is known once it has said what it already has (the job's
// total is the sum of those known so far).
import type { RuntimeInstallResult } from '../../../shared/deploy'
import { text } from '../../../shared/texts'
import type { RuntimeInstaller } from '../provision/remote-shell'
import { waitForService } from './device-health'
import type { DeviceShell } from './device-shell'
import { startUnitJob, unitsWhere, type Unit, type UnitJobDeps } from './unit-job'

export interface RuntimeJobDeps extends UnitJobDeps {
  runtimeFor: (sshUser: string) => RuntimeInstaller
}

type UnitEntry = RuntimeInstallResult['units'][number]

export function startRuntimeJob(deps: RuntimeJobDeps, req: { units: Unit[]; password?: string | undefined; who: string }): string {
  const entry = (unit: Unit, rest: Omit<UnitEntry, 'target' | 'deviceId' | 'deviceName'>): UnitEntry => ({ target: unit.ref, deviceId: unit.device?.id ?? null, deviceName: unit.device?.name ?? null, ...rest })
  const addHistory = (unit: Unit, jobId: string, outcome: 'ok' | 'failed', text: string) =>
    deps.history.add({ kind: 'runtime.installed', deviceId: unit.device?.id ?? null, deviceName: unit.label, jobId, summary: `${text.replace(/\.$/, '')}; by ${req.who}`, outcome })
  const sent = new Map<Unit, number>()
  const totals = new Map<Unit, number>()
  const sum = (m: Map<Unit, number>) => [...m.values()].reduce((a, b) => a + b, 0)
  return startUnitJob<UnitEntry>(
    deps,
    { kind: 'runtime.install', title: text('job.runtimeInstall', { where: unitsWhere(req.units) }), unit: 'bytes', units: req.units, password: req.password },
    async (shell, unit, ctx, step) => {
      const installer = deps.runtimeFor(unit.user)
      const wanted = installer.wanted()
      const installed = await step(text('step.lookAtUnit'), () => installer.installed(shell, ctx.signal))
      if (installed === wanted) {
        ctx.log('info', `${unit.label} already has runtime ${wanted}`)
        addHistory(unit, ctx.jobId, 'ok', `Runtime ${wanted} was already installed`)
        return { entry: entry(unit, { outcome: 'already-installed', runtimeVersion: wanted, error: null }) }
      }
      // The installer uploads through the shell: count its bytes for the job's rate.
      let base = 0
      const counting: DeviceShell = {
        ...shell,
        upload: async (local, remote, opts) => {
          let last = 0
          await shell.upload(local, remote, {
            ...opts,
            onProgress: (d) => {
              last = d
              sent.set(unit, base + d)
              ctx.progress(sum(sent), totals.size > 0 ? sum(totals) : null)
            }
          })
          base += last
        }
      }
      await step(text('step.installRuntimeVersion', { version: wanted }), () => installer.install(counting, { signal: ctx.signal, log: (t) => ctx.log('info', t), onSendSize: (n) => void totals.set(unit, n) }))
      await step(text('step.checkService'), () => waitForService(shell, { signal: ctx.signal, timeoutMs: 120_000 }))
      addHistory(unit, ctx.jobId, 'ok', `Installed runtime ${wanted} (was ${installed ?? 'none'})`)
      return { entry: entry(unit, { outcome: 'installed', runtimeVersion: wanted, error: null }) }
    },
    (unit, error, ctx) => {
      addHistory(unit, ctx.jobId, 'failed', `Runtime install failed: ${error.message}`)
      return entry(unit, { outcome: 'failed', runtimeVersion: null, error: error.message })
    },
    (ctx, units) => ctx.setResult({ kind: 'runtime.install', units } satisfies RuntimeInstallResult)
  )
}
