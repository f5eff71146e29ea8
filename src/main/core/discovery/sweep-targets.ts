// Which addresses an SSH sweep visits. By default: each local IPv4 interface's subnet, capped at
// the /24 around the interface's address (a /16 office LAN would be 65k probes); a wider subnet
// only when the user names it, and never wider than /16.

import { SubnetTooLargeError } from './errors'
import { formatCidr, hostsOf, maskOf, parseCidr, parseIpv4, prefixFromNetmask, type Ipv4Subnet } from './ipv4'

export const DEFAULT_PREFIX_CAP = 24
export const WIDEST_EXPLICIT_PREFIX = 16

/** The shape of `os.networkInterfaces()` entries that matter here. */
export interface InterfaceAddress {
  address: string
  netmask: string
  family: string | number
  internal: boolean
  cidr?: string | null
}

export type InterfaceTable = Record<string, readonly InterfaceAddress[] | undefined>

export interface SweepPlan {
  subnets: string[]
  /** addresses to probe, in order, own addresses left out */
  hosts: string[]
}

function isIpv4(a: InterfaceAddress): boolean {
  return a.family === 'IPv4' || a.family === 4
}

/** Subnets of the machine's own IPv4 interfaces, each capped at a /24 around its address. */
export function localSubnets(interfaces: InterfaceTable): Ipv4Subnet[] {
  const out: Ipv4Subnet[] = []
  for (const addresses of Object.values(interfaces)) {
    for (const a of addresses ?? []) {
      if (!isIpv4(a) || a.internal) continue
      const address = parseIpv4(a.address)
      const prefix = a.cidr ? Number(a.cidr.split('/')[1]) : prefixFromNetmask(a.netmask)
      if (address === undefined || prefix === undefined || !Number.isInteger(prefix)) continue
      // A /32 (VPN tunnel end) or /31 point-to-point link has no LAN behind it to sweep.
      if (prefix >= 31) continue
      const capped = Math.max(prefix, DEFAULT_PREFIX_CAP)
      out.push({ network: (address & maskOf(capped)) >>> 0, prefix: capped })
    }
  }
  return dedupe(out)
}

function dedupe(subnets: Ipv4Subnet[]): Ipv4Subnet[] {
  const seen = new Set<string>()
  return subnets.filter((s) => {
    const key = formatCidr(s)
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

function ownAddresses(interfaces: InterfaceTable): Set<string> {
  return new Set(
    Object.values(interfaces)
      .flatMap((list) => list ?? [])
      .filter(isIpv4)
      .map((a) => a.address)
  )
}

/**
 * Builds the sweep plan. `explicit` are user-named CIDRs (`--subnet`), taken as given up to /16;
 * without them, the local interfaces' capped subnets.
 */
export function planSweep(explicit: readonly string[], interfaces: InterfaceTable): SweepPlan {
  const subnets = explicit.length > 0 ? explicit.map(parseExplicit) : localSubnets(interfaces)
  const own = ownAddresses(interfaces)
  const hosts: string[] = []
  const seen = new Set<string>()
  for (const subnet of dedupe(subnets)) {
    for (const host of hostsOf(subnet)) {
      if (own.has(host) || seen.has(host)) continue
      seen.add(host)
      hosts.push(host)
    }
  }
  return { subnets: dedupe(subnets).map(formatCidr), hosts }
}

function parseExplicit(text: string): Ipv4Subnet {
  const subnet = parseCidr(text)
  if (subnet.prefix < WIDEST_EXPLICIT_PREFIX) throw new SubnetTooLargeError(text, WIDEST_EXPLICIT_PREFIX)
  return subnet
}
