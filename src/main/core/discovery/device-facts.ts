// Facts read from a unit after an SSH (or serial) login. The commands are argument arrays: the
// lead's quoting module turns each into a remote shell command. Each runs on its own so that one
// missing file (no device tree on the lab's x86 Pis, no DMI on a real Pi) doesn't lose the rest.

import { isRaspberryPiModel } from './pi-model'

export const FACT_COMMANDS = {
  deviceTreeModel: ['cat', '/proc/device-tree/model'],
  dmiProductName: ['cat', '/sys/class/dmi/id/product_name'],
  deviceTreeSerial: ['cat', '/proc/device-tree/serial-number'],
  // Readable by root only on most kernels; a failed read just falls through to the next source.
  dmiProductSerial: ['cat', '/sys/class/dmi/id/product_serial'],
  cpuinfo: ['cat', '/proc/cpuinfo'],
  osRelease: ['cat', '/etc/os-release'],
  machine: ['uname', '-m'],
  longBit: ['getconf', 'LONG_BIT'],
  meminfo: ['cat', '/proc/meminfo'],
  rootDisk: ['df', '-B1', '/'],
  thermal: ['cat', '/sys/class/thermal/thermal_zone0/temp'],
  hostname: ['hostname']
} as const satisfies Record<string, readonly string[]>

export type FactCommandKey = keyof typeof FACT_COMMANDS

/** stdout of each command that succeeded; omit (or undefined) a command that failed. */
export type FactOutputs = Partial<Record<FactCommandKey, string | undefined>>

export interface OsRelease {
  id: string | null
  versionId: string | null
  codename: string | null
  prettyName: string | null
}

export interface DeviceFacts {
  hostname: string | null
  model: string | null
  isRaspberryPi: boolean
  serial: string | null
  /** PRETTY_NAME, e.g. "Debian GNU/Linux 12 (bookworm)" */
  os: string | null
  osRelease: OsRelease | null
  /** uname -m: aarch64, armv7l, armv6l, x86_64 */
  arch: string | null
  /** 32 on a 32-bit userland even when the kernel is aarch64: onnxruntime needs 64. */
  userlandBits: 32 | 64 | null
  memBytes: number | null
  diskBytes: number | null
  diskFreeBytes: number | null
  tempC: number | null
}

// Device-tree strings are NUL-terminated; DMI and cat output end with a newline.
function cleanString(raw: string | undefined): string | null {
  if (raw === undefined) return null
  const s = raw.replace(/\0/g, '').trim()
  return s === '' ? null : s
}

// Placeholders BIOS vendors and QEMU leave in DMI fields; not a serial of anything.
const PLACEHOLDER_SERIALS = /^(0+|none|not specified|not applicable|default string|to be filled by o\.e\.m\.|system serial number|0123456789)$/i

function cleanSerial(raw: string | undefined): string | null {
  const s = cleanString(raw)
  if (s === null || PLACEHOLDER_SERIALS.test(s)) return null
  return s
}

/** Key: value lines of /proc/cpuinfo (tabs before the colon). Later keys win (per-CPU blocks). */
function cpuinfoField(text: string | undefined, key: string): string | undefined {
  if (text === undefined) return undefined
  let found: string | undefined
  for (const line of text.split('\n')) {
    const match = /^([^:]+?)\s*:\s*(.*)$/.exec(line)
    if (match && match[1] === key) found = match[2]
  }
  return found
}

export function parseOsRelease(text: string | undefined): OsRelease | null {
  if (text === undefined) return null
  const values = new Map<string, string>()
  for (const line of text.split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim())
    if (!match) continue
    let value = match[2]!
    // Values may be double- or single-quoted with shell escapes (os-release(5)).
    if (/^".*"$/.test(value)) value = value.slice(1, -1).replace(/\\(["\\`$])/g, '$1')
    else if (/^'.*'$/.test(value)) value = value.slice(1, -1)
    values.set(match[1]!, value)
  }
  if (values.size === 0) return null
  return {
    id: values.get('ID') ?? null,
    versionId: values.get('VERSION_ID') ?? null,
    codename: values.get('VERSION_CODENAME') ?? null,
    prettyName: values.get('PRETTY_NAME') ?? values.get('NAME') ?? null
  }
}

export function parseMemTotalBytes(text: string | undefined): number | null {
  const match = text === undefined ? null : /^MemTotal:\s+(\d+)\s*kB/m.exec(text)
  return match ? Number(match[1]) * 1024 : null
}

/** `df -B1 /`: a long device name can wrap the row onto two lines, so read the last 5 numbers. */
export function parseDfRoot(text: string | undefined): { diskBytes: number; diskFreeBytes: number } | null {
  if (text === undefined) return null
  const body = text.split('\n').slice(1).join(' ')
  const tokens = body.trim().split(/\s+/)
  // ... <size> <used> <avail> <use%> <mountpoint>
  const mountIndex = tokens.lastIndexOf('/')
  if (mountIndex < 4) return null
  const size = Number(tokens[mountIndex - 4])
  const avail = Number(tokens[mountIndex - 2])
  if (!Number.isFinite(size) || !Number.isFinite(avail)) return null
  return { diskBytes: size, diskFreeBytes: avail }
}

export function parseThermalC(text: string | undefined): number | null {
  const s = cleanString(text)
  if (s === null || !/^-?\d+$/.test(s)) return null
  // The sysfs value is in millidegrees Celsius; keep one decimal.
  return Math.round(Number(s) / 100) / 10
}

function parseLongBit(text: string | undefined): 32 | 64 | null {
  const s = cleanString(text)
  return s === '64' ? 64 : s === '32' ? 32 : null
}

export function parseDeviceFacts(outputs: FactOutputs): DeviceFacts {
  const model =
    cleanString(outputs.deviceTreeModel) ??
    cleanString(cpuinfoField(outputs.cpuinfo, 'Model')) ??
    cleanString(outputs.dmiProductName)
  const serial =
    cleanSerial(outputs.deviceTreeSerial) ??
    cleanSerial(cpuinfoField(outputs.cpuinfo, 'Serial')) ??
    cleanSerial(outputs.dmiProductSerial)
  const osRelease = parseOsRelease(outputs.osRelease)
  const disk = parseDfRoot(outputs.rootDisk)
  return {
    hostname: cleanString(outputs.hostname),
    model,
    isRaspberryPi: isRaspberryPiModel(model),
    serial,
    os: osRelease?.prettyName ?? null,
    osRelease,
    arch: cleanString(outputs.machine),
    userlandBits: parseLongBit(outputs.longBit),
    memBytes: parseMemTotalBytes(outputs.meminfo),
    diskBytes: disk?.diskBytes ?? null,
    diskFreeBytes: disk?.diskFreeBytes ?? null,
    tempC: parseThermalC(outputs.thermal)
  }
}
