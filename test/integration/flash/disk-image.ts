// Builds a small but real Raspberry Pi style disk image: an MBR with a FAT32 boot partition and an
// ext4 root, made by the same tools Debian uses (dosfstools, e2fsprogs), and packs it as the
// formats EdgeDock reads.
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { closeSync, mkdirSync, openSync, readSync, writeFileSync, writeSync } from 'node:fs'
import path from 'node:path'

export const IMAGE_TOOLS = ['mkfs.vfat', 'mcopy', 'mke2fs', 'xz', 'gzip', 'zip', 'zstd'] as const
/** Debian packages that provide the tools above. */
export const IMAGE_TOOL_PACKAGES: Record<(typeof IMAGE_TOOLS)[number], string> = {
  'mkfs.vfat': 'dosfstools',
  mcopy: 'mtools',
  mke2fs: 'e2fsprogs',
  xz: 'xz-utils',
  gzip: 'gzip',
  zip: 'zip',
  zstd: 'zstd'
}

export function missingTools(): string[] {
  return IMAGE_TOOLS.filter((t) => {
    try {
      execFileSync('sh', ['-c', 'command -v "$1"', 'sh', t], { stdio: 'ignore', env: { ...process.env, PATH: `${process.env.PATH}:/usr/sbin:/sbin` } })
      return false
    } catch {
      return true
    }
  }).map((t) => `${t} (Debian package ${IMAGE_TOOL_PACKAGES[t]})`)
}

const env = { ...process.env, PATH: `${process.env.PATH}:/usr/sbin:/sbin` }
const MiB = 1024 * 1024

export interface ImageSpec {
  sizeMiB: number
  fatMiB: number
  /** random (incompressible) bytes of files put on each file system */
  fatFill: number
  extFill: number
}

function mbrEntry(buf: Buffer, index: number, type: number, startLba: number, sectors: number, boot = false): void {
  const at = 446 + index * 16
  buf[at] = boot ? 0x80 : 0
  buf[at + 4] = type
  // CHS left as 0xFEFFFF ("use LBA"), as modern partitioners write it.
  buf.fill(0xfe, at + 1, at + 2).fill(0xff, at + 2, at + 4)
  buf.fill(0xfe, at + 5, at + 6).fill(0xff, at + 6, at + 8)
  buf.writeUInt32LE(startLba, at + 8)
  buf.writeUInt32LE(sectors, at + 12)
}

function copyInto(fd: number, file: string, offset: number): void {
  const src = openSync(file, 'r')
  const buf = Buffer.allocUnsafe(4 * MiB)
  for (let pos = 0; ; ) {
    const n = readSync(src, buf, 0, buf.length, pos)
    if (n === 0) break
    writeSync(fd, buf, 0, n, offset + pos)
    pos += n
  }
  closeSync(src)
}

function fillDir(dir: string, bytes: number): void {
  mkdirSync(dir, { recursive: true })
  for (let i = 0, left = bytes; left > 0; i++) {
    const n = Math.min(left, 8 * MiB)
    writeFileSync(path.join(dir, `file${i}.bin`), randomBytes(n))
    left -= n
  }
}

/** Writes `name` (raw image) in `dir` and returns its path. */
export function buildDiskImage(dir: string, spec: ImageSpec, name = 'disk.img'): string {
  const fat = path.join(dir, 'fat.part')
  const ext = path.join(dir, 'ext.part')
  const extMiB = spec.sizeMiB - 1 - spec.fatMiB
  execFileSync('mkfs.vfat', ['-n', 'BOOTFS', '-C', fat, String(spec.fatMiB * 1024)], { env, stdio: 'ignore' })
  const fatFiles = path.join(dir, 'fatfiles')
  fillDir(fatFiles, spec.fatFill)
  writeFileSync(path.join(fatFiles, 'config.txt'), 'arm_64bit=1\n')
  execFileSync('mcopy', ['-i', fat, '-s', ...[`${fatFiles}/config.txt`, ...(spec.fatFill > 0 ? [`${fatFiles}/file0.bin`] : [])], '::'], { env, stdio: 'ignore' })
  const rootFiles = path.join(dir, 'rootfs')
  fillDir(path.join(rootFiles, 'data'), spec.extFill)
  mkdirSync(path.join(rootFiles, 'etc'), { recursive: true })
  writeFileSync(path.join(rootFiles, 'etc', 'hostname'), 'raspberrypi\n')
  execFileSync('mke2fs', ['-q', '-F', '-t', 'ext4', '-L', 'rootfs', '-d', rootFiles, ext, `${extMiB}M`], { env, stdio: 'ignore' })

  return assemble(path.join(dir, name), fat, ext, spec.fatMiB, extMiB, 0x5eed1234)
}

export function pack(image: string, format: 'xz' | 'gz' | 'zip' | 'zst'): string {
  const cwd = path.dirname(image)
  switch (format) {
    case 'xz':
      execFileSync('xz', ['-k', '-f', '-T1', '-1', image], { env })
      return `${image}.xz`
    case 'gz':
      execFileSync('gzip', ['-k', '-f', '-1', image], { env })
      return `${image}.gz`
    case 'zip':
      execFileSync('zip', ['-q', '-j', '-1', `${image}.zip`, image], { env, cwd })
      return `${image}.zip`
    case 'zst':
      execFileSync('zstd', ['-q', '-f', '-1', image, '-o', `${image}.zst`], { env })
      return `${image}.zst`
  }
}

export function zipOf(out: string, files: string[]): string {
  execFileSync('zip', ['-q', '-j', out, ...files], { env })
  return out
}

export interface PiBootSpec {
  /** FAT16 for small test volumes, FAT32 as on Raspberry Pi OS. */
  fat: 16 | 32
  fatMiB: number
  extMiB?: number
  /** Sectors per cluster (mkfs.vfat -s); 1 makes a FAT32 volume possible from about 33 MiB. */
  sectorsPerCluster?: number
  /** Files put in the root of the boot partition. */
  files: Record<string, string | Buffer>
}

/** A Raspberry Pi OS style image (MBR, FAT boot partition with the given files, ext4 root), for customising. */
export function buildPiBootImage(dir: string, spec: PiBootSpec, name = 'pi.img'): string {
  const work = path.join(dir, `${name}.parts`)
  mkdirSync(work, { recursive: true })
  const fat = path.join(work, 'fat.part')
  const ext = path.join(work, 'ext.part')
  const extMiB = spec.extMiB ?? 8
  execFileSync('mkfs.vfat', ['-F', String(spec.fat), '-s', String(spec.sectorsPerCluster ?? 1), '-n', 'BOOTFS', '-C', fat, String(spec.fatMiB * 1024)], { env, stdio: 'ignore' })
  const staged = path.join(work, 'files')
  mkdirSync(staged, { recursive: true })
  const names = Object.keys(spec.files)
  for (const n of names) writeFileSync(path.join(staged, n), spec.files[n]!)
  if (names.length > 0) execFileSync('mcopy', ['-i', fat, ...names.map((n) => path.join(staged, n)), '::'], { env, stdio: 'ignore' })
  execFileSync('mke2fs', ['-q', '-F', '-t', 'ext4', '-L', 'rootfs', ext, `${extMiB}M`], { env, stdio: 'ignore' })
  return assemble(path.join(dir, name), fat, ext, spec.fatMiB, extMiB, 0x5eed4321)
}

/** The byte offset of partition 1 in images made here, for mtools' `-i image@@offset`. */
export const PI_BOOT_OFFSET = MiB

/** An MBR disk: the FAT as partition 1 (bootable, type 0x0c) at 1 MiB, the ext4 right after it. */
function assemble(image: string, fat: string, ext: string, fatMiB: number, extMiB: number, diskId: number): string {
  const fd = openSync(image, 'w')
  const mbr = Buffer.alloc(512)
  mbr.writeUInt32LE(diskId, 440)
  mbrEntry(mbr, 0, 0x0c, 2048, fatMiB * 2048, true)
  mbrEntry(mbr, 1, 0x83, (1 + fatMiB) * 2048, extMiB * 2048)
  mbr[510] = 0x55
  mbr[511] = 0xaa
  writeSync(fd, mbr, 0, 512, 0)
  copyInto(fd, fat, MiB)
  copyInto(fd, ext, (1 + fatMiB) * MiB)
  closeSync(fd)
  return image
}
