// Builds one USB snapshot from the three injected sources. Each source fails on its own: no
// udevadm still shows drives and gadgets; no lsblk still shows console cables.

import { LSBLK_COMMAND, parseLsblkDrives } from './block-drives'
import type { CommandRunner } from './ports'
import { listSerialPorts, type PortInfoLike } from './serial-ports'
import { classifyUsbDevices, type UsbDeviceInfo } from './usb-devices'
import type { UsbSnapshot } from './usb-inventory'

export interface UsbScanSources {
  /** serialport's `SerialPort.list` */
  listSerialPorts: () => Promise<readonly PortInfoLike[]>
  /** `readSysfsUsbDevices` in the app */
  readUsbDevices: () => Promise<UsbDeviceInfo[]>
  /** runs `lsblk` locally */
  runner: CommandRunner
}

export async function scanUsb(sources: UsbScanSources): Promise<UsbSnapshot> {
  const [serialPorts, devices, lsblk] = await Promise.all([
    listSerialPorts(sources.listSerialPorts),
    sources.readUsbDevices().catch(() => []),
    sources.runner.run(LSBLK_COMMAND).catch(() => null)
  ])
  return {
    serialPorts,
    devices: classifyUsbDevices(devices),
    drives: lsblk && lsblk.exitCode === 0 ? parseLsblkDrives(lsblk.stdout) : []
  }
}
