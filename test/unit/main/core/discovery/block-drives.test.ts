import { describe, expect, it } from 'vitest'
import { LSBLK_COMMAND, parseLsblkDrives } from '../../../../../src/main/core/discovery/block-drives'
import { fixture } from './fixture'

describe('parseLsblkDrives on a laptop', () => {
  const drives = parseLsblkDrives(fixture('lsblk-laptop.json'))
  const byName = Object.fromEntries(drives.map((d) => [d.name, d]))

  it('lists whole disks only, no loop devices or partitions', () => {
    expect(drives.map((d) => d.name)).toEqual(['sda', 'sdb', 'sdc', 'nvme0n1'])
  })

  it('offers the SD card in the USB reader, even though its partitions are mounted', () => {
    expect(byName.sda).toMatchObject({
      path: '/dev/sda',
      sizeBytes: 31914983424,
      vendor: 'Generic',
      transport: 'usb',
      isSystem: false,
      selectable: true,
      mountpoints: ['/media/tech/bootfs', '/media/tech/rootfs']
    })
  })

  it('marks the system disk (root inside LUKS on a partition) and it cannot be chosen', () => {
    expect(byName.nvme0n1).toMatchObject({ isSystem: true, selectable: false })
    expect(byName.nvme0n1!.systemReasons).toEqual(['holds-system-mount', 'not-removable'])
  })

  it('marks a USB disk holding swap as a system disk', () => {
    expect(byName.sdc).toMatchObject({ isSystem: true, selectable: false, systemReasons: ['holds-system-mount'] })
  })

  it('greys out an empty card reader without calling it a system disk', () => {
    expect(byName.sdb).toMatchObject({ isSystem: false, selectable: false, sizeBytes: 0 })
  })
})

describe('parseLsblkDrives on a Pi with old util-linux (flat list, string fields)', () => {
  const drives = parseLsblkDrives(fixture('lsblk-old-util-linux-list.json'))

  it('rebuilds the tree from PKNAME and protects the booted SD card', () => {
    expect(drives.map((d) => [d.name, d.isSystem, d.selectable])).toEqual([
      ['mmcblk0', true, false],
      ['sda', false, true]
    ])
    expect(drives[0]!.mountpoints).toEqual(['/boot', '/'])
    expect(drives[1]).toMatchObject({ sizeBytes: 63864569856, removable: true, hotplug: true })
  })
})

describe('parseLsblkDrives on bad input', () => {
  it('returns no drives rather than throwing', () => {
    expect(parseLsblkDrives('lsblk: unknown column: MOUNTPOINTS')).toEqual([])
    expect(parseLsblkDrives('{}')).toEqual([])
  })

  it('treats a disk with no removable or hotplug flag as a system disk', () => {
    const [drive] = parseLsblkDrives(JSON.stringify({ blockdevices: [{ name: 'vdb', size: 1000, type: 'disk' }] }))
    expect(drive).toMatchObject({ isSystem: true, systemReasons: ['not-removable'], path: '/dev/vdb' })
  })

  it('asks lsblk for exactly the columns it reads', () => {
    expect(LSBLK_COMMAND.join(' ')).toBe('lsblk --json -b -o NAME,PATH,SIZE,MODEL,VENDOR,SERIAL,TRAN,RM,HOTPLUG,TYPE,MOUNTPOINTS,PKNAME')
  })
})
