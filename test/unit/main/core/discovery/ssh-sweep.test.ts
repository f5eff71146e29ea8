// Sweeps real TCP servers on loopback addresses (127.0.0.0/8 only: no packet leaves the machine).

import { createServer, type Server, type Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sshSweep, type SweepProgress } from '../../../../../src/main/core/discovery/ssh-sweep'
import type { ProbeOutcome, TcpProber } from '../../../../../src/main/core/discovery/tcp-probe'
import { DiscoveryAbortedError } from '../../../../../src/main/core/discovery/errors'

const servers: Server[] = []
const sockets = new Set<Socket>()
let port = 0

function listen(host: string, onConnection: (socket: Socket) => void): Promise<void> {
  const server = createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => undefined)
    onConnection(socket)
  })
  servers.push(server)
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      port = (server.address() as { port: number }).port
      resolve()
    })
  })
}

beforeAll(async () => {
  // All on one port, one address each, like hosts on a LAN.
  await listen('127.0.0.2', (s) => s.write('SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n'))
  await listen('127.0.0.3', (s) => s.write('SSH-2.0-OpenSSH_7.9p1 Raspbian-10+deb10u2\r\n'))
  await listen('127.0.0.4', (s) => s.write('SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.10\r\n'))
  // Accepts and says nothing: an open port 22 that is not (yet) an SSH server.
  await listen('127.0.0.5', () => undefined)
  // RFC 4253 allows other lines before the identification line; banner arrives in two pieces.
  await listen('127.0.0.6', (s) => {
    s.write('Welcome to the bench\r\nSSH-2.0-OpenSSH_9.2p1 ')
    setTimeout(() => s.write('Debian-2+deb12u3\r\n'), 20)
  })
  // 127.0.0.7 has no listener: the kernel answers RST (refused).
})

afterAll(async () => {
  for (const s of sockets) s.destroy()
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))))
})

describe('sshSweep against loopback servers', () => {
  it('finds the SSH servers, tells the Pi OS banners from Ubuntu, and counts the refusing host', async () => {
    const progress: SweepProgress[] = []
    const result = await sshSweep({
      hosts: ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5', '127.0.0.6', '127.0.0.7'],
      port,
      connectTimeoutMs: 500,
      bannerTimeoutMs: 300,
      onProgress: (p) => progress.push(p)
    })
    expect(result.hits.map((h) => [h.ip, h.sshBanner, h.banner?.osHint ?? null, h.banner?.mayBeRaspberryPi ?? null])).toEqual([
      ['127.0.0.2', 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3', 'debian', true],
      ['127.0.0.3', 'SSH-2.0-OpenSSH_7.9p1 Raspbian-10+deb10u2', 'raspbian', true],
      ['127.0.0.4', 'SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.10', 'ubuntu', false],
      ['127.0.0.5', null, null, null],
      ['127.0.0.6', 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3', 'debian', true]
    ])
    expect(result.closed).toBe(1)
    expect(result.refused).toEqual(['127.0.0.7'])
    expect(progress.at(-1)).toEqual({ done: 6, total: 6, found: 5 })
    expect(progress.map((p) => p.done)).toEqual([1, 2, 3, 4, 5, 6])
    // The silent server costs one banner timeout, not a connect timeout per host.
    expect(result.elapsedMs).toBeLessThan(1000)
  })
})

// A prober whose hosts never answer, like a /24 with nobody home. `stuck` ignores its own
// timeout (a broken prober): only the sweep's hard deadline or an abort ends it.
function silentProber(stuck = false): TcpProber & { maxInFlight: number } {
  let inFlight = 0
  const p = {
    maxInFlight: 0,
    probe: (_host: string, _port: number, { signal, timeoutMs }: { signal?: AbortSignal; timeoutMs: number }) =>
      new Promise<ProbeOutcome>((resolve) => {
        inFlight++
        p.maxInFlight = Math.max(p.maxInFlight, inFlight)
        const done = (): void => {
          inFlight--
          clearTimeout(timer)
          resolve({ status: 'timeout' })
        }
        const timer = stuck ? undefined : setTimeout(done, timeoutMs)
        signal?.addEventListener('abort', done, { once: true })
      })
  }
  return p
}

const fortyHosts = Array.from({ length: 40 }, (_, i) => `127.0.1.${i + 1}`)

describe('sshSweep bounds', () => {
  it('finishes 40 silent hosts within the per-host deadline, not 40 of them', async () => {
    const started = performance.now()
    const result = await sshSweep({ hosts: fortyHosts, prober: silentProber(), connectTimeoutMs: 200, bannerTimeoutMs: 200 })
    const elapsed = performance.now() - started
    // hard deadline = 200 + 200 + 250 ms; all 40 run in one wave
    expect(elapsed).toBeLessThan(1200)
    expect(result).toMatchObject({ total: 40, hits: [], timedOut: 40 })
  })

  it('ends a stuck probe at the hard deadline', async () => {
    const started = performance.now()
    const result = await sshSweep({ hosts: fortyHosts, prober: silentProber(true), connectTimeoutMs: 100, bannerTimeoutMs: 100 })
    // deadline = 100 + 100 + 250 ms, once for all 40
    expect(performance.now() - started).toBeLessThan(1500)
    expect(result.timedOut).toBe(40)
  })

  it('never has more connects in flight than the concurrency allows', async () => {
    const prober = silentProber()
    await sshSweep({ hosts: fortyHosts, prober, concurrency: 8, connectTimeoutMs: 10, bannerTimeoutMs: 10 })
    expect(prober.maxInFlight).toBe(8)
  })

  it('stops at once when cancelled, with a DISCOVERY_ABORTED error', async () => {
    const controller = new AbortController()
    const started = performance.now()
    const sweep = sshSweep({ hosts: fortyHosts, prober: silentProber(true), concurrency: 4, connectTimeoutMs: 5000, signal: controller.signal })
    setTimeout(() => controller.abort(), 30)
    await expect(sweep).rejects.toBeInstanceOf(DiscoveryAbortedError)
    await expect(sweep).rejects.toMatchObject({ code: 'DISCOVERY_ABORTED' })
    expect(performance.now() - started).toBeLessThan(500)
  })
})
