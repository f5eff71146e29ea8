// USB vendor:product pairs that matter when a technician plugs a Pi (or a console cable) in.

export type UsbDeviceKind =
  /** a USB-to-UART cable or board wired to the Pi's GPIO console pins */
  | 'usb-uart'
  /** a Pi in USB gadget mode offering a network link (RNDIS / CDC Ethernet) */
  | 'pi-gadget-network'
  /** a Pi in USB gadget mode offering a serial console (CDC ACM / gadget serial) */
  | 'pi-gadget-serial'
  /** a Pi in composite gadget mode (network + serial together) */
  | 'pi-gadget-composite'
  /** a Pi or Compute Module in boot-ROM mode waiting for rpiboot */
  | 'pi-boot-rom'
  /** rpiboot's mass-storage gadget: the eMMC is about to show as a drive */
  | 'pi-mass-storage-gadget'

export interface KnownUsbId {
  kind: UsbDeviceKind
  label: string
}

const KNOWN: Record<string, KnownUsbId> = {
  '0403:6001': { kind: 'usb-uart', label: 'FTDI FT232R USB-UART' },
  '0403:6010': { kind: 'usb-uart', label: 'FTDI FT2232 dual USB-UART' },
  '0403:6014': { kind: 'usb-uart', label: 'FTDI FT232H USB-UART' },
  '10c4:ea60': { kind: 'usb-uart', label: 'Silicon Labs CP210x USB-UART' },
  '1a86:7523': { kind: 'usb-uart', label: 'WCH CH340 USB-UART' },
  '1a86:7522': { kind: 'usb-uart', label: 'WCH CH340 USB-UART' },
  '1a86:5523': { kind: 'usb-uart', label: 'WCH CH341 USB-UART' },
  '067b:2303': { kind: 'usb-uart', label: 'Prolific PL2303 USB-UART' },
  '0525:a4a2': { kind: 'pi-gadget-network', label: 'Pi USB gadget, Ethernet (RNDIS)' },
  '0525:a4a1': { kind: 'pi-gadget-network', label: 'Pi USB gadget, Ethernet (CDC)' },
  '0525:a4a6': { kind: 'pi-gadget-serial', label: 'Pi USB gadget, serial console' },
  '0525:a4a7': { kind: 'pi-gadget-serial', label: 'Pi USB gadget, serial console (CDC ACM)' },
  '1d6b:0104': { kind: 'pi-gadget-composite', label: 'Pi USB gadget, composite' },
  '2e8a:0013': { kind: 'pi-gadget-composite', label: 'Raspberry Pi USB gadget (rpi-usb-gadget)' },
  '0a5c:2763': { kind: 'pi-boot-rom', label: 'Pi boot ROM (BCM2835: Pi 1, Zero, CM1), needs rpiboot' },
  '0a5c:2764': { kind: 'pi-boot-rom', label: 'Pi boot ROM (BCM2837: Pi 3, CM3), needs rpiboot' },
  '0a5c:2711': { kind: 'pi-boot-rom', label: 'Pi boot ROM (BCM2711: Pi 4, CM4), needs rpiboot' },
  '0a5c:2712': { kind: 'pi-boot-rom', label: 'Pi boot ROM (BCM2712: Pi 5, CM5), needs rpiboot' },
  '0525:a4a5': { kind: 'pi-mass-storage-gadget', label: 'Pi mass-storage gadget (rpiboot)' }
}

/** "0x0403", "0403", "403", "0A5C" -> "0403" / "0a5c"; undefined when not a 16-bit hex id. */
export function normalizeUsbId(raw: string | undefined | null): string | undefined {
  if (typeof raw !== 'string') return undefined
  const s = raw.trim().toLowerCase().replace(/^0x/, '')
  if (!/^[0-9a-f]{1,4}$/.test(s)) return undefined
  return s.padStart(4, '0')
}

export function lookupUsbId(vendorId: string | undefined | null, productId: string | undefined | null): KnownUsbId | undefined {
  const v = normalizeUsbId(vendorId)
  const p = normalizeUsbId(productId)
  if (v === undefined || p === undefined) return undefined
  return KNOWN[`${v}:${p}`]
}
