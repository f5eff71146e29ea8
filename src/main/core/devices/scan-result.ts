// What a LAN scan reports (the CLI's `discover --json` items): each unit it saw, under its inventory
// id so that a unit keeps its id across scans and address changes, then the known units of the
// swept subnets that did not answer, with their state (offline) and last-seen time.
import type { Device } from '../../../shared/domain'
import { normalizeMac, type DiscoveredDevice } from '../discovery'
import { addressOf } from './apply-observations'

const LAN_SOURCES = new Set(['mdns', 'arp', 'ssh-sweep', 'login', 'usb'])

/** The inventory record a scan item is: same MAC, else same serial, else the unit at its address. */
function inventoryId(item: DiscoveredDevice, inventory: readonly Device[]): string | undefined {
  const mac = item.mac ? normalizeMac(item.mac) : undefined
  const serial = item.serial?.toLowerCase()
  const hit =
    (mac && inventory.find((d) => d.macs.includes(mac) || d.mac === mac)) ||
    (serial && inventory.find((d) => d.serial?.toLowerCase() === serial)) ||
    (item.ip && inventory.find((d) => d.port === 22 && addressOf(d) === item.ip))
  return hit ? hit.id : undefined
}

function silentItem(d: Device): DiscoveredDevice {
  return {
    id: d.id,
    ip: addressOf(d),
    mac: d.mac,
    hostname: d.hostname,
    model: d.model,
    serial: d.serial,
    isRaspberryPi: d.isRaspberryPi,
    sshBanner: d.sshBanner,
    sources: d.sources.filter((s) => LAN_SOURCES.has(s)) as DiscoveredDevice['sources'],
    state: 'offline',
    lastSeen: new Date(d.lastSeen ?? d.createdAt).toISOString()
  }
}

export function scanResultDevices(found: readonly DiscoveredDevice[], inventory: readonly Device[], silent: readonly string[]): DiscoveredDevice[] {
  const quiet = new Set(silent)
  return [
    ...found.map((item) => ({ ...item, id: inventoryId(item, inventory) ?? item.id })),
    ...inventory.filter((d) => quiet.has(d.id)).map(silentItem)
  ]
}
