// A target as the user names it: a device from the inventory (id, name or its address), else a
// plain user@host[:port]. A typo that is neither fails before anything runs: DEVICE_NOT_FOUND for
// what reads as a device name, INVALID_INPUT naming the bad part for an address (`pi@door;reboot`).
// A reference that fits two units is DEVICE_REF_AMBIGUOUS (see devices/resolve-ref).
import type { Device } from '../../../shared/domain'
import { EdgeError } from '../../../shared/errors'
import { DEVICE_NAME_RE, parseTarget } from '../../../shared/target'
import type { DeviceService } from '../devices/device-service'

export interface ResolvedTarget {
  host: string
  port: number
  user: string
  /** The inventory entry, when the target is one (history entries are filed under it). */
  device: Device | null
}

export function resolveTarget(devices: Pick<DeviceService, 'resolve'>, ref: string): ResolvedTarget {
  try {
    const d = devices.resolve(ref)
    return { host: d.host, port: d.port, user: d.user, device: d }
  } catch (err) {
    // Only "no such unit" may fall back to a plain address: an ambiguous reference must not be
    // quietly read as the address when the technician may have meant the unit of that name.
    if (!(err instanceof EdgeError) || err.code !== 'DEVICE_NOT_FOUND') throw err
    const t = parseTarget(ref)
    if (t.ok) return { ...t.target, device: null }
    if (ref.includes('@') || !DEVICE_NAME_RE.test(ref)) throw new EdgeError('INVALID_INPUT', `${t.reason} (in the target "${ref}")`)
    throw err
  }
}
