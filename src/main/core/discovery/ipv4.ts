// IPv4 addresses and subnets as 32-bit numbers; just enough for sweep targets.

import { InvalidSubnetError } from './errors'

export interface Ipv4Subnet {
  /** network address, host bits cleared */
  network: number
  prefix: number
}

export function parseIpv4(text: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text.trim())
  if (!m) return undefined
  const octets = m.slice(1).map(Number)
  if (octets.some((o) => o > 255)) return undefined
  return ((octets[0]! << 24) | (octets[1]! << 16) | (octets[2]! << 8) | octets[3]!) >>> 0
}

export function formatIpv4(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.')
}

export function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0
}

export function prefixFromNetmask(netmask: string): number | undefined {
  const value = parseIpv4(netmask)
  if (value === undefined) return undefined
  // Only contiguous masks are valid; 255.0.255.0 matches no prefix.
  for (let prefix = 0; prefix <= 32; prefix++) if (maskOf(prefix) === value) return prefix
  return undefined
}

/** "192.168.1.17/24" -> 192.168.1.0/24; a bare address is a /32. */
export function parseCidr(text: string): Ipv4Subnet {
  const [addr, prefixText, ...rest] = text.trim().split('/')
  const address = parseIpv4(addr ?? '')
  const prefix = prefixText === undefined ? 32 : /^\d{1,2}$/.test(prefixText) ? Number(prefixText) : NaN
  if (address === undefined || rest.length > 0 || !(prefix >= 0 && prefix <= 32)) throw new InvalidSubnetError(text)
  return { network: (address & maskOf(prefix)) >>> 0, prefix }
}

export function formatCidr(subnet: Ipv4Subnet): string {
  return `${formatIpv4(subnet.network)}/${subnet.prefix}`
}

export function hostCount(subnet: Ipv4Subnet): number {
  const size = 2 ** (32 - subnet.prefix)
  return subnet.prefix >= 31 ? size : size - 2
}

/** Usable host addresses: without network and broadcast, except on /31 and /32 (RFC 3021). */
export function* hostsOf(subnet: Ipv4Subnet): Generator<string> {
  const size = 2 ** (32 - subnet.prefix)
  const first = subnet.prefix >= 31 ? 0 : 1
  const last = subnet.prefix >= 31 ? size - 1 : size - 2
  for (let i = first; i <= last; i++) yield formatIpv4((subnet.network + i) >>> 0)
}

export function contains(subnet: Ipv4Subnet, address: number): boolean {
  return ((address & maskOf(subnet.prefix)) >>> 0) === subnet.network
}
