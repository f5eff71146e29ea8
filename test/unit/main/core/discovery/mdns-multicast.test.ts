// Real multicast, but only inside a private network namespace this test creates (unshare -rn,
// loopback only, multicast enabled on lo): nothing reaches this machine's own networks.
// Skipped where user namespaces are not allowed; the lab integration tests cover real avahi.

import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const canUnshare = spawnSync('unshare', ['-rn', 'ip', 'link', 'set', 'lo', 'multicast', 'on']).status === 0
const script = fileURLToPath(new URL('./netns/mdns-loopback.ts', import.meta.url))

describe.skipIf(!canUnshare)('mDNS over multicast in a private namespace', () => {
  it('finds the lab Pi by browsing _workstation._tcp and resolves lab-pi-01.local', () => {
    const setup = [
      'ip link set lo up',
      'ip link set lo multicast on',
      'ip route add 224.0.0.0/4 dev lo',
      `exec "${process.execPath}" --import tsx "${script}"`
    ].join(' && ')
    const child = spawnSync('unshare', ['-rn', 'sh', '-c', setup], { encoding: 'utf8', timeout: 30_000 })
    expect(child.stderr).toBe('')
    const out = JSON.parse(child.stdout) as { observations: unknown[]; resolved: string[] }
    expect(out.observations).toEqual([
      { source: 'mdns', at: 0, ip: '10.77.0.11', hostname: 'lab-pi-01.local', services: ['_workstation._tcp'], mac: 'dc:a6:32:00:00:01', isRaspberryPi: true }
    ])
    expect(out.resolved).toEqual(['10.77.0.11'])
  }, 40_000)
})
