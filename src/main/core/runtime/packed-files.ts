// The runtime's files as they travel: gzip, because every Raspberry Pi OS has gzip (it is Essential in
// Debian) and Node's zlib makes it on any desktop without a binary of its own. Measured on the arm64
// runtime: gzip -6 sends 54 MB of 148 MB in 7 s of compression; xz -6 would send 35 MB but takes a
// minute to make and xz-utils is not on every image; -9 saves 0.3 % for three times the time.
//
// The cache is by content (<cacheDir>/packed/<sha256>.gz), so a new runtime version that shares Node and
// ONNX Runtime with the last one packs nothing again. A file is published by rename: a build that is
// interrupted leaves a .tmp, never a short .gz. What arrives is checked by sha256 after unpacking.
import { randomBytes } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import { createGzip } from 'node:zlib'
import type { ManifestFile } from './bundle-manifest'

/** Smaller files go as they are: packing them saves less than the extra name costs. */
export const PACK_MIN_BYTES = 16 * 1024

export interface PackedFile {
  /** The .gz on this computer. */
  local: string
  size: number
}

const packedDir = (cacheDir: string) => path.join(cacheDir, 'packed')

/** The gzip of every file worth packing, made where missing; keyed by the file's path in the bundle. */
export async function packFiles(cacheDir: string, bundleDir: string, files: readonly ManifestFile[]): Promise<Map<string, PackedFile>> {
  const out = new Map<string, PackedFile>()
  await mkdir(packedDir(cacheDir), { recursive: true })
  for (const f of files) {
    if (f.size < PACK_MIN_BYTES) continue
    const local = path.join(packedDir(cacheDir), `${f.sha256}.gz`)
    let size = (await stat(local).catch(() => null))?.size
    if (!size) {
      const tmp = `${local}.tmp-${randomBytes(6).toString('hex')}`
      try {
        await pipeline(createReadStream(path.join(bundleDir, ...f.path.split('/'))), createGzip({ level: 6 }), createWriteStream(tmp))
        await rename(tmp, local)
      } finally {
        await rm(tmp, { force: true })
      }
      size = (await stat(local)).size
    }
    // A file that does not shrink (already compressed) is cheaper sent as it is.
    if (size < f.size) out.set(f.path, { local, size })
  }
  return out
}

/** Removes packed files no kept bundle names, and leftovers of packing interrupted an hour or more ago. */
export async function prunePacked(cacheDir: string, keep: ReadonlySet<string>): Promise<void> {
  const dir = packedDir(cacheDir)
  const names = await readdir(dir).catch(() => [] as string[])
  for (const name of names) {
    const file = path.join(dir, name)
    const sha = /^([0-9a-f]{64})\.gz$/.exec(name)?.[1]
    // Another build may be packing right now: its .tmp is young.
    const stale = sha ? !keep.has(sha) : ((await stat(file).catch(() => null))?.mtimeMs ?? Date.now()) < Date.now() - 3_600_000
    if (stale) await rm(file, { force: true })
  }
}
