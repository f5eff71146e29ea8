// Bad inputs and failing targets: each gives its own clear error, a target refused up front keeps
// its bytes, and a write that cannot finish leaves the partition table unwritten.
import { randomBytes } from 'node:crypto'
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs'
import { open } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { flashImage } from '../../../src/main/core/flash/image-writer'
import { systemTargetIo, type TargetIo } from '../../../src/main/core/flash/target-io'
import { tempDir } from '../../helpers/temp-dir'
import { buildDiskImage, missingTools, pack, zipOf } from './disk-image'
import { head4k, noDrives, sha256File } from './flash-fixture'

const missing = missingTools()

describe.skipIf(missing.length > 0)(`flash refusals and failures${missing.length ? ` (skipped: missing ${missing.join(', ')})` : ''}`, () => {
  const tmp = tempDir('edgedock-flash-bad-')
  let image = ''
  let victim = ''
  let victimSha = ''
  const at = (name: string) => path.join(tmp.dir, name)
  beforeAll(() => {
    image = buildDiskImage(tmp.dir, { sizeMiB: 40, fatMiB: 16, fatFill: 1024 * 1024, extFill: 2 * 1024 * 1024 })
    victim = at('victim.img')
    // An old "card" that already holds a bootable image: refusals must leave it as it was.
    copyFileSync(image, victim)
    victimSha = sha256File(victim)!
  })
  // Streams that fail half-way write into the victim (without its partition table): start each test afresh.
  beforeEach(() => copyFileSync(image, victim))
  afterAll(() => tmp.cleanup())

  const flashOne = async (source: string, extra: Record<string, unknown> = {}) => {
    const [r] = await flashImage({ source, targets: [victim], ...extra }, { safety: noDrives })
    return r!
  }

  it.each([
    ['truncated xz', 'xz', 'FLASH_SOURCE_TRUNCATED'],
    ['truncated zip', 'zip', 'FLASH_SOURCE_TRUNCATED']
  ])('refuses a %s up front and leaves the target as it was', async (_name, format, code) => {
    const packed = pack(image, format as 'xz' | 'zip')
    const cut = at(`cut.${format}`)
    writeFileSync(cut, readFileSync(packed).subarray(0, Math.floor(readFileSync(packed).length / 2)))
    const r = await flashOne(cut)
    expect(r.error?.code).toBe(code)
    expect(sha256File(victim)).toBe(victimSha)
  })

  it.each(['gz', 'zst'] as const)('stops on a truncated %s stream without writing the partition table', async (format) => {
    const packed = pack(image, format)
    const cut = at(`cut.${format}`)
    writeFileSync(cut, readFileSync(packed).subarray(0, Math.floor(readFileSync(packed).length * 0.6)))
    const target = at(`cut-${format}-target.img`)
    copyFileSync(image, target)
    const [r] = await flashImage({ source: cut, targets: [target] }, { safety: noDrives })
    expect(r!.error?.code).toBe('FLASH_SOURCE_TRUNCATED')
    expect(r!.committed).toBe(false)
    expect(head4k(target).every((b) => b === 0)).toBe(true)
  })

  it('reports a corrupt xz stream', async () => {
    const packed = readFileSync(pack(image, 'xz'))
    packed[Math.floor(packed.length / 2)]! ^= 0xff
    writeFileSync(at('bad.img.xz'), packed)
    const r = await flashOne(at('bad.img.xz'))
    expect(r.error?.code).toBe('FLASH_SOURCE_CORRUPT')
    expect(r.committed).toBe(false)
  })

  it('stops a gzip bomb at the size cap', async () => {
    writeFileSync(at('bomb.img'), Buffer.concat([readFileSync(image).subarray(0, 4096), Buffer.alloc(64 * 1024 * 1024)]))
    const bomb = pack(at('bomb.img'), 'gz')
    const r = await flashOne(bomb, { maxImageBytes: 16 * 1024 * 1024 })
    expect(r.error?.code).toBe('FLASH_SOURCE_TOO_LARGE')
    expect(r.committed).toBe(false)
  })

  it('refuses an xz or zip that declares more than the cap, before reading it', async () => {
    for (const format of ['xz', 'zip'] as const) {
      const r = await flashOne(pack(image, format), { maxImageBytes: 8 * 1024 * 1024 })
      expect(r.error?.code).toBe('FLASH_SOURCE_TOO_LARGE')
      expect(r.error?.detail).toMatch(/declares/)
    }
    expect(sha256File(victim)).toBe(victimSha)
  })

  it('refuses a zip with no image and one with two', async () => {
    writeFileSync(at('readme.txt'), 'hello')
    expect((await flashOne(zipOf(at('none.zip'), [at('readme.txt')]))).error?.code).toBe('FLASH_ZIP_NO_IMAGE')
    copyFileSync(image, at('other.img'))
    expect((await flashOne(zipOf(at('two.zip'), [image, at('other.img')]))).error?.code).toBe('FLASH_ZIP_AMBIGUOUS')
    expect(sha256File(victim)).toBe(victimSha)
  })

  it('refuses a file that is no disk image, before touching the target', async () => {
    writeFileSync(at('random.bin'), randomBytes(3 * 1024 * 1024))
    const r = await flashOne(at('random.bin'))
    expect(r.error?.code).toBe('FLASH_SOURCE_NOT_DISK_IMAGE')
    expect(r.error?.message).toMatch(/not a disk image/)
    expect(sha256File(victim)).toBe(victimSha)
  })

  it('refuses to write the source file onto itself', async () => {
    const r = await flashOne(victim)
    expect(r.error?.code).toBe('FLASH_TARGET_HOLDS_SOURCE')
    expect(sha256File(victim)).toBe(victimSha)
  })

  it('does not commit when the source SHA-256 does not match', async () => {
    const target = at('sha-target.img')
    const [r] = await flashImage({ source: image, targets: [target], expectedSha256: 'ab'.repeat(32) }, { safety: noDrives })
    expect(r!.error?.code).toBe('FLASH_SOURCE_CHECKSUM_MISMATCH')
    expect(r!.committed).toBe(false)
    expect(head4k(target).every((b) => b === 0)).toBe(true)
  })

  it('catches one byte changed on a target between write and verify; the other target is fine', async () => {
    const a = at('flip-a.img')
    const b = at('flip-b.img')
    const results = await flashImage(
      { source: image, targets: [a, b] },
      {
        safety: noDrives,
        hooks: {
          async beforeVerify(target) {
            if (target !== a) return
            const fh = await open(target, 'r+')
            const one = Buffer.alloc(1)
            await fh.read(one, 0, 1, 20 * 1024 * 1024 + 7)
            one[0]! ^= 0x01
            await fh.write(one, 0, 1, 20 * 1024 * 1024 + 7)
            await fh.close()
          }
        }
      }
    )
    expect(results[0]).toMatchObject({ verified: false, error: { code: 'FLASH_VERIFY_MISMATCH' } })
    expect(results[1]).toMatchObject({ verified: true, error: null, sha256: sha256File(image) })
  })

  it('turns ENOSPC on one target into a clear error and finishes the other', async () => {
    const full = at('full.img')
    const ok = at('ok.img')
    // A file system that fills up after 8 MiB, injected at the fs layer (a tiny tmpfs needs root).
    const io: TargetIo = {
      async open(target, kind) {
        const h = await systemTargetIo.open(target, kind)
        if (target !== full) return h
        return {
          ...h,
          write: (buf, off, len, pos) =>
            pos + len > 8 * 1024 * 1024 ? Promise.reject(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })) : h.write(buf, off, len, pos),
          read: h.read.bind(h),
          sync: h.sync.bind(h),
          truncate: h.truncate.bind(h),
          close: h.close.bind(h)
        }
      }
    }
    const [rFull, rOk] = await flashImage({ source: image, targets: [full, ok] }, { safety: noDrives, io })
    expect(rFull!.error).toMatchObject({ code: 'FLASH_TARGET_FULL' })
    expect(rFull!.error!.message).toMatch(/no space left on .*full\.img/i)
    expect(rFull!.committed).toBe(false)
    expect(rOk).toMatchObject({ verified: true, error: null })
  })

  it('stops promptly on cancel and leaves the first 4 KiB unwritten', async () => {
    const target = at('cancel.img')
    copyFileSync(image, target)
    const abort = new AbortController()
    let writes = 0
    const io: TargetIo = {
      async open(t, kind) {
        const h = await systemTargetIo.open(t, kind)
        return { ...h, write: (b, o, l, p) => (++writes === 3 && abort.abort(), h.write(b, o, l, p)), read: h.read.bind(h), sync: h.sync.bind(h), truncate: h.truncate.bind(h), close: h.close.bind(h) }
      }
    }
    const [r] = await flashImage({ source: image, targets: [target] }, { safety: noDrives, io, signal: abort.signal })
    expect(r!.error?.code).toBe('FLASH_CANCELLED')
    expect(r!.error?.message).toMatch(/will not boot/)
    expect(r!.committed).toBe(false)
    expect(r!.bytesWritten).toBeLessThan(20 * 1024 * 1024)
    expect(head4k(target).every((b) => b === 0)).toBe(true)
  })

  it('refuses a target folder that does not exist with a sentence, not a stack', async () => {
    const [r] = await flashImage({ source: image, targets: [at('no/such/dir/x.img')] }, { safety: noDrives })
    expect(r!.error?.code).toBe('FLASH_TARGET_WRITE_FAILED')
    expect(r!.error?.message).toMatch(/ENOENT/)
  })
})
