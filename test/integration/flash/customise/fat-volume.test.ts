// EdgeDock's FAT writer on FAT16 and FAT32 volumes made by mkfs.vfat, judged by mtools and
// fsck.fat: long names, replace, delete, subdirectories, growing directories, a full volume.
import { randomBytes } from 'node:crypto'
import { open } from 'node:fs/promises'
import { afterAll, describe, expect, it } from 'vitest'
import { FlashError } from '../../../../src/main/core/flash/flash-errors'
import { FatVolume } from '../../../../src/main/core/flash/customise/fat-volume'
import { tempDir } from '../../../helpers/temp-dir'
import { buildPiBootImage, missingTools } from '../disk-image'
import { bootBytes, fsckFat, mdirNames, missingFatTools, mmd, mtype } from './fat-tools'

const missing = [...missingTools(), ...missingFatTools()]

async function withVolume<T>(image: string, fn: (v: FatVolume) => Promise<T>): Promise<T> {
  const fh = await open(image, 'r+')
  try {
    return await fn(await FatVolume.open(fh, image))
  } finally {
    await fh.close()
  }
}

async function failure(p: Promise<unknown>): Promise<FlashError> {
  const err = await p.then(() => null, (e: unknown) => e)
  expect(err).toBeInstanceOf(FlashError)
  return err as FlashError
}

const VARIANTS = [
  { fat: 16 as const, fatMiB: 16 },
  { fat: 32 as const, fatMiB: 40 }
]

describe.skipIf(missing.length > 0)(`FAT editing without mounting${missing.length ? ` (skipped: missing ${missing.join(', ')})` : ''}`, () => {
  const tmp = tempDir('edgedock-fat-')
  afterAll(() => tmp.cleanup())

  for (const v of VARIANTS) {
    describe(`FAT${v.fat}`, () => {
      it('adds files with long names, reads them back, and fsck finds nothing wrong', async () => {
        const image = buildPiBootImage(tmp.dir, { ...v, files: { 'config.txt': 'arm_64bit=1\n' } }, `names${v.fat}.img`)
        const big = randomBytes(300_000)
        const names = ['network-config', 'A Long Name With Spaces.txt', 'Mixed.Case.Name.json', 'ünïcødé-ñame.txt', 'x'.repeat(100), 'README', 'lower.md']
        await withVolume(image, async (vol) => {
          expect(vol.geometry.type).toBe(v.fat)
          for (const n of names) await vol.writeFile(n, Buffer.from(`content of ${n}\n`))
          await vol.writeFile('big.bin', big)
          expect((await vol.readFile('config.txt'))?.toString()).toBe('arm_64bit=1\n')
          expect((await vol.readFile('NETWORK-CONFIG'))?.toString()).toBe('content of network-config\n')
        })
        expect(mdirNames(image).sort()).toEqual(['config.txt', ...names, 'big.bin'].sort())
        for (const n of names) expect(mtype(image, n).toString()).toBe(`content of ${n}\n`)
        expect(mtype(image, 'big.bin').equals(big)).toBe(true)
        const fsck = fsckFat(image, v.fatMiB)
        expect(fsck.output).toContain('files')
        expect(fsck.status, fsck.output).toBe(0)
      })

      it('replaces a file (shorter and longer) and deletes one; freed clusters are counted again', async () => {
        const image = buildPiBootImage(tmp.dir, { ...v, files: { 'cmdline.txt': 'console=tty1 root=PARTUUID=x-02\n', 'keep.txt': 'keep\n' } }, `replace${v.fat}.img`)
        const before = await withVolume(image, async (vol) => vol.freeBytes())
        await withVolume(image, async (vol) => {
          await vol.writeFile('user-data', randomBytes(50_000))
          await vol.writeFile('user-data', Buffer.from('#cloud-config\n'))
          await vol.writeFile('cmdline.txt', Buffer.from('console=tty1 root=PARTUUID=x-02 quiet '.repeat(400)))
          await vol.writeFile('cmdline.txt', Buffer.from('new line\n'))
          expect(await vol.deleteFile('keep.txt')).toBe(true)
          expect(await vol.deleteFile('keep.txt')).toBe(false)
          await vol.writeFile('empty', Buffer.alloc(0))
        })
        expect(mdirNames(image).sort()).toEqual(['cmdline.txt', 'empty', 'user-data'])
        expect(mtype(image, 'cmdline.txt').toString()).toBe('new line\n')
        expect(mtype(image, 'user-data').toString()).toBe('#cloud-config\n')
        expect(mtype(image, 'empty').length).toBe(0)
        const after = await withVolume(image, async (vol) => vol.freeBytes())
        const cb = await withVolume(image, async (vol) => vol.geometry.clusterBytes)
        // keep.txt (1 cluster) gone, user-data (1 cluster) added, cmdline.txt still 1 cluster.
        expect(after).toBe(before)
        expect(cb).toBeGreaterThan(0)
        const fsck = fsckFat(image, v.fatMiB)
        expect(fsck.status, fsck.output).toBe(0)
      })

      it('writes into an existing subdirectory and grows it past one cluster', async () => {
        const image = buildPiBootImage(tmp.dir, { ...v, files: {} }, `subdir${v.fat}.img`)
        mmd(image, 'overlays')
        const names = Array.from({ length: 60 }, (_, i) => `overlay-number-${i}-with-a-long-name.dtbo`)
        await withVolume(image, async (vol) => {
          for (const n of names) await vol.writeFile(`overlays/${n}`, Buffer.from(n))
          await expect(vol.writeFile('no-such-dir/file', Buffer.from('x'))).rejects.toMatchObject({ code: 'FLASH_BOOT_FILE_MISSING' })
          expect(await vol.deleteFile(`overlays/${names[7]}`)).toBe(true)
        })
        const listed = mdirNames(image, '::/overlays/')
        expect(listed.sort()).toEqual(names.filter((_, i) => i !== 7).sort())
        expect(mtype(image, `overlays/${names[59]}`).toString()).toBe(names[59])
        const fsck = fsckFat(image, v.fatMiB)
        expect(fsck.status, fsck.output).toBe(0)
      })

      it('refuses a write that does not fit and leaves the volume as it was', async () => {
        const image = buildPiBootImage(tmp.dir, { ...v, files: { 'cmdline.txt': 'x\n' } }, `full${v.fat}.img`)
        const free = await withVolume(image, async (vol) => vol.freeBytes())
        await withVolume(image, async (vol) => vol.writeFile('filler.bin', Buffer.alloc(free - 4096, 1)))
        const snapshot = bootBytes(image, v.fatMiB)
        const err = await failure(withVolume(image, async (vol) => vol.writeFile('too-big.bin', Buffer.alloc(64 * 1024, 2))))
        expect(err.code).toBe('FLASH_BOOT_FAT_FULL')
        expect(err.message).toContain('no room left')
        expect(bootBytes(image, v.fatMiB).equals(snapshot)).toBe(true)
        // A replacement that fits only once the old clusters are freed still goes through.
        await withVolume(image, async (vol) => vol.writeFile('filler.bin', Buffer.alloc(free - 2048, 3)))
        expect(mtype(image, 'filler.bin').length).toBe(free - 2048)
        const fsck = fsckFat(image, v.fatMiB)
        expect(fsck.status, fsck.output).toBe(0)
      })
    })
  }

  it('refuses a new name once the FAT16 root directory has no free entry, and stays consistent', async () => {
    const image = buildPiBootImage(tmp.dir, { fat: 16, fatMiB: 16, files: {} }, 'rootfull.img')
    const err = await failure(
      withVolume(image, async (vol) => {
        for (let i = 0; i < 1000; i++) await vol.writeFile(`file-with-a-long-name-${i}.txt`, Buffer.from(String(i)))
      })
    )
    expect(err.code).toBe('FLASH_BOOT_FAT_FULL')
    expect(err.detail).toContain('root directory')
    const fsck = fsckFat(image, 16)
    expect(fsck.status, fsck.output).toBe(0)
  })

  it('tells a missing partition from an unreadable FAT', async () => {
    const image = buildPiBootImage(tmp.dir, { fat: 16, fatMiB: 16, files: {} }, 'broken.img')
    const fh = await open(image, 'r+')
    // Zero sectors per cluster: a boot sector no FAT driver would mount.
    await fh.write(Buffer.from([0]), 0, 1, 1024 * 1024 + 13)
    await fh.close()
    const unreadable = await failure(withVolume(image, async () => undefined))
    expect(unreadable.code).toBe('FLASH_BOOT_FAT_UNREADABLE')

    const noTable = `${tmp.dir}/zeros.img`
    await (await open(noTable, 'w')).close()
    const fh2 = await open(noTable, 'r+')
    await fh2.write(Buffer.alloc(4096), 0, 4096, 0)
    await fh2.close()
    expect((await failure(withVolume(noTable, async () => undefined))).code).toBe('FLASH_BOOT_PARTITION_MISSING')
  })
})
