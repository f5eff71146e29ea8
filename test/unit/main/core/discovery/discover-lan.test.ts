// The whole LAN pass with its outside world faked: a lab /24 where two Pis answer SSH, one Pi has
// SSH off, and a laptop answers SSH too. No packets are sent.

import { EventEmitter } from 'node:events'
import { describe, expect, it } from 'vitest'
import { discoverLan, discoveredDevices } from '../../../../../src/main/core/discovery/discover-lan'
import type { MdnsTransport } from '../../../../../src/main/core/discovery/mdns-browser'
import type { CommandRunner } from '../../../../../src/main/core/discovery/ports'
import type { TcpProber } from '../../../../../src/main/core/discovery/tcp-probe'

const banners: Record<string, string> = {
  '10.77.0.11': 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3',
  '10.77.0.12': 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3',
  '10.77.0.50': 'SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13.5'
}
// 10.77.0.13 is a Pi with SSH off: it is there, so it refuses port 22.
const refusing = new Set(['10.77.0.13'])
const probed: string[] = []
const prober: TcpProber = {
  async probe(host) {
    probed.push(host)
    const banner = banners[host]
    if (banner) return { status: 'open', banner, connectMs: 2 }
    return refusing.has(host) ? { status: 'closed' } : { status: 'timeout' }
  }
}

const neigh = JSON.stringify([
  { dst: '10.77.0.11', dev: 'br-lab', lladdr: 'dc:a6:32:00:00:11', state: ['REACHABLE'] },
  { dst: '10.77.0.12', dev: 'br-lab', lladdr: 'dc:a6:32:00:00:12', state: ['REACHABLE'] },
  { dst: '10.77.0.13', dev: 'br-lab', lladdr: 'd8:3a:dd:00:00:13', state: ['STALE'] },
  { dst: '10.77.0.50', dev: 'br-lab', lladdr: '3c:52:82:aa:10:01', state: ['REACHABLE'] }
])
const runner: CommandRunner = {
  async run(argv) {
    if (argv.join(' ') === 'ip -j neigh show') return { stdout: neigh, stderr: '', exitCode: 0 }
    return { stdout: '', stderr: 'unexpected', exitCode: 1 }
  }
}
const interfaces = () => ({
  lo: [{ address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4', internal: true, cidr: '127.0.0.1/8' }],
  'br-lab': [{ address: '10.77.0.1', netmask: '255.255.255.0', family: 'IPv4', internal: false, cidr: '10.77.0.1/24' }]
})

class LabResponder extends EventEmitter implements MdnsTransport {
  query(packet: { questions: Array<{ name: string; type: string }> }): void {
    if (packet.questions.some((q) => q.name === '_workstation._tcp.local')) {
      const instance = 'lab-pi-02 [dc:a6:32:00:00:12]._workstation._tcp.local'
      setTimeout(() =>
        this.emit('response', {
          answers: [{ name: '_workstation._tcp.local', type: 'PTR', ttl: 120, data: instance }],
          additionals: [
            { name: instance, type: 'SRV', ttl: 120, data: { port: 9, target: 'lab-pi-02.local', priority: 0, weight: 0 } },
            { name: 'lab-pi-02.local', type: 'A', ttl: 120, data: '10.77.0.12' }
          ]
        })
      )
    }
  }
  destroy(): void {}
}

describe('discoverLan', () => {
  it('lists the three Pis (one with SSH off) and the laptop, each once, with what each source saw', async () => {
    const progress: number[] = []
    const result = await discoverLan(
      { runner, interfaces, prober, mdnsFactory: () => new LabResponder() },
      { timeoutMs: 300, onProgress: (p) => progress.push(p.done) }
    )
    expect(result.subnets).toEqual(['10.77.0.0/24'])
    expect(result.sweep.total).toBe(253)
    expect(probed).not.toContain('10.77.0.1')
    expect(progress.at(-1)).toBe(253)
    expect(result.mdnsError).toBeNull()

    const devices = discoveredDevices(result.observations)
    expect(devices.map((d) => [d.ip, d.mac, d.hostname, d.isRaspberryPi, d.sshBanner, d.sources])).toEqual([
      ['10.77.0.11', 'dc:a6:32:00:00:11', null, true, 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3', ['arp', 'ssh-sweep']],
      ['10.77.0.12', 'dc:a6:32:00:00:12', 'lab-pi-02', true, 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3', ['mdns', 'arp', 'ssh-sweep']],
      ['10.77.0.13', 'd8:3a:dd:00:00:13', null, true, null, ['arp']],
      ['10.77.0.50', '3c:52:82:aa:10:01', null, false, 'SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13.5', ['ssh-sweep']]
    ])
    expect(Object.keys(devices[0]!).sort()).toEqual(
      ['hostname', 'id', 'ip', 'isRaspberryPi', 'lastSeen', 'mac', 'model', 'serial', 'sources', 'sshBanner', 'state'].sort()
    )
  })

  it('still reports the sweep when mDNS cannot start, with the reason', async () => {
    const result = await discoverLan(
      { runner, interfaces, prober, mdnsFactory: () => Promise.reject(new Error('bind EADDRINUSE 0.0.0.0:5353')) },
      { timeoutMs: 300 }
    )
    expect(result.mdnsError).toEqual({ code: 'MDNS_UNAVAILABLE', message: 'mDNS is not available: bind EADDRINUSE 0.0.0.0:5353' })
    expect(discoveredDevices(result.observations).filter((d) => d.isRaspberryPi)).toHaveLength(3)
  })

  it('does not take a leftover neighbour entry for a sighting: a unit that moved or went away is not reported where it was', async () => {
    const leftovers = JSON.stringify([
      // light4 moved from .103 to .249: the kernel still holds its old address, REACHABLE for a while
      { dst: '10.77.0.103', dev: 'br-lab', lladdr: 'dc:a6:32:01:00:04', state: ['REACHABLE'] },
      { dst: '10.77.0.249', dev: 'br-lab', lladdr: 'dc:a6:32:01:00:04', state: ['REACHABLE'] },
      // a Pi switched off a minute ago: its entry is stale and nothing answers there any more
      { dst: '10.77.0.20', dev: 'br-lab', lladdr: 'dc:a6:32:00:00:20', state: ['STALE'] },
      // a Pi on another subnet, not swept: nothing contradicts the table
      { dst: '10.88.0.5', dev: 'eth1', lladdr: 'dc:a6:32:00:00:05', state: ['STALE'] }
    ])
    const result = await discoverLan(
      {
        runner: { run: async () => ({ stdout: leftovers, stderr: '', exitCode: 0 }) },
        interfaces,
        prober: { probe: async (host) => (host === '10.77.0.249' ? { status: 'open', banner: banners['10.77.0.11']!, connectMs: 2 } : { status: 'timeout' }) }
      },
      { timeoutMs: 300, mdns: false }
    )
    expect(discoveredDevices(result.observations).map((d) => [d.ip, d.mac])).toEqual([
      ['10.77.0.249', 'dc:a6:32:01:00:04'],
      ['10.88.0.5', 'dc:a6:32:00:00:05']
    ])
  })

  it('rejects a bad --subnet before sending anything', async () => {
    probed.length = 0
    await expect(discoverLan({ runner, interfaces, prober }, { subnets: ['10.0.0.0/8'], mdns: false })).rejects.toMatchObject({
      code: 'DISCOVERY_SUBNET_TOO_LARGE'
    })
    expect(probed).toEqual([])
  })
})
