// The uncompressed size an .xz file declares in its index (at the end of each stream). It is the
// limit for decompression, so a crafted file cannot unpack into more than it admits to.
import type { FileHandle } from 'node:fs/promises'
import { FlashError } from './flash-errors'

function readVarint(buf: Buffer, pos: { i: number }): number {
  let value = 0
  for (let shift = 0; shift < 63; shift += 7) {
    const byte = buf[pos.i++]
    if (byte === undefined) throw new FlashError('FLASH_SOURCE_CORRUPT', 'xz index ends inside a number')
    value += (byte & 0x7f) * 2 ** shift
    if ((byte & 0x80) === 0) return value
  }
  throw new FlashError('FLASH_SOURCE_CORRUPT', 'xz index number too long')
}

async function readAt(fh: FileHandle, offset: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length)
  const { bytesRead } = await fh.read(buf, 0, length, offset)
  return buf.subarray(0, bytesRead)
}

/** Sum of uncompressed sizes over every stream of the file (xz allows concatenated streams). */
export async function xzDeclaredSize(fh: FileHandle, fileSize: number): Promise<number> {
  let end = fileSize
  let total = 0
  while (end > 0) {
    // Stream padding: zero bytes in groups of four between and after streams.
    const tail = await readAt(fh, end - 4, 4)
    if (tail.length === 4 && tail.every((b) => b === 0)) {
      end -= 4
      continue
    }
    if (end < 24) throw new FlashError('FLASH_SOURCE_TRUNCATED', 'xz stream shorter than its header and footer')
    const footer = await readAt(fh, end - 12, 12)
    if (footer[10] !== 0x59 || footer[11] !== 0x5a) throw new FlashError('FLASH_SOURCE_TRUNCATED', 'xz stream footer missing')
    const indexSize = (footer.readUInt32LE(4) + 1) * 4
    const indexStart = end - 12 - indexSize
    if (indexStart < 12) throw new FlashError('FLASH_SOURCE_CORRUPT', 'xz index larger than the file')
    const index = await readAt(fh, indexStart, indexSize)
    if (index[0] !== 0x00) throw new FlashError('FLASH_SOURCE_CORRUPT', 'xz index indicator missing')
    const pos = { i: 1 }
    const records = readVarint(index, pos)
    let blocks = 0
    for (let r = 0; r < records; r++) {
      const unpadded = readVarint(index, pos)
      total += readVarint(index, pos)
      blocks += Math.ceil(unpadded / 4) * 4
    }
    end = indexStart - blocks - 12
    if (end < 0) throw new FlashError('FLASH_SOURCE_CORRUPT', 'xz blocks larger than the file')
  }
  return total
}
