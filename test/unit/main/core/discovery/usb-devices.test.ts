import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { classifyUsbDevices, readSysfsUsbDevices } from '../../../../../src/main/core/discovery/usb-devices'

// A recorded /sys/bus/usb/devices tree, reduced to the attributes read.
const root = mkdtempSync(join(tmpdir(), 'edgedock-sysfs-'))
function device(busId: string, attrs: Record<string, string>): void {
  mkdirSync(join(root, busId))
  for (const [k, v] of Object.entries(attrs)) writeFileSync(join(root, busId, k), `${v}\n`)
}
device('usb1', { idVendor: '1d6b', idProduct: '0002', product: 'xHCI Host Controller' })
device('1-1', { idVendor: '0a5c', idProduct: '2711', manufacturer: 'Broadcom', product: 'BCM2711 Boot', serial: '0' })
device('1-2', { idVendor: '0525', idProduct: 'a4a2', manufacturer: 'Linux 6.6.51+rpt-rpi-v8 with fe980000.usb', product: 'RNDIS/Ethernet Gadget' })
device('1-3', { idVendor: '046d', idProduct: 'c52b', manufacturer: 'Logitech', product: 'USB Receiver' })
device('1-4.1', { idVendor: '2e8a', idProduct: '0013', manufacturer: 'Raspberry Pi', product: 'rpi-usb-gadget', serial: 'a3c1f6e2' })
mkdirSync(join(root, '1-2:1.0'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('USB devices from sysfs', () => {
  it('finds a CM4 waiting for rpiboot, a Pi Zero in RNDIS mode and a Pi 5 gadget, not the mouse receiver', async () => {
    const devices = classifyUsbDevices(await readSysfsUsbDevices(root))
    expect(devices.map((d) => [d.busId, d.kind, d.label])).toEqual([
      ['1-1', 'pi-boot-rom', 'Pi boot ROM (BCM2711: Pi 4, CM4), needs rpiboot'],
      ['1-2', 'pi-gadget-network', 'Pi USB gadget, Ethernet (RNDIS)'],
      ['1-4.1', 'pi-gadget-composite', 'Raspberry Pi USB gadget (rpi-usb-gadget)']
    ])
    expect(devices[2]).toMatchObject({ serial: 'a3c1f6e2', manufacturer: 'Raspberry Pi' })
  })

  it('returns nothing where sysfs is absent', async () => {
    expect(await readSysfsUsbDevices(join(root, 'nope'))).toEqual([])
  })

  it.each([
    ['0a5c', '2763', 'pi-boot-rom'], ['0a5c', '2764', 'pi-boot-rom'], ['0a5c', '2712', 'pi-boot-rom'],
    ['0525', 'a4a5', 'pi-mass-storage-gadget'], ['0525', 'a4a1', 'pi-gadget-network'],
    ['0525', 'a4a6', 'pi-gadget-serial'], ['1d6b', '0104', 'pi-gadget-composite']
  ])('classifies %s:%s as %s', (vendorId, productId, kind) => {
    const [d] = classifyUsbDevices([{ busId: '2-1', vendorId, productId, manufacturer: null, product: null, serial: null }])
    expect(d?.kind).toBe(kind)
  })
})
