// Whether a target may be written. Run by the privileged helper itself before it opens anything, so
// a wrong or forged request from the app can never reach the machine's own disks.
import { realpath, stat } from 'node:fs/promises'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { BlockDrive } from '../discovery/block-drives'
import { FlashError } from './flash-errors'

export const LARGE_DRIVE_BYTES = 128e9

export type TargetKind = 'file' | 'block'

export interface TargetFacts {
  target: string
  kind: TargetKind | 'other'
  /** For a block target: the whole disk it is (null when it is a partition or not in lsblk). */
  drive: BlockDrive | null
  readOnly: boolean
  /** The disk the source file lives on, by kernel name (e.g. "sda"), when known. */
  sourceDisk: string | null
  /** For a file target: it is the source file itself. */
  sameFileAsSource: boolean
}

export interface SafetyInput {
  imageSize: number | null
  confirmLarge: boolean
}

/** Pure decision: throws the first rule the target breaks. */
export function assertTargetAllowed(facts: TargetFacts, input: SafetyInput): void {
  const t = facts.target
  if (facts.kind === 'other') throw new FlashError('FLASH_TARGET_NOT_A_DRIVE', t)
  if (facts.kind === 'file') {
    if (facts.sameFileAsSource) throw new FlashError('FLASH_TARGET_HOLDS_SOURCE', t)
    if (facts.readOnly) throw new FlashError('FLASH_TARGET_READ_ONLY', t)
    return
  }
  const d = facts.drive
  // Partitions and drives lsblk does not list are refused: when in doubt, a disk is a system disk.
  if (!d) throw new FlashError('FLASH_TARGET_NOT_A_DRIVE', t)
  if (d.systemReasons.includes('holds-system-mount')) throw new FlashError('FLASH_TARGET_SYSTEM_DRIVE', t)
  if (facts.sourceDisk !== null && facts.sourceDisk === d.name) throw new FlashError('FLASH_TARGET_HOLDS_SOURCE', t)
  if (d.mountpoints.length > 0) throw new FlashError('FLASH_TARGET_MOUNTED', `${t} (${d.mountpoints.join(', ')})`)
  if (d.isSystem) throw new FlashError('FLASH_TARGET_SYSTEM_DRIVE', t)
  if (facts.readOnly) throw new FlashError('FLASH_TARGET_READ_ONLY', t)
  if (d.sizeBytes <= 0) throw new FlashError('FLASH_TARGET_NOT_A_DRIVE', `${t} (no card in the reader)`)
  if (input.imageSize !== null && d.sizeBytes < input.imageSize) {
    throw new FlashError('FLASH_TARGET_TOO_SMALL', `image ${input.imageSize} bytes, ${t} ${d.sizeBytes} bytes`)
  }
  if (d.sizeBytes > LARGE_DRIVE_BYTES && !input.confirmLarge) throw new FlashError('FLASH_TARGET_LARGE_UNCONFIRMED', t)
}

export interface SafetyPorts {
  /** Drives from lsblk (src/main/core/discovery/block-drives.ts). */
  listDrives(): Promise<BlockDrive[]>
  /** Contents of a small /sys file, or null. */
  readSys(file: string): Promise<string | null>
}

async function readSysFile(file: string): Promise<string | null> {
  try {
    return (await readFile(file, 'utf8')).trim()
  } catch {
    return null
  }
}

/** The whole disk (kernel name) holding a file, from its st_dev through /sys/dev/block. */
async function diskOfFile(file: string, ports: SafetyPorts): Promise<string | null> {
  try {
    const st = await stat(file)
    const major = Math.floor(st.dev / 256) & 0xfff
    const minor = (st.dev & 0xff) | ((st.dev >> 12) & 0xfff00)
    const link = await realpath(`/sys/dev/block/${major}:${minor}`)
    // .../block/sda/sda2 for a partition, .../block/sda for a whole disk.
    const isPartition = (await ports.readSys(path.join(link, 'partition'))) !== null
    return path.basename(isPartition ? path.dirname(link) : link)
  } catch {
    return null
  }
}

export async function gatherTargetFacts(target: string, sourcePath: string, ports: SafetyPorts): Promise<TargetFacts> {
  const base: TargetFacts = { target, kind: 'other', drive: null, readOnly: false, sourceDisk: null, sameFileAsSource: false }
  let st
  try {
    st = await stat(target)
  } catch (err) {
    // A file that does not exist yet is a new image file (its folder must exist: open() reports that).
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { ...base, kind: 'file' }
    throw new FlashError('FLASH_TARGET_NOT_A_DRIVE', `${target}: ${(err as NodeJS.ErrnoException).code}`, { cause: err })
  }
  if (st.isFile()) {
    const src = await stat(sourcePath).catch(() => null)
    return { ...base, kind: 'file', sameFileAsSource: src !== null && src.dev === st.dev && src.ino === st.ino }
  }
  if (!st.isBlockDevice()) return base
  const real = await realpath(target)
  const drives = await ports.listDrives()
  const drive = drives.find((d) => d.path === real || `/dev/${d.name}` === real) ?? null
  const readOnly = drive !== null && (await ports.readSys(`/sys/block/${drive.name}/ro`)) === '1'
  return { ...base, kind: 'block', drive, readOnly, sourceDisk: await diskOfFile(sourcePath, ports) }
}

export const systemSysReader: Pick<SafetyPorts, 'readSys'> = { readSys: readSysFile }

export async function checkTarget(target: string, sourcePath: string, input: SafetyInput, ports: SafetyPorts): Promise<TargetFacts> {
  const facts = await gatherTargetFacts(target, sourcePath, ports)
  assertTargetAllowed(facts, input)
  return facts
}
