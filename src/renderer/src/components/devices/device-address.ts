// A unit whose address went to another unit (DHCP re-lease) keeps its row with the host
// "no-address:<id>" (src/main/core/devices/apply-observations.ts, addressOf). That is a placeholder,
// not an address: the UI says so and offers nothing that would connect to it.
import type { Device } from '../../../../shared/domain'

const NO_ADDRESS = 'no-address:'

export const hasAddress = (d: Pick<Device, 'host'>): boolean => d.host !== '' && !d.host.startsWith(NO_ADDRESS)

/** user@host[:port] as typed, or null when the unit has no address now. */
export function addressText(d: Pick<Device, 'host' | 'port' | 'user'>): string | null {
  return hasAddress(d) ? `${d.user}@${d.host}${d.port !== 22 ? `:${d.port}` : ''}` : null
}
