// Writes a file so that a crash or power cut leaves either no file or the complete one: data goes to
// a temporary name in the same directory, is fsynced, then renamed over the target (rename is atomic
// within one file system), and the directory is fsynced so the rename itself survives a power cut.
// (write-file-atomic does the first three steps but not the directory fsync, and names its temp
// files in a way our startup sweep could not tell apart from the user's files.)
import { randomBytes } from 'node:crypto'
import { open, readdir, rename, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

export const tempSuffix = '.partial'

export async function writeFileAtomic(target: string, data: Uint8Array): Promise<void> {
  const dir = dirname(target)
  const temp = join(dir, `.${basename(target)}.${randomBytes(6).toString('hex')}${tempSuffix}`)
  const handle = await open(temp, 'wx', 0o644)
  try {
    await handle.writeFile(data)
    await handle.sync()
    await handle.close()
    await rename(temp, target)
  } catch (err) {
    await handle.close().catch(() => undefined)
    await rm(temp, { force: true })
    throw err
  }
  await fsyncDirectory(dir)
}

async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r')
  try {
    await handle.sync()
  } catch (err) {
    // Some file systems (and Windows) refuse fsync on a directory; the rename has still happened.
    if (!['EINVAL', 'EPERM', 'EISDIR', 'EBADF'].includes((err as NodeJS.ErrnoException).code ?? '')) throw err
  } finally {
    await handle.close()
  }
}

/** Removes temporary files left by a write that a crash interrupted. Returns their names. */
export async function sweepPartialFiles(dir: string): Promise<string[]> {
  let names: string[]
  try {
    names = await readdir(dir)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw err
  }
  const partial = names.filter((n) => n.startsWith('.') && n.endsWith(tempSuffix))
  await Promise.all(partial.map((n) => rm(join(dir, n), { force: true })))
  return partial
}
