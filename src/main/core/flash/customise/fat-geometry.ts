// The layout of a FAT16 or FAT32 file system from its boot sector (BPB), checked before anything is
// read through it: a number that does not add up means a damaged or foreign volume, and writing
// through wrong numbers would scatter bytes over the card. FAT12 (floppies, tiny volumes) is
// refused: no Raspberry Pi OS image uses it.
import { FlashError } from '../flash-errors'

export type FatType = 16 | 32

export interface FatGeometry {
  type: FatType
  bytesPerSector: number
  clusterBytes: number
  reservedSectors: number
  fatCount: number
  fatSectors: number
  /** FAT16: the fixed root directory (byte offset in the volume, entry count). */
  rootDirOffset: number
  rootDirEntries: number
  /** FAT32: the root directory's first cluster. */
  rootCluster: number
  /** FAT32: the FSInfo sector (0 when there is none). */
  fsInfoSector: number
  dataOffset: number
  /** Clusters 2 .. clusterCount + 1 hold data. */
  clusterCount: number
  totalBytes: number
  label: string
}

const pow2 = (n: number) => n > 0 && (n & (n - 1)) === 0

export function parseFatGeometry(bs: Buffer, where: string, partitionLength: number | null): FatGeometry {
  const bad = (why: string) => new FlashError('FLASH_BOOT_FAT_UNREADABLE', `${where}: ${why}`)
  if (bs[510] !== 0x55 || bs[511] !== 0xaa) throw bad('no boot sector signature')
  const bytesPerSector = bs.readUInt16LE(11)
  const sectorsPerCluster = bs[13]!
  const reservedSectors = bs.readUInt16LE(14)
  const fatCount = bs[16]!
  const rootDirEntries = bs.readUInt16LE(17)
  const totalSectors = bs.readUInt16LE(19) || bs.readUInt32LE(32)
  const fatSectors = bs.readUInt16LE(22) || bs.readUInt32LE(36)
  if (!pow2(bytesPerSector) || bytesPerSector < 512 || bytesPerSector > 4096) throw bad(`sector size ${bytesPerSector}`)
  if (!pow2(sectorsPerCluster) || sectorsPerCluster * bytesPerSector > 64 * 1024) throw bad(`${sectorsPerCluster} sectors per cluster`)
  if (reservedSectors === 0 || fatCount === 0 || fatCount > 4 || fatSectors === 0 || totalSectors === 0) throw bad('the boot sector declares an empty layout')
  const rootDirSectors = Math.ceil((rootDirEntries * 32) / bytesPerSector)
  const metaSectors = reservedSectors + fatCount * fatSectors + rootDirSectors
  if (metaSectors >= totalSectors) throw bad('the FATs fill the whole volume')
  const clusterCount = Math.floor((totalSectors - metaSectors) / sectorsPerCluster)
  // The FAT type follows from the cluster count alone (Microsoft's FAT specification, 3.5).
  if (clusterCount < 4085) throw bad('FAT12 volumes are not supported')
  const type: FatType = clusterCount < 65525 ? 16 : 32
  const entryBytes = type === 16 ? 2 : 4
  if (fatSectors * bytesPerSector < (clusterCount + 2) * entryBytes) throw bad('the FAT is too small for the volume')
  const totalBytes = totalSectors * bytesPerSector
  if (partitionLength !== null && totalBytes > partitionLength) throw bad(`the file system (${totalBytes} bytes) is larger than its partition (${partitionLength} bytes)`)
  let rootCluster = 0
  let fsInfoSector = 0
  if (type === 32) {
    if (rootDirEntries !== 0) throw bad('a FAT32 volume with a fixed root directory')
    // Bit 7 of the extended flags: only one FAT is in use. Rare enough that refusing is safer than guessing.
    if (bs.readUInt16LE(40) & 0x80) throw bad('FAT mirroring is switched off')
    rootCluster = bs.readUInt32LE(44)
    fsInfoSector = bs.readUInt16LE(48)
    if (rootCluster < 2 || rootCluster >= clusterCount + 2) throw bad(`root directory at cluster ${rootCluster}`)
    if (fsInfoSector === 0xffff || fsInfoSector >= reservedSectors) fsInfoSector = 0
  } else if (rootDirEntries === 0) {
    throw bad('a FAT16 volume without a root directory')
  }
  const labelAt = type === 32 ? 71 : 43
  const label = bs[type === 32 ? 66 : 38] === 0x29 ? bs.subarray(labelAt, labelAt + 11).toString('latin1').trim() : ''
  return {
    type,
    bytesPerSector,
    clusterBytes: sectorsPerCluster * bytesPerSector,
    reservedSectors,
    fatCount,
    fatSectors,
    rootDirOffset: (reservedSectors + fatCount * fatSectors) * bytesPerSector,
    rootDirEntries,
    rootCluster,
    fsInfoSector,
    dataOffset: metaSectors * bytesPerSector,
    clusterCount,
    totalBytes,
    label
  }
}
