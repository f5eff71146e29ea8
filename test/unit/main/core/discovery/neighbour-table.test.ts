import { describe, expect, it } from 'vitest'
import { parseIpNeighJson, parseProcNetArp } from '../../../../../src/main/core/discovery/neighbour-table'
import { fixture } from './fixture'

describe('parseIpNeighJson', () => {
  const entries = parseIpNeighJson(fixture('ip-neigh.json'))

  it('finds the Pis on the LAN by their MAC', () => {
    const pis = entries.filter((e) => e.isRaspberryPi).map((e) => `${e.ip} ${e.mac}`)
    expect(pis).toEqual([
      '192.168.1.23 dc:a6:32:1b:7f:04',
      '192.168.1.42 d8:3a:dd:12:34:56',
      '10.77.0.12 f0:40:af:91:00:02',
      '192.168.1.90 8c:1f:64:34:a1:22'
    ])
  })

  it('keeps other hosts, unmarked, and skips failed, incomplete and IPv6 entries', () => {
    expect(entries.map((e) => e.ip)).toEqual(['192.168.1.1', '192.168.1.23', '192.168.1.42', '192.168.1.77', '10.77.0.12', '192.168.1.90'])
    expect(entries.find((e) => e.ip === '192.168.1.1')).toMatchObject({ isRaspberryPi: false, device: 'eth0', state: 'REACHABLE' })
  })

  it('returns nothing for output that is not JSON', () => {
    expect(parseIpNeighJson('Option "-j" is unknown')).toEqual([])
    expect(parseIpNeighJson('{}')).toEqual([])
  })
})

describe('parseProcNetArp', () => {
  it('reads complete entries and marks the Pis', () => {
    expect(parseProcNetArp(fixture('proc-net-arp.txt'))).toEqual([
      { ip: '192.168.1.1', mac: 'a0:63:91:4e:2c:10', device: 'eth0', state: 'complete', isRaspberryPi: false },
      { ip: '192.168.1.23', mac: 'dc:a6:32:1b:7f:04', device: 'eth0', state: 'complete', isRaspberryPi: true },
      { ip: '192.168.1.88', mac: '2c:cf:67:05:e1:9a', device: 'wlan0', state: 'complete', isRaspberryPi: true }
    ])
  })
})
