// One LAN discovery pass: SSH sweep and mDNS browse side by side, then the neighbour table (which
// the sweep has just filled with the MACs of every host that answered), turned into observations.
// The caller merges them into its stored records; `discoveredDevices` does it from scratch.

import type { DeviceRecord, Observation } from './device-record'
import { DiscoveryError } from './errors'
import { browseMdns, type MdnsFactory } from './mdns-browser'
import { mdnsObservations } from './mdns-records'
import { mergeObservations } from './merge-devices'
import { NEIGHBOUR_COMMANDS, parseIpNeighJson, parseProcNetArp, type NeighbourEntry } from './neighbour-table'
import { systemClock, type Clock, type CommandRunner } from './ports'
import { DEFAULT_BANNER_TIMEOUT_MS, DEFAULT_CONNECT_TIMEOUT_MS, sshSweep, type SweepProgress, type SweepResult } from './ssh-sweep'
import { planSweep, type InterfaceTable } from './sweep-targets'
import type { TcpProber } from './tcp-probe'

export interface LanDiscoveryPorts {
  /** runs local commands (the neighbour table) */
  runner: CommandRunner
  /** `os.networkInterfaces` */
  interfaces: () => InterfaceTable
  prober?: TcpProber
  /** multicast-dns by default; tests pass a recorded responder */
  mdnsFactory?: MdnsFactory
  clock?: Clock
}

export interface LanDiscoveryOptions {
  /** `--subnet`, repeatable; default: the local interfaces' subnets capped at /24 */
  subnets?: readonly string[]
  /** `--timeout`: bounds mDNS listening and each host's waits; default 3 s */
  timeoutMs?: number
  /** SSH port to sweep; 22 unless a lab forwards it elsewhere */
  port?: number
  /** skip mDNS (e.g. where multicast is unwanted) */
  mdns?: boolean
  signal?: AbortSignal
  onProgress?: (progress: SweepProgress & { phase: 'sweep' }) => void
}

export interface LanDiscoveryResult {
  observations: Observation[]
  subnets: string[]
  sweep: Pick<SweepResult, 'total' | 'closed' | 'timedOut' | 'unreachable' | 'elapsedMs'>
  /** mDNS could not run; the sweep and neighbour table results still stand */
  mdnsError: { code: string; message: string } | null
  elapsedMs: number
}

/** What `edgedock discover --json` prints per unit. */
export interface DiscoveredDevice {
  id: string
  ip: string | null
  mac: string | null
  hostname: string | null
  model: string | null
  serial: string | null
  isRaspberryPi: boolean
  sshBanner: string | null
  sources: DeviceRecord['sources']
  state: DeviceRecord['state']
  lastSeen: string
}

async function readNeighbours(runner: CommandRunner, signal?: AbortSignal): Promise<NeighbourEntry[]> {
  const opts = signal ? { signal } : undefined
  const ip = await runner.run(NEIGHBOUR_COMMANDS.ipNeigh, opts).catch(() => null)
  if (ip && ip.exitCode === 0) {
    const entries = parseIpNeighJson(ip.stdout)
    if (entries.length > 0 || ip.stdout.trim().startsWith('[')) return entries
  }
  // Older iproute2 (BusyBox ip) has no -j; the kernel's table is always there.
  const arp = await runner.run(NEIGHBOUR_COMMANDS.procNetArp, opts).catch(() => null)
  return arp && arp.exitCode === 0 ? parseProcNetArp(arp.stdout) : []
}

export async function discoverLan(ports: LanDiscoveryPorts, options: LanDiscoveryOptions = {}): Promise<LanDiscoveryResult> {
  const clock = ports.clock ?? systemClock
  const started = clock.now()
  const timeoutMs = options.timeoutMs ?? 3000
  // Throws DISCOVERY_INVALID_SUBNET / DISCOVERY_SUBNET_TOO_LARGE before any packet is sent.
  const plan = planSweep(options.subnets ?? [], ports.interfaces())

  const sweeping = sshSweep({
    hosts: plan.hosts,
    port: options.port ?? 22,
    connectTimeoutMs: Math.min(DEFAULT_CONNECT_TIMEOUT_MS, Math.max(100, timeoutMs / 3)),
    bannerTimeoutMs: Math.min(DEFAULT_BANNER_TIMEOUT_MS, Math.max(200, timeoutMs / 2)),
    ...(ports.prober ? { prober: ports.prober } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: (p: SweepProgress) => options.onProgress!({ ...p, phase: 'sweep' }) } : {})
  })
  let mdnsError: LanDiscoveryResult['mdnsError'] = null
  const browsing =
    options.mdns === false
      ? Promise.resolve(null)
      : browseMdns({
          hostnames: ['raspberrypi'],
          durationMs: Math.min(2000, timeoutMs),
          ...(ports.mdnsFactory ? { factory: ports.mdnsFactory } : {}),
          ...(options.signal ? { signal: options.signal } : {})
        }).catch((error: unknown) => {
          // Cancellation is the caller's; any other mDNS failure only costs the mDNS results.
          if (error instanceof DiscoveryError && error.code === 'DISCOVERY_ABORTED') throw error
          mdnsError = {
            code: error instanceof DiscoveryError ? error.code : 'MDNS_UNAVAILABLE',
            message: error instanceof Error ? error.message : String(error)
          }
          return null
        })

  const [sweep, mdns] = await Promise.all([sweeping, browsing])
  const neighbours = await readNeighbours(ports.runner, options.signal)
  const at = clock.now()
  const macByIp = new Map(neighbours.map((n) => [n.ip, n]))

  const observations: Observation[] = []
  for (const hit of sweep.hits) {
    const n = macByIp.get(hit.ip)
    observations.push({
      source: 'ssh-sweep',
      at,
      ip: hit.ip,
      sshBanner: hit.sshBanner,
      ...(n ? { mac: n.mac, isRaspberryPi: n.isRaspberryPi } : {})
    })
  }
  // Every Pi MAC in the table, SSH or not: a unit with SSH off still shows up (it refuses port 22).
  // The kernel keeps an entry for a while after its host has gone (REACHABLE for up to ~45 s, STALE
  // for as long as the table is small), so an entry is a sighting only where the sweep just got an
  // answer, of either kind; an address the sweep did not cover has nothing to contradict it. And a
  // MAC that answered the sweep at one address may still sit in the table at its previous one (after
  // a DHCP change): the sweep's address is the live one, so that stale entry is not news either.
  const sweptAt = new Map(observations.flatMap((o) => (o.mac && o.ip ? [[o.mac, o.ip] as const] : [])))
  const swept = new Set(plan.hosts)
  const answered = new Set([...sweep.hits.map((h) => h.ip), ...sweep.refused])
  for (const n of neighbours) {
    const live = sweptAt.get(n.mac)
    const fresh = !swept.has(n.ip) || answered.has(n.ip)
    if (n.isRaspberryPi && fresh && (live === undefined || live === n.ip)) observations.push({ source: 'arp', at, ip: n.ip, mac: n.mac, isRaspberryPi: true })
  }
  if (mdns) {
    for (const o of mdnsObservations(mdns, at)) {
      const n = o.ip ? macByIp.get(o.ip) : undefined
      observations.push(n && !o.mac ? { ...o, mac: n.mac, isRaspberryPi: o.isRaspberryPi || n.isRaspberryPi } : o)
    }
  }

  return {
    observations,
    subnets: plan.subnets,
    sweep: { total: sweep.total, closed: sweep.closed, timedOut: sweep.timedOut, unreachable: sweep.unreachable, elapsedMs: sweep.elapsedMs },
    mdnsError,
    elapsedMs: clock.now() - started
  }
}

export function toDiscoveredDevice(record: DeviceRecord): DiscoveredDevice {
  return {
    id: record.id,
    ip: record.ip,
    mac: record.mac,
    hostname: record.hostname,
    model: record.model,
    serial: record.serial,
    isRaspberryPi: record.isRaspberryPi,
    sshBanner: record.sshBanner,
    sources: record.sources,
    state: record.state,
    lastSeen: new Date(record.lastSeen).toISOString()
  }
}

/** Observations -> one item per unit, Pis first then by address, for a stateless CLI run. */
export function discoveredDevices(observations: readonly Observation[]): DiscoveredDevice[] {
  const { records } = mergeObservations([], observations)
  const ipKey = (ip: string | null): string => (ip ?? '~').split('.').map((p) => p.padStart(3, '0')).join('.')
  return records
    .sort((a, b) => Number(b.isRaspberryPi) - Number(a.isRaspberryPi) || ipKey(a.ip).localeCompare(ipKey(b.ip)))
    .map(toDiscoveredDevice)
}
