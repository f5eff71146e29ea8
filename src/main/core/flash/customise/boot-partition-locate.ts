// Where the boot file system starts inside an image or a card: partition 1 of the MBR, as on every
// Raspberry Pi OS image, or, for a file that holds only the file system (a partition device, a
// bare FAT image), byte 0. The partition table is read, never written.
import type { FileHandle } from 'node:fs/promises'
import { FlashError } from '../flash-errors'

// DOS partition types for FAT12/16/32, with and without LBA addressing.
const FAT_TYPES = new Set([0x01, 0x04, 0x06, 0x0b, 0x0c, 0x0e])

export interface BootPartitionPlace {
  /** Byte offset of the file system's first sector in the file. */
  offset: number
  /** Length from the partition table; null when the file system itself is the whole file. */
  length: number | null
}

export async function readSector(fh: FileHandle, position: number, length = 512): Promise<Buffer> {
  const buf = Buffer.alloc(length)
  const { bytesRead } = await fh.read(buf, 0, length, position)
  if (bytesRead !== length) throw new FlashError('FLASH_BOOT_FAT_UNREADABLE', `the file ends at byte ${position + bytesRead}`)
  return buf
}

/** A FAT boot sector starts with a jump instruction and declares a sane sector size. */
export function looksLikeFatBootSector(sector: Buffer): boolean {
  const jump = sector[0] === 0xeb || sector[0] === 0xe9
  const bps = sector.readUInt16LE(11)
  return jump && sector[510] === 0x55 && sector[511] === 0xaa && bps >= 512 && bps <= 4096 && (bps & (bps - 1)) === 0
}

export async function locateBootPartition(fh: FileHandle, label: string, partitionOffset?: number): Promise<BootPartitionPlace> {
  if (partitionOffset !== undefined) {
    if (!Number.isSafeInteger(partitionOffset) || partitionOffset < 0) throw new FlashError('FLASH_BOOT_PARTITION_MISSING', `${label}: offset ${partitionOffset} is not a byte position`)
    return { offset: partitionOffset, length: null }
  }
  const size = (await fh.stat()).size
  if (size < 512) throw new FlashError('FLASH_BOOT_PARTITION_MISSING', `${label} is only ${size} bytes`)
  const first = await readSector(fh, 0)
  if (first[510] === 0x55 && first[511] === 0xaa) {
    const type = first[446 + 4]!
    const startLba = first.readUInt32LE(446 + 8)
    const sectors = first.readUInt32LE(446 + 12)
    if (FAT_TYPES.has(type) && startLba > 0 && sectors > 0) {
      if ((startLba + sectors) * 512 > size) throw new FlashError('FLASH_BOOT_PARTITION_MISSING', `${label}: partition 1 reaches past the end of the file`)
      return { offset: startLba * 512, length: sectors * 512 }
    }
    if (looksLikeFatBootSector(first)) return { offset: 0, length: null }
    const what = type === 0xee ? 'a GPT disk (Raspberry Pi OS images use MBR)' : type === 0 ? 'no partition 1' : `partition 1 of type 0x${type.toString(16)}, not FAT`
    throw new FlashError('FLASH_BOOT_PARTITION_MISSING', `${label} has ${what}`)
  }
  throw new FlashError('FLASH_BOOT_PARTITION_MISSING', `${label} has no MBR partition table`)
}
