// Flash: drives with verdicts, what an image is, and a flash job. A browser on the station may name
// an image on the bench box (it is only read, and refused unless it is a disk image) but may write
// only drives from the box's own drive list, or files in the data folder's images/ directory: a
// typed path must never let a browser overwrite one of the box's files.
import { mkdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { EdgeError } from '../../shared/errors'
import type { FileRef } from './user-files'
import { resolveUserFile } from './user-files'
import type { CallContext, HandlersFor } from './handlers'
import type { Services } from './services'

/** Where a station may write image-file targets. */
export function stationImagesDir(dataDir: string): string {
  return path.join(dataDir, 'images')
}

function resolveImage(ref: FileRef, ctx: CallContext, dataDir: string): string {
  if (ref.upload !== undefined) return resolveUserFile(ref, ctx, dataDir, [])
  const p = ref.path
  if (p === undefined) throw new EdgeError('INVALID_INPUT', 'name an image file')
  if (p.includes('\0') || !path.isAbsolute(p)) throw new EdgeError('INVALID_INPUT', `${p} is not an absolute path`)
  let file = false
  try {
    file = statSync(p).isFile()
  } catch (err) {
    throw new EdgeError('FLASH_SOURCE_UNREADABLE', `${p}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`)
  }
  if (!file) throw new EdgeError('FLASH_SOURCE_UNREADABLE', `${p} is not a file`)
  return p
}

async function checkStationTargets(targets: readonly string[], s: Services): Promise<void> {
  const dir = stationImagesDir(s.dataDir)
  mkdirSync(dir, { recursive: true })
  const drives = new Set((await s.flash.drives({})).map((d) => d.path))
  for (const t of targets) {
    if (drives.has(t)) continue
    const inside = path.relative(dir, path.resolve(t))
    if (!path.isAbsolute(t) || inside === '' || inside.startsWith('..') || path.isAbsolute(inside)) {
      throw new EdgeError('INVALID_INPUT', `${t}: from the station, write a drive of its drive list or a file in ${dir}`)
    }
  }
}

export const flashApi = (s: Services) =>
  ({
    'flash.drives': (q) => s.flash.drives(q),
    'flash.inspect': ({ source }, ctx) => s.flash.inspect(resolveImage(source, ctx, s.dataDir)),
    'flash.start': async ({ source, targets, sha256, confirmLarge, customise }, ctx) => {
      const image = resolveImage(source, ctx, s.dataDir)
      if (ctx.transport === 'station') await checkStationTargets(targets, s)
      return s.flash.start({ source: image, targets, sha256, confirmLarge, customise })
    }
  }) satisfies HandlersFor<'flash'>
