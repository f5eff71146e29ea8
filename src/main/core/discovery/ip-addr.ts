// Parses `ip -j addr` (iproute2 JSON) as read over a serial console or SSH: which interfaces a
// unit has, their MACs and addresses, and which address a technician would connect to.

import { commandJson } from './command-json'
import { normalizeMac } from './mac-address'

export const IP_ADDR_COMMAND = ['ip', '-j', 'addr'] as const

export interface UnitInterface {
  name: string
  mac: string | null
  /** UP, DOWN, UNKNOWN (operstate) */
  state: string
  ipv4: Array<{ address: string; prefix: number }>
  ipv6: Array<{ address: string; prefix: number }>
}

interface RawAddrInfo {
  family?: unknown
  local?: unknown
  prefixlen?: unknown
  scope?: unknown
}

interface RawLink {
  ifname?: unknown
  address?: unknown
  operstate?: unknown
  link_type?: unknown
  addr_info?: unknown
}

export function parseIpAddrJson(text: string): UnitInterface[] {
  const data = commandJson(text)
  if (!Array.isArray(data)) return []
  return (data as RawLink[])
    .filter((l) => typeof l?.ifname === 'string')
    .map((l) => {
      const infos = (Array.isArray(l.addr_info) ? l.addr_info : []) as RawAddrInfo[]
      const pick = (family: string): Array<{ address: string; prefix: number }> =>
        infos
          .filter((a) => a.family === family && typeof a.local === 'string' && typeof a.prefixlen === 'number')
          .map((a) => ({ address: a.local as string, prefix: a.prefixlen as number }))
      return {
        name: l.ifname as string,
        mac: l.link_type === 'loopback' || typeof l.address !== 'string' ? null : (normalizeMac(l.address) ?? null),
        state: typeof l.operstate === 'string' ? l.operstate : 'UNKNOWN',
        ipv4: pick('inet'),
        ipv6: pick('inet6')
      }
    })
}

/** The interface to reach the unit by: wired before wireless, up, with an IPv4 address. */
export function primaryInterface(interfaces: readonly UnitInterface[]): UnitInterface | null {
  const usable = interfaces.filter((i) => i.name !== 'lo' && i.mac !== null && i.ipv4.length > 0 && i.state !== 'DOWN')
  const rank = (i: UnitInterface): number => (/^(eth|en)/.test(i.name) ? 0 : /^(wlan|wl)/.test(i.name) ? 1 : /^usb/.test(i.name) ? 2 : 3)
  return [...usable].sort((a, b) => rank(a) - rank(b))[0] ?? null
}
