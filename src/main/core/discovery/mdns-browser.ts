// mDNS browse and `.local` resolution over multicast-dns. The library sits behind MdnsTransport
// so the logic is testable without multicast; only the default factory touches the network.

import { networkInterfaces } from 'node:os'
import { DiscoveryAbortedError, MdnsUnavailableError } from './errors'
import { BROWSED_SERVICE_TYPES, collectMdnsRecords, type MdnsRecord, type MdnsSnapshot } from './mdns-records'

interface ResponsePacket {
  answers?: MdnsRecord[]
  additionals?: MdnsRecord[]
}

/** The part of a multicast-dns instance used here. */
export interface MdnsTransport {
  on(event: 'response', listener: (packet: ResponsePacket) => void): unknown
  on(event: 'error', listener: (error: Error) => void): unknown
  query(packet: { questions: Array<{ name: string; type: string }> }): void
  destroy(callback?: () => void): void
}

export type MdnsFactory = () => MdnsTransport | Promise<MdnsTransport>

/**
 * One multicast-dns socket per IPv4 interface, each sending out of its own interface. A single
 * default socket sends where the routing table says, and a machine with no default route (a laptop
 * on a bench switch with a fixed address and no gateway, the lab's namespace) has no route for
 * 224.0.0.251: every query failed with ENETUNREACH, unreported, and only unsolicited announcements
 * were ever heard. Each socket is bound to 0.0.0.0 (bound to the interface's address it would not
 * receive multicast) and joins the group on its interface only.
 */
export const multicastDnsFactory: MdnsFactory = async () => {
  const { default: makeMdns } = await import('multicast-dns')
  const addresses = Object.values(networkInterfaces())
    .flatMap((list) => list ?? [])
    .filter((i) => i.family === 'IPv4' && !i.internal)
    .map((i) => i.address)
  if (addresses.length === 0) return makeMdns() as unknown as MdnsTransport
  return fanOut([...new Set(addresses)].map((address) => makeMdns({ interface: address, bind: '0.0.0.0' }) as unknown as MdnsTransport))
}

/** Several transports as one: questions go out on each, answers and errors come from any. */
function fanOut(transports: MdnsTransport[]): MdnsTransport {
  return {
    on(event: 'response' | 'error', listener: (arg: never) => void) {
      for (const t of transports) t.on(event as 'response', listener as (packet: ResponsePacket) => void)
      return this
    },
    query: (packet) => transports.forEach((t) => t.query(packet)),
    destroy: (callback) => {
      let left = transports.length
      for (const t of transports) t.destroy(() => --left === 0 && callback?.())
    }
  }
}

export interface BrowseOptions {
  serviceTypes?: readonly string[]
  /** `.local` names to resolve as well (e.g. raspberrypi.local, which Pi OS always publishes) */
  hostnames?: readonly string[]
  /** how long to listen; answers from a busy LAN trickle in over a second or two */
  durationMs?: number
  /** when to (re)send the questions, ms after start: multicast loses packets */
  queryAtMs?: readonly number[]
  signal?: AbortSignal
  factory?: MdnsFactory
}

function withLocal(name: string): string {
  const n = name.replace(/\.$/, '')
  return /\.local$/i.test(n) ? n : `${n}.local`
}

export async function browseMdns(options: BrowseOptions = {}): Promise<MdnsSnapshot> {
  const serviceTypes = options.serviceTypes ?? BROWSED_SERVICE_TYPES
  const hostnames = (options.hostnames ?? []).map(withLocal)
  const durationMs = options.durationMs ?? 2000
  const queryAt = options.queryAtMs ?? [0, 500, 1200]
  const { signal } = options
  if (signal?.aborted) throw new DiscoveryAbortedError()

  let transport: MdnsTransport
  try {
    transport = await (options.factory ?? multicastDnsFactory)()
  } catch (error) {
    throw new MdnsUnavailableError(error instanceof Error ? error.message : String(error), error)
  }

  const records: MdnsRecord[] = []
  const asked = new Set<string>()
  const ask = (name: string, type: string): void => {
    const key = `${type} ${name.toLowerCase()}`
    if (asked.has(key)) return
    asked.add(key)
    transport.query({ questions: [{ name, type }] })
  }

  return new Promise<MdnsSnapshot>((resolve, reject) => {
    const timers: Array<ReturnType<typeof setTimeout>> = []
    let finished = false
    const finish = (error?: Error): void => {
      if (finished) return
      finished = true
      timers.forEach(clearTimeout)
      signal?.removeEventListener('abort', onAbort)
      transport.destroy()
      if (error) reject(error)
      else resolve(collectMdnsRecords(records))
    }
    const onAbort = (): void => finish(new DiscoveryAbortedError())
    signal?.addEventListener('abort', onAbort, { once: true })

    transport.on('error', (error) => finish(new MdnsUnavailableError(error.message, error)))
    transport.on('response', (packet) => {
      const incoming = [...(packet.answers ?? []), ...(packet.additionals ?? [])]
      records.push(...incoming)
      // Responders usually send SRV, TXT and A along with the PTR; ask for what is missing.
      const have = new Set(records.map((r) => `${r.type} ${r.name.toLowerCase()}`))
      for (const r of incoming) {
        // A goodbye (TTL 0) announces a departure: nothing to follow up.
        if (r.ttl === 0) continue
        if (r.type === 'PTR' && typeof r.data === 'string' && !have.has(`SRV ${r.data.toLowerCase()}`)) ask(r.data, 'SRV')
        if (r.type === 'SRV') {
          const target = (r.data as { target?: unknown } | undefined)?.target
          if (typeof target === 'string' && !have.has(`A ${target.toLowerCase()}`)) ask(target, 'A')
        }
      }
    })

    const questions = [
      ...serviceTypes.map((t) => ({ name: `${t}.local`, type: 'PTR' })),
      ...hostnames.map((h) => ({ name: h, type: 'A' }))
    ]
    for (const at of queryAt) {
      if (at < durationMs) timers.push(setTimeout(() => !finished && questions.length > 0 && transport.query({ questions }), at))
    }
    timers.push(setTimeout(() => finish(), durationMs))
  })
}

/** Resolves one `.local` name to its addresses (IPv4 first); empty when nobody answers. */
export async function resolveLocalName(name: string, options: Omit<BrowseOptions, 'hostnames' | 'serviceTypes'> = {}): Promise<string[]> {
  const snapshot = await browseMdns({ ...options, serviceTypes: [], hostnames: [name], durationMs: options.durationMs ?? 1500 })
  return snapshot.hosts.get(withLocal(name).toLowerCase()) ?? []
}
