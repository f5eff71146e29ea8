// Which byte ranges of an image hold data. The writer writes (and verifies) only these, so an image
// whose file systems are mostly empty is written in a fraction of the time.
import { FlashError } from './flash-errors'

export interface ByteRange {
  start: number
  length: number
}

/** Sorted, merged, clipped to the image; ranges that touch become one. */
export function normalizeRanges(ranges: readonly ByteRange[], imageSize: number): ByteRange[] {
  const sorted = ranges
    .map((r) => ({ start: Math.max(0, r.start), end: Math.min(imageSize, r.start + r.length) }))
    .filter((r) => r.end > r.start)
    .sort((a, b) => a.start - b.start)
  const out: ByteRange[] = []
  for (const r of sorted) {
    const last = out[out.length - 1]
    if (last && r.start <= last.start + last.length) last.length = Math.max(last.length, r.end - last.start)
    else out.push({ start: r.start, length: r.end - r.start })
  }
  return out
}

export function rangesBytes(ranges: readonly ByteRange[]): number {
  return ranges.reduce((n, r) => n + r.length, 0)
}

/** Parts of [offset, offset+length) that fall inside the ranges, as offsets into that window. */
export function intersect(ranges: readonly ByteRange[], offset: number, length: number): ByteRange[] {
  const end = offset + length
  const out: ByteRange[] = []
  for (const r of ranges) {
    const rEnd = r.start + r.length
    if (rEnd <= offset) continue
    if (r.start >= end) break
    const s = Math.max(r.start, offset)
    out.push({ start: s - offset, length: Math.min(rEnd, end) - s })
  }
  return out
}

function tag(xml: string, name: string): string | null {
  return new RegExp(`<${name}>\\s*([^<]*?)\\s*</${name}>`).exec(xml)?.[1] ?? null
}

/** bmaptool's XML block map: BlockSize, ImageSize and the mapped <Range>first-last</Range> blocks. */
export function parseBmap(xml: string): { imageSize: number; ranges: ByteRange[] } {
  const blockSize = Number(tag(xml, 'BlockSize'))
  const imageSize = Number(tag(xml, 'ImageSize'))
  if (!Number.isSafeInteger(blockSize) || blockSize <= 0) throw new FlashError('FLASH_BMAP_INVALID', 'no BlockSize')
  if (!Number.isSafeInteger(imageSize) || imageSize <= 0) throw new FlashError('FLASH_BMAP_INVALID', 'no ImageSize')
  const ranges: ByteRange[] = []
  for (const m of xml.matchAll(/<Range[^>]*>\s*(\d+)(?:\s*-\s*(\d+))?\s*<\/Range>/g)) {
    const first = Number(m[1])
    const last = m[2] === undefined ? first : Number(m[2])
    if (last < first) throw new FlashError('FLASH_BMAP_INVALID', `range ${m[1]}-${m[2]}`)
    ranges.push({ start: first * blockSize, length: (last - first + 1) * blockSize })
  }
  if (ranges.length === 0) throw new FlashError('FLASH_BMAP_INVALID', 'no mapped ranges')
  return { imageSize, ranges: normalizeRanges(ranges, imageSize) }
}
