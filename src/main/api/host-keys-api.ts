// The explicit re-pin after HOST_KEY_CHANGED (a reflashed unit, regenerated keys). The user gives the
// fingerprint they were shown and checked on the unit; a unit offering any other key is refused.
import { EdgeError } from '../../shared/errors'
import type { Device } from '../../shared/domain'
import { parseTarget } from '../../shared/target'
import type { Services } from './services'
import { HostKeyChangedError } from '../core/ssh'
import type { HandlersFor } from './handlers'

function inventoryDevice(s: Services, ref: string): Device | null {
  try {
    return s.devices.resolve(ref)
  } catch (err) {
    if (err instanceof EdgeError && err.code === 'DEVICE_NOT_FOUND') return null
    throw err
  }
}

/** A device name or id, or any user@host[:port]: provisioning pins addresses outside the inventory too. */
function whereIs(s: Services, target: string): { device: Device | null; host: string; port: number } {
  const device = inventoryDevice(s, target)
  if (device) return { device, host: device.host, port: device.port }
  const parsed = parseTarget(target)
  if (!parsed.ok) throw new EdgeError('DEVICE_NOT_FOUND', `${target} (${parsed.reason})`)
  return { device: null, host: parsed.target.host, port: parsed.target.port }
}

export const hostKeysApi = (s: Services) =>
  ({
    'hostKeys.get': ({ target }) => {
      const { host, port } = whereIs(s, target)
      const pin = s.store.hostKeys.get(host, port)
      return pin ? { host: pin.host, port: pin.port, algorithm: pin.algorithm, fingerprint: pin.fingerprint, pinnedAt: pin.pinnedAt } : null
    },
    'hostKeys.repin': async ({ target, fingerprint }) => {
      const { device, host, port } = whereIs(s, target)
      try {
        const r = await s.ssh.repinHostKey(host, port, { expectedFingerprint: fingerprint, deviceId: device?.id ?? null, deviceName: device?.name ?? null })
        // The inventory's identity key follows the user's decision, so the next scan matches the
        // reflashed unit to this row instead of seeing a stranger at its address.
        if (device) {
          s.store.devices.update(device.id, { hostKeyFingerprint: r.current.fingerprint })
          s.events.emit('devices.changed', { devices: s.store.devices.list() })
        }
        return r
      } catch (err) {
        if (!(err instanceof HostKeyChangedError) || !err.offered) throw err
        throw new EdgeError('HOST_KEY_REPIN_REFUSED', `${host}:${port} offers ${err.offered.algorithm} ${err.offered.fingerprint}, not the fingerprint given (${fingerprint})`)
      }
    }
  }) satisfies HandlersFor<'hostKeys'>
