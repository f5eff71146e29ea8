// EdgeDock's own ed25519 key, made on first run. The private half is stored only sealed by a
// SecretBox; the public half in OpenSSH format for authorized_keys. Each kind of box has its own key
// pair (the desktop's keychain-sealed key cannot be opened by the CLI), so `authorizedKeys` lists
// every public half in the folder and provisioning installs them all.
import { chmodSync, closeSync, linkSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type ssh2Module from 'ssh2'
import { EdgeError } from '../../../shared/errors'
import { lazyPackage } from '../lazy-package'
import { sha256Fingerprint } from './host-key'
import type { SecretBox } from './secret-box'

const ssh2 = lazyPackage<typeof ssh2Module>('ssh2')

export interface EdgeDockIdentity {
  /** OpenSSH private key text: in memory only, handed to the SSH session. */
  privateKey: string
  /** `ssh-ed25519 AAAA… edgedock@station` for authorized_keys. */
  publicKey: string
  fingerprint: string
  /** Whether this call made the key (first run). */
  created: boolean
}

const sealedName = (kind: string) => `id_ed25519.${kind}.sealed`
const publicName = (kind: string) => `id_ed25519.${kind}.pub`

/** Writes a file under a temporary name and links it into place: of two racing processes one wins. */
function writeExclusive(file: string, data: Buffer | string, mode: number): boolean {
  const tmp = `${file}.${process.pid}.tmp`
  const fd = openSync(tmp, 'w', mode)
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data)
  } finally {
    closeSync(fd)
  }
  chmodSync(tmp, mode)
  try {
    linkSync(tmp, file)
    return true
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw err
  } finally {
    rmSync(tmp, { force: true })
  }
}

/**
 * ssh2's generateKeyPairSync drops a leading zero byte of the ed25519 key, so about 1 key in 140
 * comes out malformed (measured: 21 of 3000). Sealed as it is, that key would make every later run
 * fail with SSH_IDENTITY_UNREADABLE: check each new key and make another.
 */
function usableKeyPair(comment: string): { private: string; public: string } {
  for (let attempt = 0; attempt < 20; attempt++) {
    const pair = ssh2().utils.generateKeyPairSync('ed25519', { comment })
    if (!(ssh2().utils.parseKey(pair.private) instanceof Error)) return pair
  }
  throw new EdgeError('INTERNAL', 'no usable ed25519 key after 20 attempts')
}

export function loadOrCreateIdentity(dir: string, box: SecretBox, opts: { comment?: string } = {}): EdgeDockIdentity {
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  const sealedFile = path.join(dir, sealedName(box.kind))
  const publicFile = path.join(dir, publicName(box.kind))
  let created = false
  let sealed: Buffer
  try {
    sealed = readFileSync(sealedFile)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new EdgeError('SSH_IDENTITY_UNREADABLE', `${sealedFile}: ${(err as Error).message}`, { cause: err })
    const comment = opts.comment ?? `edgedock@${os.hostname()}`
    const pair = usableKeyPair(comment)
    // Public half first: a sealed key without its .pub would leave nothing to install.
    writeFileSync(publicFile, `${pair.public.trim()}\n`, { mode: 0o644 })
    created = writeExclusive(sealedFile, box.seal(Buffer.from(pair.private)), 0o600)
    // When another process won the race its key is used; the .pub is re-derived from it below.
    sealed = readFileSync(sealedFile)
  }
  const privateKey = box.open(sealed).toString('utf8')
  const parsed = ssh2().utils.parseKey(privateKey)
  if (parsed instanceof Error || Array.isArray(parsed)) throw new EdgeError('SSH_IDENTITY_UNREADABLE', `${sealedFile} does not hold a usable key`)
  // The public half is derived from the private one, so a tampered .pub file is rewritten.
  const blob = parsed.getPublicSSH()
  const comment = parsed.comment || (opts.comment ?? `edgedock@${os.hostname()}`)
  const publicKey = `${parsed.type} ${blob.toString('base64')} ${comment}`
  try {
    if (readFileSync(publicFile, 'utf8').trim() !== publicKey) writeFileSync(publicFile, `${publicKey}\n`, { mode: 0o644 })
  } catch {
    writeFileSync(publicFile, `${publicKey}\n`, { mode: 0o644 })
  }
  return { privateKey, publicKey, fingerprint: sha256Fingerprint(blob), created }
}

/** Every EdgeDock public key in the folder (one per kind of box), for authorized_keys. */
export function authorizedKeys(dir: string): string[] {
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return []
  }
  return names
    .filter((n) => /^id_ed25519\.[a-z0-9-]+\.pub$/.test(n))
    .sort()
    .map((n) => readFileSync(path.join(dir, n), 'utf8').trim())
    .filter((k) => /^ssh-ed25519 [A-Za-z0-9+/]+=* ?/.test(k))
}
