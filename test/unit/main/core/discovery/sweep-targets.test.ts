import { describe, expect, it } from 'vitest'
import { localSubnets, planSweep, type InterfaceTable } from '../../../../../src/main/core/discovery/sweep-targets'
import { formatCidr, parseCidr, prefixFromNetmask } from '../../../../../src/main/core/discovery/ipv4'

// Recorded os.networkInterfaces() of a bench laptop: loopback, a /22 office LAN, a VPN /32.
const laptop: InterfaceTable = {
  lo: [{ address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4', internal: true, cidr: '127.0.0.1/8' }],
  enp3s0: [
    { address: '10.20.6.41', netmask: '255.255.252.0', family: 'IPv4', internal: false, cidr: '10.20.6.41/22' },
    { address: 'fe80::1e69:7aff:fe01:2345', netmask: 'ffff:ffff:ffff:ffff::', family: 'IPv6', internal: false, cidr: 'fe80::1e69:7aff:fe01:2345/64' }
  ],
  wlp2s0: [{ address: '192.168.1.50', netmask: '255.255.255.0', family: 'IPv4', internal: false, cidr: '192.168.1.50/24' }],
  tun0: [{ address: '10.8.0.6', netmask: '255.255.255.255', family: 'IPv4', internal: false, cidr: '10.8.0.6/32' }],
  usb0: [{ address: '10.12.194.1', netmask: '255.255.255.248', family: 4, internal: false }]
}

describe('localSubnets', () => {
  it('caps a wide office LAN at the /24 around the laptop, skips loopback, IPv6 and the VPN', () => {
    expect(localSubnets(laptop).map(formatCidr)).toEqual(['10.20.6.0/24', '192.168.1.0/24', '10.12.194.0/29'])
  })
})

describe('planSweep', () => {
  it('probes every host of the local subnets but not the laptop itself', () => {
    const plan = planSweep([], laptop)
    expect(plan.subnets).toEqual(['10.20.6.0/24', '192.168.1.0/24', '10.12.194.0/29'])
    expect(plan.hosts).toHaveLength(253 + 253 + 5)
    expect(plan.hosts).not.toContain('192.168.1.50')
    expect(plan.hosts[0]).toBe('10.20.6.1')
    expect(plan.hosts).not.toContain('192.168.1.255')
  })

  it('takes a wider subnet when the user names one', () => {
    const plan = planSweep(['10.20.4.0/22'], laptop)
    expect(plan.subnets).toEqual(['10.20.4.0/22'])
    expect(plan.hosts).toHaveLength(1022 - 1)
  })

  it('refuses a subnet wider than /16 and text that is no subnet', () => {
    expect(() => planSweep(['10.0.0.0/8'], laptop)).toThrow(expect.objectContaining({ code: 'DISCOVERY_SUBNET_TOO_LARGE' }))
    expect(() => planSweep(['192.168.1.0/33'], laptop)).toThrow(expect.objectContaining({ code: 'DISCOVERY_INVALID_SUBNET' }))
    expect(() => planSweep(['pi.local'], laptop)).toThrow(expect.objectContaining({ code: 'DISCOVERY_INVALID_SUBNET' }))
  })

  it('accepts single addresses and host bits in a CIDR', () => {
    expect(planSweep(['192.168.7.23'], {}).hosts).toEqual(['192.168.7.23'])
    expect(formatCidr(parseCidr('192.168.7.23/24'))).toBe('192.168.7.0/24')
  })
})

describe('prefixFromNetmask', () => {
  it.each([
    ['255.255.255.0', 24], ['255.255.252.0', 22], ['255.255.255.255', 32], ['0.0.0.0', 0], ['255.0.255.0', undefined]
  ])('%s -> %s', (mask, prefix) => {
    expect(prefixFromNetmask(mask)).toBe(prefix)
  })
})
