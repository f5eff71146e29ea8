// The real TCP prober: connect, wait briefly for the server's first line, close. Built on
// node:net; the sweep only sees the TcpProber interface so tests can swap it.

import { Socket } from 'node:net'
import { findBannerLine } from './ssh-banner'

export type ProbeOutcome =
  | { status: 'open'; banner: string | null; connectMs: number }
  /** RST: the host is there, nothing listens on the port */
  | { status: 'closed' }
  /** no answer in time: no host, or a firewall dropping SYNs */
  | { status: 'timeout' }
  /** ARP failed or no route (EHOSTUNREACH, ENETUNREACH) */
  | { status: 'unreachable'; code: string }

export interface ProbeOptions {
  timeoutMs: number
  bannerTimeoutMs: number
  signal?: AbortSignal
}

export interface TcpProber {
  probe(host: string, port: number, options: ProbeOptions): Promise<ProbeOutcome>
}

// An SSH identification line is at most 255 bytes; a few pre-banner lines are allowed.
const MAX_BANNER_BYTES = 2048

export const netTcpProber: TcpProber = {
  probe(host, port, { timeoutMs, bannerTimeoutMs, signal }) {
    return new Promise<ProbeOutcome>((resolve) => {
      const started = Date.now()
      const socket = new Socket()
      let connectMs = -1
      let received = ''
      let timer: ReturnType<typeof setTimeout> | undefined
      let settled = false

      const finish = (outcome: ProbeOutcome): void => {
        if (settled) return
        settled = true
        if (timer !== undefined) clearTimeout(timer)
        signal?.removeEventListener('abort', onAbort)
        // destroy(), not end(): no FIN handshake to wait for, the fd is freed at once.
        socket.destroy()
        resolve(outcome)
      }
      const onAbort = (): void => finish(connectMs < 0 ? { status: 'timeout' } : { status: 'open', banner: null, connectMs })
      if (signal?.aborted) return onAbort()
      signal?.addEventListener('abort', onAbort, { once: true })

      timer = setTimeout(() => finish({ status: 'timeout' }), timeoutMs)
      socket.setNoDelay(true)
      socket.on('connect', () => {
        connectMs = Date.now() - started
        clearTimeout(timer)
        timer = setTimeout(() => finish({ status: 'open', banner: findBannerLine(received), connectMs }), bannerTimeoutMs)
      })
      socket.on('data', (chunk: Buffer) => {
        received += chunk.toString('latin1')
        const line = findBannerLine(received)
        if ((line !== null && /\n/.test(received.slice(received.indexOf('SSH-')))) || received.length > MAX_BANNER_BYTES) {
          finish({ status: 'open', banner: line, connectMs })
        }
      })
      socket.on('end', () => finish({ status: 'open', banner: findBannerLine(received), connectMs }))
      socket.on('error', (error: NodeJS.ErrnoException) => {
        if (connectMs >= 0) return finish({ status: 'open', banner: findBannerLine(received), connectMs })
        if (error.code === 'ECONNREFUSED') return finish({ status: 'closed' })
        if (error.code === 'ETIMEDOUT') return finish({ status: 'timeout' })
        finish({ status: 'unreachable', code: error.code ?? 'UNKNOWN' })
      })
      socket.connect({ host, port })
    })
  }
}
