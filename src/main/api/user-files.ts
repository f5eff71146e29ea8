// The one door for files named by a user: a path typed into the CLI or dropped on the desktop window,
// or bytes uploaded to the station. Paths must be absolute, regular files with an expected extension;
// the station never accepts paths at all (its browser may be on another machine: it uploads instead).
import { randomUUID } from 'node:crypto'
import { createWriteStream, mkdirSync, statSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import path from 'node:path'
import type { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { EdgeError } from '../../shared/errors'
import type { CallContext } from './handlers'

export interface FileRef {
  path?: string | undefined
  upload?: string | undefined
}

const UPLOAD_ID = /^[0-9a-f-]{36}$/

export function uploadsDir(dataDir: string): string {
  return path.join(dataDir, 'incoming')
}

/** Resolves a file reference from a call into a path on this machine, or refuses it. */
export function resolveUserFile(ref: FileRef, ctx: CallContext, dataDir: string, extensions: string[]): string {
  if (ref.upload !== undefined) {
    if (!UPLOAD_ID.test(ref.upload)) throw new EdgeError('INVALID_INPUT', 'unknown upload')
    const file = path.join(uploadsDir(dataDir), ref.upload)
    if (!isFile(file)) throw new EdgeError('INVALID_INPUT', 'the upload is gone; send the file again')
    return file
  }
  if (ref.path === undefined) throw new EdgeError('INVALID_INPUT', 'name a file')
  if (ctx.transport === 'station') throw new EdgeError('INVALID_INPUT', 'the station takes uploaded files, not paths')
  const p = ref.path
  if (p.includes('\0') || !path.isAbsolute(p)) throw new EdgeError('INVALID_INPUT', `${p} is not an absolute path`)
  if (!extensions.includes(path.extname(p).toLowerCase())) {
    throw new EdgeError('INVALID_INPUT', `${path.basename(p)} is not a ${extensions.join(' or ')} file`)
  }
  if (!isFile(p)) throw new EdgeError('INVALID_INPUT', `${p} is not a file`)
  return p
}

/** Streams an upload into the data folder and returns its id; a cap keeps a bad client from filling the disk. */
export async function receiveUpload(dataDir: string, body: Readable, maxBytes: number): Promise<string> {
  const dir = uploadsDir(dataDir)
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  const id = randomUUID()
  const file = path.join(dir, id)
  let seen = 0
  body.on('data', (chunk: Buffer) => {
    seen += chunk.length
    if (seen > maxBytes) body.destroy(new EdgeError('INVALID_INPUT', `file larger than ${maxBytes} bytes`))
  })
  try {
    await pipeline(body, createWriteStream(file, { mode: 0o600 }))
  } catch (err) {
    await rm(file, { force: true })
    throw err instanceof EdgeError ? err : new EdgeError('DATA_DIR_UNUSABLE', dir, { cause: err })
  }
  return id
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile()
  } catch {
    return false
  }
}
