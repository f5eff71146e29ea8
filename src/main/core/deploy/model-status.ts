// What a unit runs, read over SSH: runtime version, the model `current` names, every version
// directory with its meta.json, and /health from the service on the unit (null, with the reason,
// when it does not answer).
import type { DeviceModelStatus } from '../../../shared/deploy'
import { EdgeError } from '../../../shared/errors'
import { deviceLayout } from '../runtime'
import { readHealth } from './device-health'
import type { DeviceShell } from './device-shell'
import { currentModelVersion, currentRuntimeVersion, listModelVersions, readModelMeta } from './unit-models'

export async function readModelStatus(shell: DeviceShell, signal: AbortSignal): Promise<Omit<DeviceModelStatus, 'target' | 'deviceId'>> {
  const layout = deviceLayout()
  const runtimeVersion = await currentRuntimeVersion(shell, signal, layout)
  const currentVersion = await currentModelVersion(shell, signal, layout)
  const { versions: dirs } = await listModelVersions(shell, signal, layout)
  const versions: DeviceModelStatus['versions'] = []
  for (const d of dirs) {
    const meta = await readModelMeta(shell, d.version, signal, layout)
    versions.push({ version: d.version, name: meta?.name ?? null, sha256: meta?.sha256 ?? null, current: d.version === currentVersion })
  }
  const cur = versions.find((v) => v.current)
  const current = cur?.name && cur.sha256 ? { name: cur.name, version: cur.version, sha256: cur.sha256 } : null
  let health: DeviceModelStatus['health'] = null
  let healthError: string | null = null
  try {
    const h = await readHealth(shell, { signal, timeoutMs: 5000 })
    health = {
      status: h.status,
      model: h.model,
      currentTarget: h.currentTarget,
      lastLoadError: h.lastLoadError ? { version: h.lastLoadError.version, code: h.lastLoadError.code, message: h.lastLoadError.message } : null,
      uptimeS: h.uptimeS
    }
  } catch (err) {
    if (!(err instanceof EdgeError) || err.code === 'SSH_LINK_LOST' || err.code === 'JOB_CANCELLED') throw err
    healthError = runtimeVersion ? `the inference service does not answer (${err.message})` : 'no EdgeDock runtime is installed on this unit'
  }
  return { runtimeVersion, current, versions, health, healthError }
}
