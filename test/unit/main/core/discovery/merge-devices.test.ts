import { describe, expect, it } from 'vitest'
import { markStale, mergeObservations } from '../../../../../src/main/core/discovery/merge-devices'
import type { DeviceRecord, Observation } from '../../../../../src/main/core/discovery/device-record'
import { parseDeviceFacts } from '../../../../../src/main/core/discovery/device-facts'

const T0 = Date.UTC(2026, 10, 25, 9, 0, 0)
const PI_MAC = 'dc:a6:32:1b:7f:04'
const BANNER = 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3'

function merge(records: DeviceRecord[], ...observations: Observation[]) {
  return mergeObservations(records, observations)
}

describe('mergeObservations', () => {
  it('makes one Pi 4 record from ARP, sweep, mDNS and login sightings of the same unit', () => {
    const { records, changes } = merge(
      [],
      { source: 'arp', at: T0, ip: '192.168.1.23', mac: 'DC-A6-32-1B-7F-04', isRaspberryPi: true },
      { source: 'ssh-sweep', at: T0 + 1, ip: '192.168.1.23', sshBanner: BANNER },
      { source: 'mdns', at: T0 + 2, ip: '192.168.1.23', hostname: 'raspberrypi.local.', services: ['_ssh._tcp'] },
      {
        source: 'login',
        at: T0 + 3,
        ip: '192.168.1.23',
        mac: PI_MAC,
        facts: parseDeviceFacts({ deviceTreeModel: 'Raspberry Pi 4 Model B Rev 1.4\0', deviceTreeSerial: '10000000A3C1F6E2\0' })
      }
    )
    expect(records).toHaveLength(1)
    expect(records[0]).toMatchObject({
      id: `mac:${PI_MAC}`,
      mac: PI_MAC,
      ip: '192.168.1.23',
      hostname: 'raspberrypi',
      model: 'Raspberry Pi 4 Model B Rev 1.4',
      serial: '10000000a3c1f6e2',
      isRaspberryPi: true,
      sshBanner: BANNER,
      sources: ['mdns', 'arp', 'ssh-sweep', 'login'],
      services: ['_ssh._tcp'],
      state: 'online',
      firstSeen: T0,
      lastSeen: T0 + 3
    })
    expect(changes.added).toEqual([`mac:${PI_MAC}`])
  })

  it('keeps the same record when DHCP gives the unit a new address, and says where it was', () => {
    const first = merge([], { source: 'arp', at: T0, ip: '192.168.1.23', mac: PI_MAC })
    const { records, changes } = merge(first.records, { source: 'arp', at: T0 + 60_000, ip: '192.168.1.61', mac: PI_MAC })
    expect(records).toHaveLength(1)
    expect(records[0]).toMatchObject({ id: `mac:${PI_MAC}`, ip: '192.168.1.61', previousIp: '192.168.1.23' })
    expect(changes).toMatchObject({ added: [], updated: [`mac:${PI_MAC}`], ipChanged: [{ id: `mac:${PI_MAC}`, from: '192.168.1.23', to: '192.168.1.61' }] })
  })

  it('takes the address from a unit that has moved when another unit now holds it', () => {
    const first = merge([], { source: 'arp', at: T0, ip: '192.168.1.23', mac: PI_MAC })
    const { records } = merge(first.records, { source: 'arp', at: T0 + 1000, ip: '192.168.1.23', mac: 'd8:3a:dd:00:00:07' })
    expect(records.map((r) => [r.mac, r.ip, r.state])).toEqual([
      [PI_MAC, null, 'offline'],
      ['d8:3a:dd:00:00:07', '192.168.1.23', 'online']
    ])
  })

  it('does not move a unit back to its old address on a late, older sighting', () => {
    const { records } = merge(
      [],
      { source: 'arp', at: T0 + 5000, ip: '192.168.1.61', mac: PI_MAC },
      { source: 'mdns', at: T0, ip: '192.168.1.23', mac: PI_MAC }
    )
    expect(records[0]!.ip).toBe('192.168.1.61')
  })

  it('keys by serial when there is no MAC (serial console), by host key when neither', () => {
    const { records } = merge(
      [],
      { source: 'usb', at: T0, serial: '10000000A3C1F6E2', isRaspberryPi: true },
      { source: 'ssh-sweep', at: T0, ip: '10.0.0.9', hostKeyFingerprint: 'SHA256:Qk9m1c3vJ0yS8x4Pq2w+ZpGfZ8y1t3c5b7n9m1k3j5h' }
    )
    expect(records.map((r) => r.id)).toEqual(['serial:10000000a3c1f6e2', 'hostkey:SHA256:Qk9m1c3vJ0yS8x4Pq2w+ZpGfZ8y1t3c5b7n9m1k3j5h'])
  })

  it('folds two records into one once a login shows they are the same unit', () => {
    const usb = merge([], { source: 'usb', at: T0, serial: '10000000a3c1f6e2' })
    const lan = merge(usb.records, { source: 'arp', at: T0 + 10, ip: '192.168.1.23', mac: PI_MAC })
    expect(lan.records).toHaveLength(2)
    const { records, changes } = merge(lan.records, { source: 'login', at: T0 + 20, ip: '192.168.1.23', mac: PI_MAC, serial: '10000000a3c1f6e2' })
    expect(records).toHaveLength(1)
    expect(records[0]).toMatchObject({ id: 'serial:10000000a3c1f6e2', mac: PI_MAC, ip: '192.168.1.23', sources: ['arp', 'login', 'usb'] })
    expect(changes.removed).toEqual([{ id: `mac:${PI_MAC}`, mergedInto: 'serial:10000000a3c1f6e2' }])
  })

  it('knows a Pi with Ethernet and Wi-Fi as one unit by its serial', () => {
    const { records } = merge(
      [],
      { source: 'login', at: T0, ip: '192.168.1.23', mac: PI_MAC, serial: 'abc' },
      { source: 'login', at: T0 + 1, ip: '192.168.1.24', mac: 'dc:a6:32:1b:7f:05', serial: 'ABC' }
    )
    expect(records).toHaveLength(1)
    expect(records[0]!.macs).toEqual([PI_MAC, 'dc:a6:32:1b:7f:05'])
  })

  it('does not mark a laptop as a Pi, and uses the id function it is given', () => {
    const { records } = mergeObservations([], [{ source: 'arp', at: T0, ip: '192.168.1.77', mac: '3c:52:82:aa:10:01' }], { newId: () => 'dev-1' })
    expect(records[0]).toMatchObject({ id: 'dev-1', isRaspberryPi: false })
  })

  it('does not change the records it was given', () => {
    const first = merge([], { source: 'arp', at: T0, ip: '192.168.1.23', mac: PI_MAC })
    const frozen = structuredClone(first.records)
    merge(first.records, { source: 'mdns', at: T0 + 1, ip: '192.168.1.40', mac: PI_MAC, hostname: 'door-1' })
    expect(first.records).toEqual(frozen)
  })
})

describe('markStale', () => {
  it('turns units unseen for longer than the limit offline, and only them', () => {
    const { records } = merge(
      [],
      { source: 'arp', at: T0, ip: '192.168.1.23', mac: PI_MAC },
      { source: 'arp', at: T0 + 50_000, ip: '192.168.1.24', mac: 'd8:3a:dd:00:00:07' }
    )
    const result = markStale(records, T0 + 70_000, 60_000)
    expect(result.changed).toEqual([`mac:${PI_MAC}`])
    expect(result.records.map((r) => r.state)).toEqual(['offline', 'online'])
    expect(records.map((r) => r.state)).toEqual(['online', 'online'])
  })
})
