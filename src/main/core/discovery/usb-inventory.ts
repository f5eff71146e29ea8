// One snapshot of everything USB-side (console ports, Pi gadgets / boot ROMs, drives) and the
// diff between two snapshots that hotplug events are made of.

import type { BlockDrive } from './block-drives'
import type { SerialPortEntry, SerialPortListing } from './serial-ports'
import type { PiUsbDevice } from './usb-devices'

export interface UsbSnapshot {
  serialPorts: SerialPortListing
  devices: PiUsbDevice[]
  drives: BlockDrive[]
}

export type UsbItem =
  | { type: 'serial-port'; key: string; item: SerialPortEntry }
  | { type: 'usb-device'; key: string; item: PiUsbDevice }
  | { type: 'drive'; key: string; item: BlockDrive }

export interface UsbDiff {
  appeared: UsbItem[]
  disappeared: UsbItem[]
  /** the serial listing's status changed (udevadm installed or removed meanwhile) */
  serialStatusChanged: boolean
}

// Keys include what changes when a different thing takes the same place: a CM4 leaving boot ROM
// for the mass-storage gadget on the same port, or another card in the same reader.
function itemsOf(snapshot: UsbSnapshot): UsbItem[] {
  return [
    ...snapshot.serialPorts.ports.map((p): UsbItem => ({
      type: 'serial-port',
      key: `serial:${p.path}:${p.vendorId ?? ''}:${p.productId ?? ''}:${p.serialNumber ?? ''}`,
      item: p
    })),
    ...snapshot.devices.map((d): UsbItem => ({
      type: 'usb-device',
      key: `usb:${d.busId}:${d.vendorId}:${d.productId}:${d.serial ?? ''}`,
      item: d
    })),
    ...snapshot.drives.map((d): UsbItem => ({
      type: 'drive',
      key: `drive:${d.path}:${d.serial ?? ''}:${d.sizeBytes}`,
      item: d
    }))
  ]
}

export function diffUsbSnapshots(previous: UsbSnapshot | null, next: UsbSnapshot): UsbDiff {
  const before = new Map((previous ? itemsOf(previous) : []).map((i) => [i.key, i]))
  const after = new Map(itemsOf(next).map((i) => [i.key, i]))
  return {
    appeared: [...after.values()].filter((i) => !before.has(i.key)),
    disappeared: [...before.values()].filter((i) => !after.has(i.key)),
    serialStatusChanged: previous !== null && previous.serialPorts.status !== next.serialPorts.status
  }
}

export function isEmptyDiff(diff: UsbDiff): boolean {
  return diff.appeared.length === 0 && diff.disappeared.length === 0 && !diff.serialStatusChanged
}
