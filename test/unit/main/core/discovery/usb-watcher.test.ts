import { describe, expect, it } from 'vitest'
import { diffUsbSnapshots } from '../../../../../src/main/core/discovery/usb-inventory'
import { watchUsb } from '../../../../../src/main/core/discovery/usb-watcher'
import type { UsbDiff, UsbSnapshot } from '../../../../../src/main/core/discovery/usb-inventory'
import { classifySerialPorts } from '../../../../../src/main/core/discovery/serial-ports'
import { classifyUsbDevices } from '../../../../../src/main/core/discovery/usb-devices'
import { parseLsblkDrives } from '../../../../../src/main/core/discovery/block-drives'
import { fixture } from './fixture'

const ftdi = classifySerialPorts([{ path: '/dev/ttyUSB0', vendorId: '0403', productId: '6001', serialNumber: 'A10KZP3N' }])
const bootRom = classifyUsbDevices([{ busId: '1-1', vendorId: '0a5c', productId: '2711', manufacturer: null, product: null, serial: null }])
const massStorage = classifyUsbDevices([{ busId: '1-1', vendorId: '0525', productId: 'a4a5', manufacturer: null, product: null, serial: null }])
const laptopDrives = parseLsblkDrives(fixture('lsblk-laptop.json'))

function snap(partial: Partial<UsbSnapshot>): UsbSnapshot {
  return { serialPorts: { status: 'ok', ports: [] }, devices: [], drives: [], ...partial }
}

describe('diffUsbSnapshots', () => {
  it('reports a console cable plugged in, then pulled out', () => {
    const before = snap({})
    const after = snap({ serialPorts: { status: 'ok', ports: ftdi } })
    const plugged = diffUsbSnapshots(before, after)
    expect(plugged.appeared.map((i) => [i.type, i.key])).toEqual([['serial-port', 'serial:/dev/ttyUSB0:0403:6001:A10KZP3N']])
    expect(plugged.disappeared).toEqual([])
    const pulled = diffUsbSnapshots(after, before)
    expect(pulled.disappeared.map((i) => i.type)).toEqual(['serial-port'])
  })

  it('sees a CM4 leaving boot ROM for the mass-storage gadget on the same port as one gone, one new', () => {
    const d = diffUsbSnapshots(snap({ devices: bootRom }), snap({ devices: massStorage }))
    expect(d.disappeared.map((i) => (i.type === 'usb-device' ? i.item.kind : ''))).toEqual(['pi-boot-rom'])
    expect(d.appeared.map((i) => (i.type === 'usb-device' ? i.item.kind : ''))).toEqual(['pi-mass-storage-gadget'])
  })

  it('sees a card swapped in the same reader', () => {
    const other = laptopDrives.map((d) => (d.name === 'sda' ? { ...d, serial: 'OTHER', sizeBytes: 63864569856 } : d))
    const d = diffUsbSnapshots(snap({ drives: laptopDrives }), snap({ drives: other }))
    expect(d.appeared.map((i) => i.key)).toEqual(['drive:/dev/sda:OTHER:63864569856'])
    expect(d.disappeared).toHaveLength(1)
  })

  it('reports nothing when nothing changed, and everything as new on the first scan', () => {
    const s = snap({ drives: laptopDrives, devices: bootRom, serialPorts: { status: 'ok', ports: ftdi } })
    const same = diffUsbSnapshots(s, structuredClone(s))
    expect(same).toEqual({ appeared: [], disappeared: [], serialStatusChanged: false })
    expect(diffUsbSnapshots(null, s).appeared).toHaveLength(6)
  })

  it('notices udevadm going missing', () => {
    const d = diffUsbSnapshots(snap({}), snap({ serialPorts: { status: 'error', code: 'USB_UDEV_MISSING', message: 'x', ports: [] } }))
    expect(d.serialStatusChanged).toBe(true)
  })
})

describe('watchUsb', () => {
  it('emits a diff when a device appears between polls, and none while nothing changes', async () => {
    const snapshots = [snap({}), snap({}), snap({ devices: bootRom })]
    let calls = 0
    const diffs: UsbDiff[] = []
    let resolveChange: () => void = () => undefined
    const changed = new Promise<void>((r) => (resolveChange = r))
    const watcher = watchUsb({
      scan: async () => snapshots[Math.min(calls++, snapshots.length - 1)]!,
      intervalMs: 5,
      onChange: (diff) => {
        diffs.push(diff)
        resolveChange()
      }
    })
    expect(await watcher.ready).toEqual(snap({}))
    await changed
    watcher.stop()
    expect(diffs).toHaveLength(1)
    expect(diffs[0]!.appeared.map((i) => i.type)).toEqual(['usb-device'])
  })

  it('rescans at once when the trigger fires, and survives a failing scan', async () => {
    let fire: () => void = () => undefined
    let n = 0
    const errors: unknown[] = []
    const seen: UsbDiff[] = []
    const watcher = watchUsb({
      scan: async () => {
        n++
        if (n === 2) throw new Error('lsblk vanished')
        return n === 1 ? snap({}) : snap({ serialPorts: { status: 'ok', ports: ftdi } })
      },
      intervalMs: 60_000,
      trigger: (rescan) => {
        fire = rescan
        return () => undefined
      },
      onChange: (diff) => seen.push(diff),
      onError: (e) => errors.push(e)
    })
    await watcher.ready
    fire()
    await new Promise((r) => setTimeout(r, 10))
    fire()
    await new Promise((r) => setTimeout(r, 10))
    watcher.stop()
    expect(errors).toHaveLength(1)
    expect(seen).toHaveLength(1)
    expect(seen[0]!.appeared[0]!.type).toBe('serial-port')
  })
})
