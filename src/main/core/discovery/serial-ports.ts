// Classifies the entries of serialport's `SerialPort.list()` and turns its failures into a status
// the USB section can show. On Linux the list comes from `udevadm info -e`; a bare machine has no
// udevadm, and that must read as a sentence, not a crash.

import { UsbListFailedError, UsbUdevMissingError, type DiscoveryError } from './errors'
import { lookupUsbId, normalizeUsbId, type UsbDeviceKind } from './usb-ids'

/** The shape serialport's list() returns (@serialport/bindings-interface PortInfo). */
export interface PortInfoLike {
  path: string
  manufacturer?: string | undefined
  serialNumber?: string | undefined
  pnpId?: string | undefined
  locationId?: string | undefined
  vendorId?: string | undefined
  productId?: string | undefined
}

export type SerialPortKind = Extract<UsbDeviceKind, 'usb-uart' | 'pi-gadget-serial' | 'pi-gadget-composite'> | 'other-usb-serial' | 'built-in'

export interface SerialPortEntry {
  path: string
  kind: SerialPortKind
  label: string
  vendorId: string | null
  productId: string | null
  manufacturer: string | null
  serialNumber: string | null
  /** a cable or gadget a Pi console is likely on: offer it first */
  likelyPiConsole: boolean
}

export type SerialPortListing =
  | { status: 'ok'; ports: SerialPortEntry[] }
  | { status: 'error'; code: DiscoveryError['code']; message: string; ports: [] }

export function classifySerialPort(port: PortInfoLike): SerialPortEntry {
  const vendorId = normalizeUsbId(port.vendorId) ?? null
  const productId = normalizeUsbId(port.productId) ?? null
  const known = lookupUsbId(vendorId, productId)
  const base = {
    path: port.path,
    vendorId,
    productId,
    manufacturer: port.manufacturer ?? null,
    serialNumber: port.serialNumber ?? null
  }
  if (known && (known.kind === 'usb-uart' || known.kind === 'pi-gadget-serial' || known.kind === 'pi-gadget-composite')) {
    return { ...base, kind: known.kind, label: known.label, likelyPiConsole: true }
  }
  if (vendorId !== null) {
    return { ...base, kind: 'other-usb-serial', label: `USB serial ${vendorId}:${productId ?? '????'}`, likelyPiConsole: false }
  }
  // /dev/ttyS*, ttyAMA*: the machine's own UARTs, almost never a Pi's console on a laptop.
  return { ...base, kind: 'built-in', label: 'Built-in serial port', likelyPiConsole: false }
}

export function classifySerialPorts(ports: readonly PortInfoLike[]): SerialPortEntry[] {
  const rank = (e: SerialPortEntry): number => (e.likelyPiConsole ? 0 : e.kind === 'other-usb-serial' ? 1 : 2)
  return ports.map(classifySerialPort).sort((a, b) => rank(a) - rank(b) || a.path.localeCompare(b.path))
}

function isUdevMissing(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown; path?: unknown; syscall?: unknown }
  if (e?.code === 'ENOENT' && (e.path === 'udevadm' || String(e.syscall ?? '').includes('udevadm'))) return true
  return typeof e?.message === 'string' && /udevadm/.test(e.message) && /ENOENT|not found/.test(e.message)
}

/** Wraps an injected `SerialPort.list` so the caller always gets a listing, never a throw. */
export async function listSerialPorts(list: () => Promise<readonly PortInfoLike[]>): Promise<SerialPortListing> {
  try {
    return { status: 'ok', ports: classifySerialPorts(await list()) }
  } catch (error) {
    const failure = isUdevMissing(error)
      ? new UsbUdevMissingError(error)
      : new UsbListFailedError(error instanceof Error ? error.message : String(error), error)
    return { status: 'error', code: failure.code, message: failure.message, ports: [] }
  }
}
