// Byte ranges of a raw image that hold data, from the image's own ext4 block bitmaps: free blocks
// of an ext4 partition are skipped, everything else (MBR, boot partition, gaps) is written. Blocks
// the kernel would count as used in a group whose bitmap was never written (BLOCK_UNINIT) are
// worked out the way ext4_init_block_bitmap does; anything unexpected means "write it all".
import type { FileHandle } from 'node:fs/promises'
import { normalizeRanges, type ByteRange } from './write-ranges'

const BLOCK_UNINIT = 0x2
const INCOMPAT_64BIT = 0x80
const INCOMPAT_META_BG = 0x10
const RO_COMPAT_SPARSE_SUPER = 0x1

async function readAt(fh: FileHandle, pos: number, len: number): Promise<Buffer> {
  const buf = Buffer.alloc(len)
  const { bytesRead } = await fh.read(buf, 0, len, pos)
  if (bytesRead !== len) throw new Error('short read')
  return buf
}

function hasSuperBackup(group: number, sparse: boolean): boolean {
  if (!sparse || group <= 1) return true
  for (const base of [3, 5, 7]) {
    let p = base
    while (p < group) p *= base
    if (p === group) return true
  }
  return false
}

/** Free (skippable) byte ranges of the ext4 file system at `start`, or [] when it is not one we read. */
async function ext4FreeRanges(fh: FileHandle, start: number, length: number): Promise<ByteRange[]> {
  const sb = await readAt(fh, start + 1024, 1024)
  if (sb.readUInt16LE(56) !== 0xef53) return []
  const incompat = sb.readUInt32LE(96)
  if (incompat & INCOMPAT_META_BG) return []
  const is64 = (incompat & INCOMPAT_64BIT) !== 0
  const bs = 1024 << sb.readUInt32LE(24)
  const blocks = sb.readUInt32LE(4) + (is64 ? sb.readUInt32LE(0x150) * 2 ** 32 : 0)
  const firstData = sb.readUInt32LE(20)
  const perGroup = sb.readUInt32LE(32)
  const inodesPerGroup = sb.readUInt32LE(40)
  const inodeSize = sb.readUInt16LE(88) || 128
  const descSize = is64 ? sb.readUInt16LE(254) || 64 : 32
  const reservedGdt = sb.readUInt16LE(0xce)
  const sparse = (sb.readUInt32LE(100) & RO_COMPAT_SPARSE_SUPER) !== 0
  if (blocks * bs > length || perGroup === 0 || perGroup > bs * 8) return []
  const groups = Math.ceil((blocks - firstData) / perGroup)
  const gdtBlocks = Math.ceil((groups * descSize) / bs)
  const gdt = await readAt(fh, start + (firstData + 1) * bs, gdtBlocks * bs)
  const lo64 = (d: number, lo: number, hi: number) => gdt.readUInt32LE(d + lo) + (is64 ? gdt.readUInt32LE(d + hi) * 2 ** 32 : 0)
  const itableBlocks = Math.ceil((inodesPerGroup * inodeSize) / bs)

  // Metadata of every group (bitmaps, inode tables), wherever flex_bg put it.
  const meta: ByteRange[] = []
  for (let g = 0; g < groups; g++) {
    const d = g * descSize
    meta.push({ start: lo64(d, 0, 0x20), length: 1 }, { start: lo64(d, 4, 0x24), length: 1 }, { start: lo64(d, 8, 0x28), length: itableBlocks })
  }

  const free: ByteRange[] = []
  const bitmap = Buffer.alloc(bs)
  for (let g = 0; g < groups; g++) {
    const d = g * descSize
    const first = firstData + g * perGroup
    const count = Math.min(perGroup, blocks - first)
    let used: (i: number) => boolean
    if (gdt.readUInt16LE(d + 0x12) & BLOCK_UNINIT) {
      const head = hasSuperBackup(g, sparse) ? 1 + gdtBlocks + reservedGdt : 0
      const inGroup = meta.filter((m) => m.start + m.length > first && m.start < first + count)
      used = (i) => i < head || inGroup.some((m) => first + i >= m.start && first + i < m.start + m.length)
    } else {
      const at = lo64(d, 0, 0x20)
      if (at <= 0 || at >= blocks) return []
      await fh.read(bitmap, 0, bs, start + at * bs)
      used = (i) => (bitmap[i >> 3]! & (1 << (i & 7))) !== 0
    }
    let run = -1
    for (let i = 0; i <= count; i++) {
      const isFree = i < count && !used(i)
      if (isFree && run < 0) run = i
      if (!isFree && run >= 0) {
        free.push({ start: start + (first + run) * bs, length: (i - run) * bs })
        run = -1
      }
    }
  }
  return free
}

/** Ranges to write for a raw image; null when nothing can be skipped (no MBR ext4 partition read). */
export async function usedRangesOfRawImage(fh: FileHandle, imageSize: number): Promise<ByteRange[] | null> {
  const mbr = await readAt(fh, 0, 512)
  if (mbr[510] !== 0x55 || mbr[511] !== 0xaa) return null
  const free: ByteRange[] = []
  for (let p = 0; p < 4; p++) {
    const at = 446 + p * 16
    const type = mbr[at + 4]
    const startLba = mbr.readUInt32LE(at + 8)
    const sectors = mbr.readUInt32LE(at + 12)
    if (type !== 0x83 || startLba === 0 || (startLba + sectors) * 512 > imageSize) continue
    try {
      free.push(...(await ext4FreeRanges(fh, startLba * 512, sectors * 512)))
    } catch {
      return null
    }
  }
  if (free.length === 0) return null
  // The complement of the free ranges within the image.
  const used: ByteRange[] = []
  let pos = 0
  for (const f of normalizeRanges(free, imageSize)) {
    if (f.start > pos) used.push({ start: pos, length: f.start - pos })
    pos = f.start + f.length
  }
  if (pos < imageSize) used.push({ start: pos, length: imageSize - pos })
  return used
}
