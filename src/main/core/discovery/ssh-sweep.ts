// SSH sweep: TCP connect to port 22 on every planned address with bounded concurrency and a hard
// per-host deadline, reading the identification line of those that answer. A /24 of silent hosts
// takes about one connect timeout, since a whole /24 fits in one wave of the default concurrency.

import { setMaxListeners } from 'node:events'
import { DiscoveryAbortedError } from './errors'
import { parseSshBanner, type SshBanner } from './ssh-banner'
import { netTcpProber, type ProbeOutcome, type TcpProber } from './tcp-probe'

export interface SweepHit {
  ip: string
  port: number
  /** the identification line as sent, or null when the port is open but said nothing */
  sshBanner: string | null
  banner: SshBanner | null
  connectMs: number
}

export interface SweepProgress {
  done: number
  total: number
  found: number
}

export interface SshSweepOptions {
  hosts: readonly string[]
  port?: number
  /** parallel connects; clamped to 1..MAX_CONCURRENCY to stay well inside the fd limit */
  concurrency?: number
  /** connect timeout per host; LAN hosts answer in milliseconds, silent ones never do */
  connectTimeoutMs?: number
  /** time an open port gets to send its banner (slow on busy or emulated Pis) */
  bannerTimeoutMs?: number
  signal?: AbortSignal
  /** called after every probe */
  onProgress?: (progress: SweepProgress) => void
  onHit?: (hit: SweepHit) => void
  prober?: TcpProber
}

export interface SweepResult {
  hits: SweepHit[]
  total: number
  closed: number
  /** addresses that refused the connection (RST): a host is there, without SSH */
  refused: string[]
  timedOut: number
  unreachable: number
  elapsedMs: number
}

export const DEFAULT_CONCURRENCY = 256
export const MAX_CONCURRENCY = 512
export const DEFAULT_CONNECT_TIMEOUT_MS = 700
export const DEFAULT_BANNER_TIMEOUT_MS = 1500

export async function sshSweep(options: SshSweepOptions): Promise<SweepResult> {
  const started = performance.now()
  const port = options.port ?? 22
  const prober = options.prober ?? netTcpProber
  const concurrency = Math.min(MAX_CONCURRENCY, Math.max(1, Math.floor(options.concurrency ?? DEFAULT_CONCURRENCY)))
  const timeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS
  const bannerTimeoutMs = options.bannerTimeoutMs ?? DEFAULT_BANNER_TIMEOUT_MS
  // The sweep's own deadline, so that a prober that never settles cannot stall the whole sweep.
  const hardDeadlineMs = timeoutMs + bannerTimeoutMs + 250
  const { signal } = options
  const hosts = [...options.hosts]
  const result: SweepResult = { hits: [], total: hosts.length, closed: 0, refused: [], timedOut: 0, unreachable: 0, elapsedMs: 0 }
  let next = 0
  let done = 0

  if (signal?.aborted) throw new DiscoveryAbortedError()
  // Every probe in flight listens for cancellation: on a signal of the sweep's own, sized for them,
  // rather than on the caller's (where hundreds of listeners read as a leak warning).
  const sweepAbort = new AbortController()
  setMaxListeners(concurrency + 8, sweepAbort.signal)
  const stopSweep = (): void => sweepAbort.abort()
  signal?.addEventListener('abort', stopSweep, { once: true })

  async function probeOne(ip: string): Promise<ProbeOutcome> {
    const controller = new AbortController()
    const abort = (): void => controller.abort()
    sweepAbort.signal.addEventListener('abort', abort, { once: true })
    let timer: ReturnType<typeof setTimeout> | undefined
    const deadline = new Promise<ProbeOutcome>((resolve) => {
      timer = setTimeout(() => {
        controller.abort()
        resolve({ status: 'timeout' })
      }, hardDeadlineMs)
    })
    try {
      return await Promise.race([
        prober.probe(ip, port, { timeoutMs, bannerTimeoutMs, signal: controller.signal }).catch(
          (error: unknown): ProbeOutcome => ({ status: 'unreachable', code: (error as { code?: string })?.code ?? 'ERROR' })
        ),
        deadline
      ])
    } finally {
      clearTimeout(timer)
      sweepAbort.signal.removeEventListener('abort', abort)
    }
  }

  async function worker(): Promise<void> {
    while (next < hosts.length && !signal?.aborted) {
      const ip = hosts[next++]!
      const outcome = await probeOne(ip)
      if (signal?.aborted) return
      done++
      switch (outcome.status) {
        case 'open': {
          const hit: SweepHit = {
            ip,
            port,
            sshBanner: outcome.banner,
            banner: outcome.banner === null ? null : parseSshBanner(outcome.banner),
            connectMs: outcome.connectMs
          }
          result.hits.push(hit)
          options.onHit?.(hit)
          break
        }
        case 'closed':
          result.closed++
          result.refused.push(ip)
          break
        case 'timeout':
          result.timedOut++
          break
        case 'unreachable':
          result.unreachable++
          break
      }
      options.onProgress?.({ done, total: hosts.length, found: result.hits.length })
    }
  }

  await Promise.all(Array.from({ length: Math.min(concurrency, hosts.length) }, worker))
  signal?.removeEventListener('abort', stopSweep)
  if (signal?.aborted) throw new DiscoveryAbortedError()
  // Report in address order, not in order of answer, so output is stable between runs.
  const order = new Map(hosts.map((h, i) => [h, i]))
  result.hits.sort((a, b) => order.get(a.ip)! - order.get(b.ip)!)
  result.refused.sort((a, b) => order.get(a)! - order.get(b)!)
  result.elapsedMs = Math.round(performance.now() - started)
  return result
}
