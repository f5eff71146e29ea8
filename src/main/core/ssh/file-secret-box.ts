// SecretBox for the station and the CLI: AES-256-GCM with a random 32-byte key in its own 0600 file.
// Why a separate key file rather than just a 0600 private key: the sealed key can live in the data
// folder (copied into backups and support bundles) while the key file can be put elsewhere
// (`keyFile`: outside the data folder, a mounted secret). When both sit in the same folder, as by
// default, this is exactly as strong as a 0600 file and no stronger: anyone who can read the user's
// files can read both. GCM also makes a damaged or swapped file fail loudly instead of half-working.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs'
import path from 'node:path'
import { EdgeError } from '../../../shared/errors'
import { frame, unframe, type SecretBox } from './secret-box'

const KIND = 'file-aes256gcm'

function readOrCreateKey(keyFile: string): Buffer {
  mkdirSync(path.dirname(keyFile), { recursive: true, mode: 0o700 })
  try {
    const fd = openSync(keyFile, 'wx', 0o600)
    try {
      writeSync(fd, randomBytes(32))
    } finally {
      closeSync(fd)
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new EdgeError('SSH_IDENTITY_UNREADABLE', `${keyFile}: ${(err as Error).message}`, { cause: err })
  }
  const fd = openSync(keyFile, 'r')
  try {
    // Like ssh(1) with a private key: refuse a key file other users can read.
    if (process.platform !== 'win32' && (fstatSync(fd).mode & 0o077) !== 0) {
      throw new EdgeError('SSH_IDENTITY_UNREADABLE', `${keyFile} can be read by other users; run "chmod 600 ${keyFile}"`)
    }
    const key = readFileSync(fd)
    if (key.length !== 32) throw new EdgeError('SSH_IDENTITY_UNREADABLE', `${keyFile} is damaged (${key.length} bytes, expected 32)`)
    return key
  } finally {
    closeSync(fd)
  }
}

export function fileSecretBox(keyFile: string): SecretBox {
  let key: Buffer | null = null
  const getKey = () => (key ??= readOrCreateKey(keyFile))
  return {
    kind: KIND,
    seal(plain) {
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', getKey(), iv)
      const body = Buffer.concat([cipher.update(plain), cipher.final()])
      return frame(KIND, Buffer.concat([iv, cipher.getAuthTag(), body]))
    },
    open(sealed) {
      const raw = unframe(KIND, sealed, 'the sealed key')
      try {
        const decipher = createDecipheriv('aes-256-gcm', getKey(), raw.subarray(0, 12))
        decipher.setAuthTag(raw.subarray(12, 28))
        return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()])
      } catch (err) {
        if (err instanceof EdgeError) throw err
        throw new EdgeError('SSH_IDENTITY_UNREADABLE', `the sealed key does not open with ${keyFile} (damaged, or sealed with another key file)`, { cause: err })
      }
    }
  }
}
