// The Devices page's filters: where a unit was found, whether it answers, and free text.
import type { Device } from '../../../../shared/domain'

export const SOURCE_FILTERS = ['all', 'lan', 'usb', 'manual'] as const
export type SourceFilter = (typeof SOURCE_FILTERS)[number]
export const STATE_FILTERS = ['all', 'online', 'offline'] as const
export type StateFilter = (typeof STATE_FILTERS)[number]

// A unit seen by the network scan (SSH sweep, neighbour table, mDNS, a login) is "LAN"; lab Pis are
// added by address, so they count as manual.
const SOURCES: Record<Exclude<SourceFilter, 'all'>, readonly Device['sources'][number][]> = {
  lan: ['mdns', 'arp', 'ssh-sweep', 'login'],
  usb: ['usb'],
  manual: ['manual', 'lab']
}

export interface DeviceFilter {
  text: string
  source: SourceFilter
  state: StateFilter
}

export function filterDevices(devices: readonly Device[], f: DeviceFilter): Device[] {
  const q = f.text.trim().toLowerCase()
  return devices.filter(
    (d) =>
      (f.source === 'all' || d.sources.some((s) => SOURCES[f.source as Exclude<SourceFilter, 'all'>].includes(s))) &&
      (f.state === 'all' || d.state === f.state) &&
      (!q || [d.name, d.host, d.user, d.model, d.mac, d.serial, d.hostname].some((v) => v?.toLowerCase().includes(q)))
  )
}
