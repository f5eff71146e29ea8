// Folds observations into device records: one record per physical unit, identified by MAC, else
// serial, else SSH host-key fingerprint. Pure: the caller persists the result and emits
// `devices.changed` from the change list.

import { contains, parseCidr, parseIpv4 } from './ipv4'
import { isRaspberryPiMac, normalizeMac } from './mac-address'
import { isRaspberryPiModel } from './pi-model'
import { DISCOVERY_SOURCES, type DeviceRecord, type Observation } from './device-record'

export interface DeviceChanges {
  added: string[]
  updated: string[]
  /** records folded into another once an observation showed they were the same unit */
  removed: Array<{ id: string; mergedInto: string }>
  ipChanged: Array<{ id: string; from: string | null; to: string }>
}

export interface MergeOptions {
  /** id for a new record; the default derives one from the observation's strongest key */
  newId?: (observation: Observation) => string
}

interface Identity {
  mac: string | null
  serial: string | null
  hostKey: string | null
}

function identityOf(o: Observation): Identity {
  return {
    mac: o.mac ? (normalizeMac(o.mac) ?? null) : null,
    // Serials compare case-insensitively: the device tree prints lower-case hex, DMI may not.
    serial: (o.serial ?? o.facts?.serial)?.trim().toLowerCase() || null,
    hostKey: o.hostKeyFingerprint?.trim() || null
  }
}

function matchesIdentity(r: DeviceRecord, id: Identity): boolean {
  return (
    (id.mac !== null && r.macs.includes(id.mac)) ||
    (id.serial !== null && r.serial === id.serial) ||
    (id.hostKey !== null && r.hostKeyFingerprint === id.hostKey)
  )
}

/** "raspberrypi.local." -> "raspberrypi" */
export function plainHostname(name: string | null | undefined): string | null {
  if (!name) return null
  const s = name.trim().replace(/\.$/, '').replace(/\.local$/i, '')
  return s === '' ? null : s
}

function defaultId(o: Observation, id: Identity): string {
  if (id.mac) return `mac:${id.mac}`
  if (id.serial) return `serial:${id.serial}`
  if (id.hostKey) return `hostkey:${id.hostKey}`
  return `ip:${o.ip ?? 'unknown'}@${o.at}`
}

function emptyRecord(id: string, at: number): DeviceRecord {
  return {
    id,
    mac: null,
    macs: [],
    serial: null,
    hostKeyFingerprint: null,
    ip: null,
    previousIp: null,
    hostname: null,
    model: null,
    isRaspberryPi: false,
    sshBanner: null,
    facts: null,
    services: [],
    sources: [],
    state: 'online',
    firstSeen: at,
    lastSeen: at
  }
}

function sortSources(sources: Iterable<DeviceRecord['sources'][number]>): DeviceRecord['sources'] {
  const set = new Set(sources)
  return DISCOVERY_SOURCES.filter((s) => set.has(s))
}

function piEvidence(r: DeviceRecord): boolean {
  return r.macs.some(isRaspberryPiMac) || isRaspberryPiModel(r.model)
}

/** Folds `b` into `a` (a keeps its id). Newer sightings win for changeable fields. */
function combine(a: DeviceRecord, b: DeviceRecord): DeviceRecord {
  const [older, newer] = a.lastSeen >= b.lastSeen ? [b, a] : [a, b]
  return {
    ...a,
    mac: a.mac ?? b.mac,
    macs: [...new Set([...a.macs, ...b.macs])],
    serial: a.serial ?? b.serial,
    hostKeyFingerprint: a.hostKeyFingerprint ?? b.hostKeyFingerprint,
    ip: newer.ip ?? older.ip,
    previousIp: newer.previousIp ?? older.previousIp,
    hostname: newer.hostname ?? older.hostname,
    model: newer.model ?? older.model,
    isRaspberryPi: a.isRaspberryPi || b.isRaspberryPi,
    sshBanner: newer.sshBanner ?? older.sshBanner,
    facts: newer.facts ?? older.facts,
    services: [...new Set([...a.services, ...b.services])].sort(),
    sources: sortSources([...a.sources, ...b.sources]),
    state: a.state === 'online' || b.state === 'online' ? 'online' : 'offline',
    firstSeen: Math.min(a.firstSeen, b.firstSeen),
    lastSeen: Math.max(a.lastSeen, b.lastSeen)
  }
}

export function mergeObservations(
  existing: readonly DeviceRecord[],
  observations: readonly Observation[],
  options: MergeOptions = {}
): { records: DeviceRecord[]; changes: DeviceChanges } {
  const records = existing.map((r) => ({ ...r, macs: [...r.macs], sources: [...r.sources], services: [...r.services] }))
  const changes: DeviceChanges = { added: [], updated: [], removed: [], ipChanged: [] }
  const touched = new Set<string>()

  // Oldest first, so that "the latest IP wins" holds within one batch too.
  for (const o of [...observations].sort((a, b) => a.at - b.at)) {
    const id = identityOf(o)
    const ip = o.ip?.trim() || null
    const hasId = id.mac !== null || id.serial !== null || id.hostKey !== null

    // The unit at this address is the record holding it, unless that record's identity proves
    // another unit (the address was re-leased); identity-less sweep records always fold in.
    const matches = records.filter((r) => (hasId && matchesIdentity(r, id)) || (ip !== null && r.ip === ip && !conflicts(r, id)))

    let target: DeviceRecord
    if (matches.length === 0) {
      target = emptyRecord(options.newId?.(o) ?? defaultId(o, id), o.at)
      records.push(target)
      changes.added.push(target.id)
    } else {
      // Oldest record keeps its id; the others fold into it.
      matches.sort((a, b) => a.firstSeen - b.firstSeen || a.id.localeCompare(b.id))
      target = matches[0]!
      for (const other of matches.slice(1)) {
        const merged = combine(target, other)
        Object.assign(target, merged)
        records.splice(records.indexOf(other), 1)
        changes.removed.push({ id: other.id, mergedInto: target.id })
      }
    }

    applyObservation(target, o, id, ip, changes)
    touched.add(target.id)

    // An address belongs to one unit at a time: whoever held it before has moved on.
    if (ip !== null) {
      for (const r of records) {
        if (r !== target && r.ip === ip) {
          r.previousIp = r.ip
          r.ip = null
          r.state = 'offline'
          touched.add(r.id)
        }
      }
    }
  }

  const removedIds = new Set(changes.removed.map((r) => r.id))
  const addedIds = new Set(changes.added)
  changes.added = changes.added.filter((x) => !removedIds.has(x))
  changes.updated = [...touched].filter((x) => !addedIds.has(x) && !removedIds.has(x))
  return { records, changes }
}

// Two different MACs may still be one unit (Ethernet and Wi-Fi), so only a serial or host-key
// mismatch proves a different unit; a MAC mismatch with no serial/host key to compare counts too.
function conflicts(r: DeviceRecord, id: Identity): boolean {
  if (id.serial !== null && r.serial !== null) return id.serial !== r.serial
  if (id.hostKey !== null && r.hostKeyFingerprint !== null) return id.hostKey !== r.hostKeyFingerprint
  return id.mac !== null && r.macs.length > 0 && !r.macs.includes(id.mac)
}

function applyObservation(r: DeviceRecord, o: Observation, id: Identity, ip: string | null, changes: DeviceChanges): void {
  if (id.mac !== null && !r.macs.includes(id.mac)) r.macs.push(id.mac)
  r.mac ??= id.mac
  r.serial ??= id.serial
  r.hostKeyFingerprint ??= id.hostKey
  // An older sighting (a late mDNS answer) must not move a unit back to its old address.
  const isLatest = o.at >= r.lastSeen
  if (ip !== null && ip !== r.ip && isLatest) {
    if (r.ip !== null) changes.ipChanged.push({ id: r.id, from: r.ip, to: ip })
    r.previousIp = r.ip ?? r.previousIp
    r.ip = ip
  }
  const hostname = plainHostname(o.hostname ?? o.facts?.hostname)
  if (hostname !== null && (isLatest || r.hostname === null)) r.hostname = hostname
  const model = o.model ?? o.facts?.model ?? null
  if (model !== null) r.model = model
  if (o.facts) r.facts = o.facts
  if (o.sshBanner) r.sshBanner = o.sshBanner
  if (o.services) r.services = [...new Set([...r.services, ...o.services])].sort()
  r.sources = sortSources([...r.sources, o.source])
  r.isRaspberryPi = r.isRaspberryPi || o.isRaspberryPi === true || piEvidence(r)
  r.firstSeen = Math.min(r.firstSeen, o.at)
  r.lastSeen = Math.max(r.lastSeen, o.at)
  r.state = 'online'
}

/**
 * After a sweep: units the scan would have seen and did not (online, at an address inside a swept
 * subnet, touched by none of its observations) are offline now. Their last-seen time stays.
 */
export function markUnanswered(
  records: readonly DeviceRecord[],
  sweptSubnets: readonly string[],
  seen: ReadonlySet<string>
): { records: DeviceRecord[]; changed: string[]; silent: string[] } {
  const subnets = sweptSubnets.map((s) => parseCidr(s))
  const inSweep = (ip: string | null): boolean => {
    const n = ip === null ? undefined : parseIpv4(ip)
    return n !== undefined && subnets.some((s) => contains(s, n))
  }
  const changed: string[] = []
  /** every known unit of the swept subnets that did not answer, offline before or just now */
  const silent: string[] = []
  const out = records.map((r) => {
    if (seen.has(r.id) || !inSweep(r.ip)) return r
    silent.push(r.id)
    if (r.state !== 'online') return r
    changed.push(r.id)
    return { ...r, state: 'offline' as const }
  })
  return { records: out, changed, silent }
}

/** Marks units not seen for `offlineAfterMs` as offline; returns new records and the changed ids. */
export function markStale(
  records: readonly DeviceRecord[],
  now: number,
  offlineAfterMs: number
): { records: DeviceRecord[]; changed: string[] } {
  const changed: string[] = []
  const out = records.map((r) => {
    if (r.state !== 'online' || now - r.lastSeen <= offlineAfterMs) return r
    changed.push(r.id)
    return { ...r, state: 'offline' as const }
  })
  return { records: out, changed }
}
