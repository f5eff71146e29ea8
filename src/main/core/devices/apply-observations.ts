// Folds what discovery saw into the inventory: one row per physical unit (MAC, else serial, else host
// key), an IP change updates the same row, units merged when an observation proves they are one.
import { randomUUID } from 'node:crypto'
import type { Device } from '../../../shared/domain'
import { markUnanswered, mergeObservations, type DeviceChanges, type DeviceRecord, type Observation } from '../discovery'
import type { DevicesRepo } from '../../store/devices-repo'

const LAN_SOURCES = new Set(['mdns', 'arp', 'ssh-sweep', 'login', 'usb'])

// A unit whose address another unit now holds (a DHCP re-lease) has no address. The store keeps one
// row per host and port, so such a row gets a host of its own that no address can be; two units
// left without an address, or one taking the other's old address, then no longer collide.
const NO_ADDRESS = 'no-address:'
/** The device's address, or null when discovery saw its address go to another unit. */
export function addressOf(d: Pick<Device, 'host'>): string | null {
  return d.host === '' || d.host.startsWith(NO_ADDRESS) ? null : d.host
}

function toRecord(d: Device): DeviceRecord {
  return {
    id: d.id,
    mac: d.mac,
    macs: d.macs.length ? d.macs : d.mac ? [d.mac] : [],
    serial: d.serial,
    hostKeyFingerprint: d.hostKeyFingerprint,
    ip: addressOf(d),
    previousIp: d.previousHost,
    hostname: d.hostname,
    model: d.model,
    isRaspberryPi: d.isRaspberryPi,
    sshBanner: d.sshBanner,
    facts: d.facts as DeviceRecord['facts'],
    services: d.services,
    sources: d.sources.filter((s): s is DeviceRecord['sources'][number] => LAN_SOURCES.has(s)),
    state: d.state === 'online' ? 'online' : 'offline',
    firstSeen: d.createdAt,
    lastSeen: d.lastSeen ?? d.createdAt
  }
}

function fromRecord(r: DeviceRecord, base: Device | undefined): Omit<Device, 'id' | 'name' | 'user' | 'port' | 'createdAt'> {
  const manual = base?.sources.filter((s) => !LAN_SOURCES.has(s)) ?? []
  return {
    host: r.ip ?? `${NO_ADDRESS}${r.id}`,
    mac: r.mac,
    macs: r.macs,
    serial: r.serial,
    hostKeyFingerprint: r.hostKeyFingerprint,
    previousHost: r.previousIp,
    hostname: r.hostname,
    model: r.model,
    isRaspberryPi: r.isRaspberryPi,
    sshBanner: r.sshBanner,
    facts: r.facts as Device['facts'],
    services: r.services,
    sources: [...new Set([...manual, ...r.sources])] as Device['sources'],
    state: r.state,
    lastSeen: r.lastSeen
  }
}

export function applyObservations(
  repo: DevicesRepo,
  observations: readonly Observation[],
  opts: {
    defaultUser: string
    uniqueName: (base: string) => string
    /** the subnets a sweep covered: a unit there that no observation touched is offline now */
    sweptSubnets?: readonly string[]
  }
): DeviceChanges & { offline: string[]; silent: string[] } {
  // Units reached through a forwarded port (lab --net user, a jump host) share an address with
  // others; they are matched by hand, never by IP, so they stay out of the merge.
  const existing = repo.list().filter((d) => d.port === 22)
  const byId = new Map(existing.map((d) => [d.id, d]))
  const { records, changes } = mergeObservations(existing.map(toRecord), observations, { newId: () => randomUUID() })
  const added = new Set(changes.added)
  const updated = new Set(changes.updated)
  for (const { id } of changes.removed) repo.remove(id)
  // Addresses can change hands within one scan (A's old address is B's now, or two units swap):
  // every row that moves lets go of its old address first, so no write meets a row still holding it.
  for (const r of records) {
    const base = byId.get(r.id)
    if (updated.has(r.id) && base && base.host !== (r.ip ?? '')) repo.update(r.id, { host: `${NO_ADDRESS}${r.id}` })
  }
  for (const r of records) {
    const base = byId.get(r.id)
    if (added.has(r.id)) {
      repo.insert({
        id: r.id,
        name: opts.uniqueName(r.hostname ?? r.ip ?? r.id.slice(0, 8)),
        port: 22,
        user: opts.defaultUser,
        createdAt: r.firstSeen,
        ...fromRecord(r, undefined)
      })
    } else if (updated.has(r.id) && base) {
      repo.update(r.id, fromRecord(r, base))
    }
  }
  const seen = new Set([...changes.added, ...changes.updated])
  const { changed: offline, silent } = markUnanswered(records, opts.sweptSubnets ?? [], seen)
  for (const id of offline) repo.update(id, { state: 'offline' })
  return { ...changes, offline, silent }
}
