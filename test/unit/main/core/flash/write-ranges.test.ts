import { describe, expect, it } from 'vitest'
import { FlashError } from '../../../../../src/main/core/flash/flash-errors'
import { intersect, normalizeRanges, parseBmap } from '../../../../../src/main/core/flash/write-ranges'

describe('write ranges', () => {
  it('merges touching ranges and clips to the image', () => {
    expect(normalizeRanges([{ start: 8, length: 4 }, { start: 0, length: 8 }, { start: 20, length: 100 }], 50)).toEqual([
      { start: 0, length: 12 },
      { start: 20, length: 30 }
    ])
  })

  it('gives the parts of a chunk inside the ranges, relative to the chunk', () => {
    const ranges = [{ start: 0, length: 10 }, { start: 30, length: 50 }]
    expect(intersect(ranges, 5, 40)).toEqual([{ start: 0, length: 5 }, { start: 25, length: 15 }])
    expect(intersect(ranges, 10, 20)).toEqual([])
  })

  it('reads a bmaptool block map', () => {
    const xml = `<?xml version="1.0" ?><bmap version="2.0"><ImageSize> 40960 </ImageSize><BlockSize> 4096 </BlockSize>
      <BlockMap><Range chksum="ab"> 0-1 </Range><Range chksum="cd"> 5 </Range><Range> 6-7 </Range></BlockMap></bmap>`
    expect(parseBmap(xml)).toEqual({ imageSize: 40960, ranges: [{ start: 0, length: 8192 }, { start: 20480, length: 12288 }] })
  })

  it('refuses a block map without sizes or ranges', () => {
    expect(() => parseBmap('<bmap><BlockSize>4096</BlockSize></bmap>')).toThrow(FlashError)
    expect(() => parseBmap('<bmap><ImageSize>4096</ImageSize><BlockSize>4096</BlockSize></bmap>')).toThrow(/no mapped ranges/)
  })
})
