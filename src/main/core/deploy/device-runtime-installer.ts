// The provisioning engine's runtime step, for real: judge the unit (architecture, 64-bit userland,
// glibc, free disk), build (or reuse) the offline bundle for its architecture, then run the runtime
// module's install plan over the session. A 32-bit Raspberry Pi OS gets RUNTIME_32BIT_USERLAND.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type { RemoteShell, RuntimeInstaller } from '../provision'
import { runtimePlanInstaller } from '../provision/runtime-plan-installer'
import {
  buildRuntimeBundle,
  deviceLayout,
  judgePreflight,
  NODE_VERSION,
  ORT_VERSION,
  preflightCommands,
  preflightError,
  runtimeInstallPlan,
  runtimeVersion,
  type PreflightOutputs
} from '../runtime'

export interface DeviceRuntimeOptions {
  cacheDir: string
  agentFile: string
  unitFile: string
  ortPackageDir: string
  sshUser: string
}

export function deviceRuntimeInstaller(opts: DeviceRuntimeOptions): RuntimeInstaller {
  const agentSha = () => createHash('sha256').update(readFileSync(opts.agentFile)).digest('hex')
  const forUnit = async (shell: RemoteShell, signal: AbortSignal, log?: (t: string) => void) => {
    const outputs = {} as PreflightOutputs
    for (const [key, argv] of Object.entries(preflightCommands) as [keyof PreflightOutputs, readonly string[]][]) {
      const r = await shell.run([...argv], { signal })
      outputs[key] = `${r.stdout}${r.stderr}`
    }
    const verdict = judgePreflight(outputs, 0)
    const problem = preflightError(verdict)
    if (problem || !verdict.arch) throw problem ?? new Error('unsupported device')
    log?.(`Unit: ${verdict.facts.machine}, ${verdict.facts.longBit}-bit userland, glibc ${verdict.facts.glibc}; runtime for linux-${verdict.arch}`)
    const bundle = await buildRuntimeBundle({ arch: verdict.arch, cacheDir: opts.cacheDir, agentFile: opts.agentFile, unitFile: opts.unitFile, ortPackageDir: opts.ortPackageDir })
    return runtimePlanInstaller(runtimeInstallPlan({ bundle, sshUser: opts.sshUser }))
  }
  return {
    wanted: () => runtimeVersion(NODE_VERSION, ORT_VERSION, agentSha()),
    // A quick look first: a unit without this version needs no bundle built just to say so (dry runs).
    installed: async (shell, signal) => {
      const link = await shell.run(['readlink', '--', deviceLayout().runtimeCurrent], { signal })
      const active = link.code === 0 ? link.stdout.trim() : null
      if (active !== runtimeVersion(NODE_VERSION, ORT_VERSION, agentSha())) return active
      return (await forUnit(shell, signal)).installed(shell, signal)
    },
    install: async (shell, io) => (await forUnit(shell, io.signal, io.log)).install(shell, io)
  }
}
