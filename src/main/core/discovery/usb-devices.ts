// USB devices that are not serial ports (a Pi in RNDIS gadget mode, a CM4 in boot-ROM mode) are
// read from sysfs, which every Linux has, with or without udev.

import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { lookupUsbId, normalizeUsbId, type UsbDeviceKind } from './usb-ids'

export interface UsbDeviceInfo {
  /** sysfs bus id, e.g. "1-1.2": stable while the device stays on that port */
  busId: string
  vendorId: string
  productId: string
  manufacturer: string | null
  product: string | null
  serial: string | null
}

export interface PiUsbDevice extends UsbDeviceInfo {
  kind: UsbDeviceKind
  label: string
}

/** Keeps only the devices that are Pis, Pi gadgets or console cables, labelled. */
export function classifyUsbDevices(devices: readonly UsbDeviceInfo[]): PiUsbDevice[] {
  const out: PiUsbDevice[] = []
  for (const d of devices) {
    const known = lookupUsbId(d.vendorId, d.productId)
    if (known) out.push({ ...d, kind: known.kind, label: known.label })
  }
  return out.sort((a, b) => a.busId.localeCompare(b.busId))
}

async function readAttr(dir: string, name: string): Promise<string | null> {
  try {
    const s = (await readFile(join(dir, name), 'utf8')).trim()
    return s === '' ? null : s
  } catch {
    return null
  }
}

/** Lists USB devices from sysfs; `root` is injectable so tests can point at a fixture tree. */
export async function readSysfsUsbDevices(root = '/sys/bus/usb/devices'): Promise<UsbDeviceInfo[]> {
  let names: string[]
  try {
    names = await readdir(root)
  } catch {
    return []
  }
  const devices: UsbDeviceInfo[] = []
  // Interfaces ("1-1.2:1.0") and root hubs ("usb1") carry no idVendor of their own device.
  for (const busId of names.filter((n) => /^\d+-[\d.]+$/.test(n))) {
    const dir = join(root, busId)
    const vendorId = normalizeUsbId(await readAttr(dir, 'idVendor'))
    const productId = normalizeUsbId(await readAttr(dir, 'idProduct'))
    if (vendorId === undefined || productId === undefined) continue
    devices.push({
      busId,
      vendorId,
      productId,
      manufacturer: await readAttr(dir, 'manufacturer'),
      product: await readAttr(dir, 'product'),
      serial: await readAttr(dir, 'serial')
    })
  }
  return devices
}
