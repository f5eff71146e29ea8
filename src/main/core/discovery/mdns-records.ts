// Turns the raw mDNS records a browse collected (PTR, SRV, TXT, A, AAAA from answers and
// additionals) into services, hosts and observations. Pure, so it is tested from recordings.

import { normalizeMac } from './mac-address'
import { isRaspberryPiMac } from './mac-address'
import type { Observation } from './device-record'
import { isRaspberryPiModel } from './pi-model'

export const BROWSED_SERVICE_TYPES = ['_ssh._tcp', '_workstation._tcp', '_edgedock._tcp'] as const

/** The shape of dns-packet records as multicast-dns hands them over (TXT as Buffers). */
export interface MdnsRecord {
  name: string
  type: string
  ttl?: number
  data?: unknown
}

export interface MdnsService {
  /** full instance name, e.g. "door-unit-07 [dc:a6:32:1b:7f:04]._workstation._tcp.local" */
  instance: string
  /** "door-unit-07 [dc:a6:32:1b:7f:04]" */
  label: string
  type: string
  host: string | null
  port: number | null
  txt: Record<string, string>
  /** goodbye packet (TTL 0): the service has gone */
  goodbye: boolean
}

export interface MdnsSnapshot {
  services: MdnsService[]
  /** "door-unit-07.local" -> ["192.168.1.23"] (IPv4 first) */
  hosts: Map<string, string[]>
}

function lower(name: string): string {
  return name.replace(/\.$/, '').toLowerCase()
}

function txtEntries(data: unknown): string[] {
  const items = Array.isArray(data) ? data : [data]
  return items
    .map((d) => (typeof d === 'string' ? d : d instanceof Uint8Array ? Buffer.from(d).toString('utf8') : null))
    .filter((s): s is string => s !== null && s !== '')
}

function parseTxt(data: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  for (const entry of txtEntries(data)) {
    const eq = entry.indexOf('=')
    const key = (eq < 0 ? entry : entry.slice(0, eq)).toLowerCase()
    // RFC 6763 6.4: the first occurrence of a key wins.
    if (key !== '' && !(key in out)) out[key] = eq < 0 ? '' : entry.slice(eq + 1)
  }
  return out
}

export function collectMdnsRecords(records: readonly MdnsRecord[]): MdnsSnapshot {
  const services = new Map<string, MdnsService>()
  const hosts = new Map<string, string[]>()
  const srv = new Map<string, { host: string; port: number; goodbye: boolean }>()
  const txt = new Map<string, Record<string, string>>()

  for (const r of records) {
    const name = lower(r.name)
    switch (r.type) {
      case 'PTR': {
        if (typeof r.data !== 'string') break
        const type = BROWSED_SERVICE_TYPES.find((t) => name === `${t}.local`)
        if (!type) break
        const instance = r.data.replace(/\.$/, '')
        const key = instance.toLowerCase()
        const label = instance.slice(0, instance.length - `.${type}.local`.length)
        services.set(key, { instance, label, type, host: null, port: null, txt: {}, goodbye: r.ttl === 0 })
        break
      }
      case 'SRV': {
        const d = r.data as { port?: unknown; target?: unknown } | undefined
        if (typeof d?.target === 'string' && typeof d.port === 'number') srv.set(name, { host: lower(d.target), port: d.port, goodbye: r.ttl === 0 })
        break
      }
      case 'TXT':
        txt.set(name, parseTxt(r.data))
        break
      case 'A':
      case 'AAAA': {
        if (typeof r.data !== 'string' || r.ttl === 0) break
        const list = hosts.get(name) ?? []
        if (!list.includes(r.data)) list.push(r.data)
        // IPv4 first: that is what SSH and the sweep use.
        list.sort((a, b) => Number(a.includes(':')) - Number(b.includes(':')))
        hosts.set(name, list)
        break
      }
    }
  }

  for (const [key, s] of services) {
    const target = srv.get(key)
    if (target) {
      s.host = target.host
      s.port = target.port
      s.goodbye ||= target.goodbye
    }
    s.txt = txt.get(key) ?? {}
  }
  return { services: [...services.values()], hosts }
}

/** avahi names its workstation service "hostname [aa:bb:cc:dd:ee:ff]": a MAC for free. */
export function macFromWorkstationLabel(label: string): string | null {
  const m = /\[([0-9a-f:]{17})\]\s*$/i.exec(label)
  return m ? (normalizeMac(m[1]!) ?? null) : null
}

/** One observation per host that has an address, combining all its services. */
export function mdnsObservations(snapshot: MdnsSnapshot, at: number): Observation[] {
  const byHost = new Map<string, Observation>()
  const observe = (host: string): Observation | undefined => {
    const ip = snapshot.hosts.get(host)?.find((a) => !a.includes(':'))
    if (ip === undefined) return undefined
    let o = byHost.get(host)
    if (!o) {
      o = { source: 'mdns', at, ip, hostname: host, services: [] }
      byHost.set(host, o)
    }
    return o
  }
  for (const s of snapshot.services) {
    if (s.goodbye || s.host === null) continue
    const o = observe(s.host)
    if (!o) continue
    o.services = [...new Set([...(o.services ?? []), s.type])].sort()
    if (s.type === '_workstation._tcp') {
      const mac = macFromWorkstationLabel(s.label)
      if (mac) {
        o.mac = mac
        if (isRaspberryPiMac(mac)) o.isRaspberryPi = true
      }
    }
    if (s.type === '_edgedock._tcp') {
      // What a provisioned unit announces about itself (see resources/ agent).
      if (s.txt.serial) o.serial = s.txt.serial
      if (s.txt.model) o.model = s.txt.model
      if (s.txt.mac) o.mac = normalizeMac(s.txt.mac) ?? o.mac ?? null
      if (isRaspberryPiModel(s.txt.model)) o.isRaspberryPi = true
    }
  }
  // Hosts that answered a plain `.local` lookup but announce no service.
  for (const host of snapshot.hosts.keys()) if (!byHost.has(host)) observe(host)
  return [...byHost.values()]
}
