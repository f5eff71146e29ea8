// The safety rules as a pure decision over lsblk's view of the machine: no device is touched.
import { describe, expect, it } from 'vitest'
import { parseLsblkDrives } from '../../../../../src/main/core/discovery/block-drives'
import { assertTargetAllowed, type TargetFacts } from '../../../../../src/main/core/flash/target-safety'

const lsblk = JSON.stringify({
  blockdevices: [
    { name: 'vda', path: '/dev/vda', size: 270582939648, rm: false, hotplug: false, type: 'disk', mountpoints: [null], children: [
      { name: 'vda1', path: '/dev/vda1', size: 270000000000, rm: false, hotplug: false, type: 'part', mountpoints: ['/'] }
    ] },
    { name: 'sdb', path: '/dev/sdb', size: 31914983424, rm: true, hotplug: true, tran: 'usb', type: 'disk', mountpoints: [null] },
    { name: 'sdc', path: '/dev/sdc', size: 31914983424, rm: true, hotplug: true, tran: 'usb', type: 'disk', mountpoints: [null], children: [
      { name: 'sdc1', path: '/dev/sdc1', size: 268435456, type: 'part', mountpoints: ['/media/pi/bootfs'] }
    ] },
    { name: 'sdd', path: '/dev/sdd', size: 256060514304, rm: true, hotplug: true, tran: 'usb', type: 'disk', mountpoints: [null] },
    { name: 'sde', path: '/dev/sde', size: 0, rm: true, hotplug: true, tran: 'usb', type: 'disk', mountpoints: [null] }
  ]
})
const drives = parseLsblkDrives(lsblk)
const block = (name: string, extra: Partial<TargetFacts> = {}): TargetFacts => ({
  target: `/dev/${name}`,
  kind: 'block',
  drive: drives.find((d) => d.name === name) ?? null,
  readOnly: false,
  sourceDisk: 'vda',
  sameFileAsSource: false,
  ...extra
})
const code = (facts: TargetFacts, imageSize: number | null = 4e9, confirmLarge = false) => {
  try {
    assertTargetAllowed(facts, { imageSize, confirmLarge })
    return 'allowed'
  } catch (err) {
    return (err as { code: string }).code
  }
}

describe('target safety', () => {
  it('allows a removable, unmounted card large enough for the image', () => {
    expect(code(block('sdb'))).toBe('allowed')
  })
  it('refuses the drive holding /', () => expect(code(block('vda'))).toBe('FLASH_TARGET_SYSTEM_DRIVE'))
  it('refuses the drive holding the source file', () => expect(code(block('sdb', { sourceDisk: 'sdb' }))).toBe('FLASH_TARGET_HOLDS_SOURCE'))
  it('refuses a card with a mounted partition', () => expect(code(block('sdc'))).toBe('FLASH_TARGET_MOUNTED'))
  it('refuses read-only media', () => expect(code(block('sdb', { readOnly: true }))).toBe('FLASH_TARGET_READ_ONLY'))
  it('refuses a card smaller than the image', () => expect(code(block('sdb'), 40e9)).toBe('FLASH_TARGET_TOO_SMALL'))
  it('asks for a confirmation above 128 GB', () => {
    expect(code(block('sdd'))).toBe('FLASH_TARGET_LARGE_UNCONFIRMED')
    expect(code(block('sdd'), 4e9, true)).toBe('allowed')
  })
  it('refuses an empty reader, a partition and a device lsblk does not know', () => {
    expect(code(block('sde'))).toBe('FLASH_TARGET_NOT_A_DRIVE')
    expect(code(block('sdb1'))).toBe('FLASH_TARGET_NOT_A_DRIVE')
    expect(code({ ...block('sdb'), kind: 'other' })).toBe('FLASH_TARGET_NOT_A_DRIVE')
  })
  it('refuses an image file that is the source itself', () => {
    expect(code({ ...block('sdb'), kind: 'file', drive: null, sameFileAsSource: true })).toBe('FLASH_TARGET_HOLDS_SOURCE')
  })
})
