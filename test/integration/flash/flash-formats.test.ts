// Every source format, flashed to two image files at once from one read, each verified on its own.
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { flashImage } from '../../../src/main/core/flash/image-writer'
import { tempDir } from '../../helpers/temp-dir'
import { buildDiskImage, missingTools, pack } from './disk-image'
import { noDrives, sha256File } from './flash-fixture'

const missing = missingTools()

describe.skipIf(missing.length > 0)(`flashing each source format${missing.length ? ` (skipped: missing ${missing.join(', ')})` : ''}`, () => {
  const tmp = tempDir('edgedock-flash-fmt-')
  let image = ''
  let imageSha = ''
  beforeAll(() => {
    image = buildDiskImage(tmp.dir, { sizeMiB: 48, fatMiB: 16, fatFill: 3 * 1024 * 1024, extFill: 5 * 1024 * 1024 })
    imageSha = sha256File(image)!
  })
  afterAll(() => tmp.cleanup())

  for (const format of ['raw', 'xz', 'gz', 'zip', 'zst'] as const) {
    it(`writes a ${format} image to two targets and verifies both`, async () => {
      const source = format === 'raw' ? image : pack(image, format)
      const a = path.join(tmp.dir, `${format}-a.img`)
      const b = path.join(tmp.dir, `${format}-b.img`)
      // A longer old image in one target: the result must still be exactly the new image.
      writeFileSync(b, Buffer.alloc(60 * 1024 * 1024, 0xaa))
      const progress: string[] = []
      const results = await flashImage(
        { source, targets: [a, b], expectedSha256: sha256File(source)! },
        { safety: noDrives, onProgress: (p) => progress.push(`${p.target}:${p.phase}`) }
      )
      for (const r of results) {
        expect(r.error).toBeNull()
        expect(r).toMatchObject({ verified: true, committed: true, sha256: imageSha, skippedBytes: 0, bytesWritten: 48 * 1024 * 1024 })
        expect(sha256File(r.target)).toBe(imageSha)
      }
      expect(progress.some((p) => p.endsWith(':verify'))).toBe(true)
    })
  }

  it('writes only the ranges of a .bmap and verifies every written block', async () => {
    const blocks = (48 * 1024 * 1024) / 4096
    // Map the first 18 MiB (MBR, FAT, the ext4 metadata at its start) and the rest of ext4 as unused.
    const mapped = (18 * 1024 * 1024) / 4096
    writeFileSync(
      path.join(tmp.dir, 'disk.bmap'),
      `<?xml version="1.0" ?>\n<bmap version="2.0">\n<ImageSize> ${48 * 1024 * 1024} </ImageSize>\n<BlockSize> 4096 </BlockSize>\n<BlocksCount> ${blocks} </BlocksCount>\n<MappedBlocksCount> ${mapped} </MappedBlocksCount>\n<BlockMap>\n<Range chksum="x"> 0-${mapped - 1} </Range>\n</BlockMap>\n</bmap>\n`
    )
    const target = path.join(tmp.dir, 'bmap.img')
    const [r] = await flashImage({ source: image, targets: [target], bmapPath: path.join(tmp.dir, 'disk.bmap') }, { safety: noDrives })
    expect(r!.error).toBeNull()
    expect(r).toMatchObject({ verified: true, committed: true, bytesWritten: mapped * 4096, skippedBytes: 30 * 1024 * 1024 })
  })

  it('skips blocks the ext4 bitmaps mark free; the file system on the target still checks clean', async () => {
    const target = path.join(tmp.dir, 'skip.img')
    // Old contents everywhere: skipped blocks keep them, and ext4 must not care.
    writeFileSync(target, Buffer.alloc(48 * 1024 * 1024, 0xaa))
    const [r] = await flashImage({ source: image, targets: [target], skipUnused: true }, { safety: noDrives })
    expect(r!.error).toBeNull()
    expect(r!.verified).toBe(true)
    expect(r!.skippedBytes).toBeGreaterThan(10 * 1024 * 1024)
    expect(r!.bytesWritten + r!.skippedBytes).toBe(48 * 1024 * 1024)
    const part = path.join(tmp.dir, 'skip-root.part')
    writeFileSync(part, readFileSync(target).subarray(17 * 1024 * 1024))
    const env = { ...process.env, PATH: `${process.env.PATH}:/usr/sbin:/sbin` }
    expect(() => execFileSync('e2fsck', ['-f', '-n', part], { env, stdio: 'pipe' })).not.toThrow()
    expect(execFileSync('debugfs', ['-R', 'cat /etc/hostname', part], { env, stdio: ['ignore', 'pipe', 'ignore'] }).toString()).toBe('raspberrypi\n')
    // MBR and boot partition are written whole (compared by hash: a diff of megabytes helps nobody).
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')
    expect(sha(readFileSync(target).subarray(0, 17 * 1024 * 1024))).toBe(sha(readFileSync(image).subarray(0, 17 * 1024 * 1024)))
  })
})
