// Paths, names and constants of the Pi lab. Everything the lab makes lives under these.
import { homedir, tmpdir } from 'node:os'
import { join } from 'node:path'

export type Arch = 'amd64' | 'arm64'
export type NetMode = 'ns' | 'user'
export type UnitKind = 'full' | 'light'

export const PI_USER = 'pi'
export const PI_PASSWORD = 'raspberry'
/** SHA-512 crypt of "raspberry" (pre-hashed: chpasswd cannot run inside a foreign-architecture rootfs). */
export const PI_PASSWORD_HASH =
  '$6$edgedocklab00$Pj2ypQyUh57Wt.FK9nygsauhF.wWZIhJ6kCnZDf4ELZhgI9QWXo5fMYxvCeq5qqH69dRvQAxz1Mjh5QJ7wUGk1'
export const PI_HOSTNAME = 'raspberrypi'
export const PI_MODEL = 'Raspberry Pi 4 Model B Rev 1.4'
export const PI_MANUFACTURER = 'Raspberry Pi Foundation'

export function cacheDir(): string {
  return process.env.EDGEDOCK_LAB_CACHE ?? join(homedir(), '.cache', 'edgedock-lab')
}
export function stateDir(): string {
  if (process.env.EDGEDOCK_LAB_STATE) return process.env.EDGEDOCK_LAB_STATE
  if (process.getuid?.() === 0) return '/run/edgedock-lab'
  return join(process.env.XDG_RUNTIME_DIR ?? tmpdir(), `edgedock-lab-${process.getuid?.() ?? 'user'}`)
}
export function isRoot(): boolean {
  return process.getuid?.() === 0
}
/** The lab's network namespace (bridge, dnsmasq, taps, QEMU in --net ns). */
export function labNetns(): string {
  return process.env.EDGEDOCK_LAB_NETNS ?? 'edgedock-lab'
}
/** Prefix every namespace / process marker the lab makes, so leftovers can be found. */
export function labPrefix(): string {
  return labNetns()
}

export const BRIDGE = 'labbr0'
export const SUBNET_PREFIX = '10.77.0'
export const GATEWAY = `${SUBNET_PREFIX}.1`
/** Full Pis get .10-.99 (fixed DHCP leases); light Pis get .100-.249 (static). */
export const FULL_IP_BASE = 10
export const LIGHT_IP_BASE = 100
export const MAX_FULL = 90
export const MAX_LIGHT = 150
/** Ports on 127.0.0.1 for --net user: FULL_PORT_BASE + unit index. */
export const USER_PORT_BASE = 22200

// The smallest Pi 4 has 1 GiB. A 512 MiB guest serving the FP32 ResNet18 (about 300 MB in ONNX Runtime)
// had 14 MiB free and spent most of its CPU reclaiming pages, so every SSH figure measured that.
export const VM_MEMORY_MIB = 1024

export function fullMac(index: number): string {
  return `dc:a6:32:00:${hex2(index >> 8)}:${hex2(index & 0xff)}`
}
export function lightMac(index: number): string {
  return `dc:a6:32:01:${hex2(index >> 8)}:${hex2(index & 0xff)}`
}
function hex2(n: number): string {
  return n.toString(16).padStart(2, '0')
}
/** A Pi-like 16-hex-digit serial, stable per unit name (as a Pi's is per board). */
export function serialFor(name: string): string {
  let h = 0x811c9dc5
  for (const c of name) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0
  return `10000000${h.toString(16).padStart(8, '0')}`
}
