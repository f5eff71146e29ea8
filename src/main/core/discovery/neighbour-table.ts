// Parses the kernel neighbour table (`ip -j neigh` JSON, or /proc/net/arp where iproute2 lacks -j)
// into entries with Pi MACs marked. Only entries with a usable MAC are returned.

import { commandJson } from './command-json'
import { isRaspberryPiMac, normalizeMac } from './mac-address'

export interface NeighbourEntry {
  ip: string
  mac: string
  device?: string
  /** REACHABLE, STALE, DELAY, PROBE, PERMANENT, ... (ip neigh); `complete` for /proc/net/arp */
  state?: string
  isRaspberryPi: boolean
}

/** Argument arrays for the two sources, tried in order. */
export const NEIGHBOUR_COMMANDS = {
  ipNeigh: ['ip', '-j', 'neigh', 'show'],
  procNetArp: ['cat', '/proc/net/arp']
} as const

interface IpNeighJsonEntry {
  dst?: unknown
  dev?: unknown
  lladdr?: unknown
  state?: unknown
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/

// States where the MAC is known-bad or absent.
const UNUSABLE_STATES = new Set(['FAILED', 'INCOMPLETE', 'NOARP'])

export function parseIpNeighJson(text: string): NeighbourEntry[] {
  const data = commandJson(text)
  if (!Array.isArray(data)) return []
  const entries: NeighbourEntry[] = []
  for (const raw of data as IpNeighJsonEntry[]) {
    if (typeof raw !== 'object' || raw === null) continue
    if (typeof raw.dst !== 'string' || !IPV4.test(raw.dst)) continue
    if (typeof raw.lladdr !== 'string') continue
    const mac = normalizeMac(raw.lladdr)
    if (mac === undefined) continue
    // `state` is an array of strings in iproute2's JSON ("state":["STALE"]).
    const states = Array.isArray(raw.state) ? raw.state.filter((s): s is string => typeof s === 'string') : []
    if (states.some((s) => UNUSABLE_STATES.has(s))) continue
    entries.push({
      ip: raw.dst,
      mac,
      ...(typeof raw.dev === 'string' ? { device: raw.dev } : {}),
      ...(states[0] !== undefined ? { state: states[0] } : {}),
      isRaspberryPi: isRaspberryPiMac(mac)
    })
  }
  return entries
}

// /proc/net/arp flags: 0x2 = ATF_COM (complete); 0x0 is an incomplete entry.
const ATF_COM = 0x2

export function parseProcNetArp(text: string): NeighbourEntry[] {
  const entries: NeighbourEntry[] = []
  const lines = text.split('\n').slice(1)
  for (const line of lines) {
    const cols = line.trim().split(/\s+/)
    if (cols.length < 6) continue
    const [ip, , flags, hw, , device] = cols as [string, string, string, string, string, string]
    if (!IPV4.test(ip)) continue
    if ((Number.parseInt(flags, 16) & ATF_COM) === 0) continue
    const mac = normalizeMac(hw)
    if (mac === undefined) continue
    entries.push({ ip, mac, device, state: 'complete', isRaspberryPi: isRaspberryPiMac(mac) })
  }
  return entries
}
