import type { Device } from '../../../shared/domain'

/** A device record with nothing learned about it yet: what a manual add starts from. */
export function blankDevice(fields: Pick<Device, 'id' | 'name' | 'host' | 'port' | 'user' | 'createdAt'> & Partial<Device>): Device {
  return {
    mac: null,
    model: null,
    serial: null,
    hostKeyFingerprint: null,
    sshBanner: null,
    hostname: null,
    previousHost: null,
    macs: [],
    isRaspberryPi: false,
    facts: null,
    services: [],
    state: 'unknown',
    lastSeen: null,
    sources: ['manual'],
    ...fields
  }
}
