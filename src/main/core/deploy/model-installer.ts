// The provisioning engine's ModelInstaller port (the profile's `model` step), with the push's own
// code: the same upload, checks, switch, health verdict and automatic rollback. The unit's model is
// named as the profile names it, `name@version`.
import { EdgeError } from '../../../shared/errors'
import { englishOf } from '../../../shared/texts'
import type { ModelStore } from '../models/model-store'
import type { ModelInstaller, RemoteShell } from '../provision/remote-shell'
import { isDeviceShell, type DeviceShell } from './device-shell'
import { pushToUnit, type PushUnitOptions } from './push-to-unit'
import { currentModelVersion, readModelMeta } from './unit-models'

function deviceShell(shell: RemoteShell): DeviceShell {
  if (!isDeviceShell(shell)) throw new EdgeError('PROVISION_STEP_FAILED', 'this connection cannot reach the inference service on the unit, so a model cannot be pushed through it')
  return shell
}

export function modelInstaller(models: Pick<ModelStore, 'get' | 'filePath' | 'fileIfPresent'>, options: PushUnitOptions = {}): ModelInstaller {
  return {
    async current(shell, signal) {
      const s = deviceShell(shell)
      const version = await currentModelVersion(s, signal, options.layout)
      if (!version) return null
      const meta = await readModelMeta(s, version, signal, options.layout)
      return meta ? `${meta.name}@${meta.version}` : version
    },
    async install(shell, ref, io) {
      const record = models.get(ref)
      const r = await pushToUnit(
        deviceShell(shell),
        { name: record.name, version: record.version, sha256: record.sha256, size: record.sizeBytes, localFile: models.filePath(record.sha256), fileFor: (sha256) => models.fileIfPresent(sha256) },
        options,
        {
          signal: io.signal,
          log: (_level, text) => io.log(text),
          phase: (name, fn) => {
            io.log(englishOf(name))
            return fn()
          }
        }
      )
      if (r.outcome === 'rolled-back') throw r.error
    }
  }
}
