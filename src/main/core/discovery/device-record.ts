// Plain records of discovered units: what the merge reads and writes, and what the lead
// persists in SQLite and sends to the UI and `edgedock discover --json`.

import type { DeviceFacts } from './device-facts'

export const DISCOVERY_SOURCES = ['mdns', 'arp', 'ssh-sweep', 'login', 'usb', 'manual'] as const
export type DiscoverySource = (typeof DISCOVERY_SOURCES)[number]

/** One sighting of a unit by one source; every field but source and time is optional. */
export interface Observation {
  source: DiscoverySource
  /** epoch ms */
  at: number
  ip?: string | null
  mac?: string | null
  serial?: string | null
  hostKeyFingerprint?: string | null
  hostname?: string | null
  model?: string | null
  sshBanner?: string | null
  /** evidence from the source itself, e.g. a Pi USB id or a Pi MAC in the neighbour table */
  isRaspberryPi?: boolean
  facts?: DeviceFacts | null
  /** mDNS service types seen, e.g. "_ssh._tcp" */
  services?: string[]
}

export type DeviceState = 'online' | 'offline'

export interface DeviceRecord {
  /** stable across IP changes and key upgrades; the lead's primary key */
  id: string
  /** first MAC learned; `macs` holds all (a Pi has one for Ethernet and one for Wi-Fi) */
  mac: string | null
  macs: string[]
  serial: string | null
  hostKeyFingerprint: string | null
  ip: string | null
  /** the address before the last change, so the UI can say "was 192.168.1.23" */
  previousIp: string | null
  hostname: string | null
  model: string | null
  isRaspberryPi: boolean
  sshBanner: string | null
  facts: DeviceFacts | null
  services: string[]
  sources: DiscoverySource[]
  state: DeviceState
  firstSeen: number
  lastSeen: number
}
