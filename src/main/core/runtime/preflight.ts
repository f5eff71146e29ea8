// Decides from the device's own answers whether the runtime can be installed there. Pure: the SSH
// layer runs `preflightCommands` (argument arrays, quoted by its quoting module) and hands the raw
// outputs here, so every verdict is tested from recorded outputs.
import type { RuntimeErrorCode } from './errors'
import { RuntimeError } from './errors'

export type RuntimeArch = 'arm64' | 'x64'

export const MIN_GLIBC = { major: 2, minor: 28 } as const

/** Kept free beyond the bundle itself: room for models, journald and the unpacked upload. */
export const DISK_MARGIN_BYTES = 128 * 1024 * 1024

export const preflightCommands = {
  arch: ['uname', '-m'],
  longBit: ['getconf', 'LONG_BIT'],
  // glibc's ldd prints its version on stdout; musl's prints on stderr and exits 1: pass both.
  libc: ['ldd', '--version'],
  // /opt always exists on Raspberry Pi OS and Debian; /opt/edgedock may not yet.
  diskFree: ['df', '-B1', '--output=avail', '/opt']
} as const satisfies Record<string, readonly string[]>

export type PreflightCommand = keyof typeof preflightCommands

/** What the device answered to each command (stdout, with stderr appended where the tool uses it). */
export type PreflightOutputs = Record<PreflightCommand, string>

export interface PreflightProblem {
  code: RuntimeErrorCode
  detail: string
}

export interface PreflightFacts {
  machine: string | null
  longBit: number | null
  glibc: string | null
  freeBytes: number | null
}

export interface PreflightVerdict {
  ok: boolean
  /** The runtime to build for this device; null when its architecture or userland cannot run one. */
  arch: RuntimeArch | null
  facts: PreflightFacts
  neededBytes: number
  /** Every problem found, most fundamental first, so one visit fixes them all. */
  problems: PreflightProblem[]
}

const ARCHES: Record<string, RuntimeArch> = { aarch64: 'arm64', arm64: 'arm64', x86_64: 'x64', amd64: 'x64' }
/** Machines a 32-bit Raspberry Pi OS reports (armv8l: a 32-bit userland on a 64-bit core). */
const ARM32 = new Set(['armv6l', 'armv7l', 'armv8l', 'arm'])

const firstLine = (text: string): string => text.trim().split('\n')[0]?.trim() ?? ''

export function parseMachine(output: string): string | null {
  const m = firstLine(output)
  return /^[\w-]+$/.test(m) ? m : null
}

export function parseLongBit(output: string): number | null {
  const m = /^(32|64)$/.exec(firstLine(output))
  return m ? Number(m[1]) : null
}

/** `ldd (Debian GLIBC 2.36-9+deb12u4) 2.36` -> "2.36"; a musl or unknown libc -> its first line. */
export function parseGlibc(output: string): { version: string | null; line: string } {
  const line = firstLine(output)
  if (!/glibc|gnu libc/i.test(line)) return { version: null, line }
  const m = /(\d+)\.(\d+)\s*$/.exec(line)
  return { version: m ? `${m[1]}.${m[2]}` : null, line }
}

export function glibcAtLeast(version: string, min: { major: number; minor: number } = MIN_GLIBC): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number)
  return major > min.major || (major === min.major && minor >= min.minor)
}

/** `df -B1 --output=avail` prints a header line then the byte count. */
export function parseDfAvail(output: string): number | null {
  const numbers = output
    .trim()
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^\d+$/.test(l))
  return numbers.length > 0 ? Number(numbers[numbers.length - 1]) : null
}

function formatMb(bytes: number): string {
  return `${Math.round(bytes / 1048576)} MB`
}

/**
 * `bundleBytes` is what the install will write (0 when the same runtime version is already there and
 * only a model goes over); the margin is added here.
 */
export function judgePreflight(outputs: PreflightOutputs, bundleBytes: number, marginBytes = DISK_MARGIN_BYTES): PreflightVerdict {
  const problems: PreflightProblem[] = []
  const machine = parseMachine(outputs.arch)
  const longBit = parseLongBit(outputs.longBit)
  const libc = parseGlibc(outputs.libc)
  const freeBytes = parseDfAvail(outputs.diskFree)
  const neededBytes = bundleBytes + marginBytes

  let arch: RuntimeArch | null = null
  if (machine === null) {
    problems.push({ code: 'RUNTIME_PREFLIGHT_UNREADABLE', detail: `"uname -m" answered "${firstLine(outputs.arch)}"` })
  } else if (longBit === 32 || ARM32.has(machine)) {
    // A Pi 4 with 32-bit Raspberry Pi OS may boot a 64-bit kernel (uname -m says aarch64) while every
    // program, ours included, must be 32-bit: the userland decides, hence LONG_BIT.
    problems.push({ code: 'RUNTIME_32BIT_USERLAND', detail: `${machine}, ${longBit ?? '?'}-bit userland` })
  } else if (!ARCHES[machine]) {
    problems.push({ code: 'RUNTIME_ARCH_UNSUPPORTED', detail: machine })
  } else if (longBit === null) {
    problems.push({ code: 'RUNTIME_PREFLIGHT_UNREADABLE', detail: `"getconf LONG_BIT" answered "${firstLine(outputs.longBit)}"` })
  } else {
    arch = ARCHES[machine] ?? null
  }

  if (libc.version === null) {
    const what = libc.line ? `"${libc.line}"` : 'no answer to "ldd --version"'
    problems.push(/musl|uclibc/i.test(libc.line) ? { code: 'RUNTIME_GLIBC_TOO_OLD', detail: `not glibc: ${libc.line}` } : { code: 'RUNTIME_PREFLIGHT_UNREADABLE', detail: `C library unknown (${what})` })
  } else if (!glibcAtLeast(libc.version)) {
    problems.push({ code: 'RUNTIME_GLIBC_TOO_OLD', detail: `glibc ${libc.version}` })
  }

  if (freeBytes === null) {
    problems.push({ code: 'RUNTIME_PREFLIGHT_UNREADABLE', detail: `free space unknown ("df" answered "${firstLine(outputs.diskFree)}")` })
  } else if (freeBytes < neededBytes) {
    problems.push({ code: 'RUNTIME_DISK_FULL', detail: `${formatMb(freeBytes)} free under /opt, ${formatMb(neededBytes)} needed` })
  }

  return { ok: problems.length === 0, arch, facts: { machine, longBit, glibc: libc.version, freeBytes }, neededBytes, problems }
}

/** The verdict as the error a job fails with: the first (most fundamental) problem. */
export function preflightError(verdict: PreflightVerdict): RuntimeError | null {
  const first = verdict.problems[0]
  if (!first) return null
  const others = verdict.problems.slice(1).map((p) => `${p.code}: ${p.detail}`)
  return new RuntimeError(first.code, first.detail, others.length ? { cause: new Error(`also: ${others.join('; ')}`) } : undefined)
}
