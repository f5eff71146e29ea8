// EdgeDock's own key: made once, private half only ever on disk sealed, public half in OpenSSH
// format, each kind of box with its own key, and plain errors when a box cannot open a key.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { utils } from 'ssh2'
import { authorizedKeys, loadOrCreateIdentity } from '../../../../../src/main/core/ssh/edgedock-identity'
import { fileSecretBox } from '../../../../../src/main/core/ssh/file-secret-box'
import { desktopSecretBox, safeStorageSecretBox, type SafeStorageLike } from '../../../../../src/main/core/ssh/safe-storage-secret-box'

const dirs: string[] = []
const tmp = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'edgedock-identity-'))
  dirs.push(d)
  return d
}
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })))

// A stand-in keychain: reversible, and visibly not the plain text.
function fakeSafeStorage(overrides: Partial<SafeStorageLike> = {}): SafeStorageLike {
  return {
    isEncryptionAvailable: () => true,
    encryptString: (s) => Buffer.from(Buffer.from(s).map((b) => b ^ 0x5a)),
    decryptString: (b) => Buffer.from(b.map((x) => x ^ 0x5a)).toString(),
    getSelectedStorageBackend: () => 'gnome_libsecret',
    ...overrides
  }
}

describe('EdgeDock identity', () => {
  it('is made on first run, reused after, and stored sealed with 0600 files', () => {
    const dir = tmp()
    const box = fileSecretBox(path.join(dir, 'secret.key'))
    const first = loadOrCreateIdentity(dir, box, { comment: 'edgedock@test' })
    expect(first.created).toBe(true)
    expect(first.publicKey).toMatch(/^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5[A-Za-z0-9+/]+=* edgedock@test$/)
    expect(first.privateKey).toContain('BEGIN OPENSSH PRIVATE KEY')
    const again = loadOrCreateIdentity(dir, fileSecretBox(path.join(dir, 'secret.key')))
    expect(again).toEqual({ ...first, created: false })
    const sealed = path.join(dir, 'id_ed25519.file-aes256gcm.sealed')
    expect(statSync(sealed).mode & 0o777).toBe(0o600)
    expect(statSync(path.join(dir, 'secret.key')).mode & 0o777).toBe(0o600)
    const onDisk = readFileSync(sealed)
    expect(onDisk.toString('latin1')).not.toContain('OPENSSH PRIVATE KEY')
    expect(onDisk.includes(Buffer.from(first.privateKey.split('\n')[1] as string))).toBe(false)
    // The private key works with ssh2 and matches the public half.
    const parsed = utils.parseKey(first.privateKey)
    expect(parsed instanceof Error).toBe(false)
    expect(authorizedKeys(dir)).toEqual([first.publicKey])
  })

  it('has the fingerprint ssh-keygen prints for the public key', () => {
    const dir = tmp()
    const id = loadOrCreateIdentity(dir, fileSecretBox(path.join(dir, 'k')))
    const r = spawnSync('ssh-keygen', ['-lf', path.join(dir, 'id_ed25519.file-aes256gcm.pub')], { encoding: 'utf8' })
    if (r.error) return
    expect(r.stdout.split(' ')[1]).toBe(id.fingerprint)
  })

  it('refuses a key file other users can read, and a damaged or foreign sealed key', () => {
    const dir = tmp()
    loadOrCreateIdentity(dir, fileSecretBox(path.join(dir, 'k')))
    spawnSync('chmod', ['644', path.join(dir, 'k')])
    expect(() => loadOrCreateIdentity(dir, fileSecretBox(path.join(dir, 'k')))).toThrow(expect.objectContaining({ code: 'SSH_IDENTITY_UNREADABLE' }))
    spawnSync('chmod', ['600', path.join(dir, 'k')])
    // Sealed with another key file: GCM refuses it.
    expect(() => loadOrCreateIdentity(dir, fileSecretBox(path.join(dir, 'other-key')))).toThrow(/does not open with/)
    const sealed = path.join(dir, 'id_ed25519.file-aes256gcm.sealed')
    const bytes = readFileSync(sealed)
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) ^ 1
    writeFileSync(sealed, bytes)
    expect(() => loadOrCreateIdentity(dir, fileSecretBox(path.join(dir, 'k')))).toThrow(expect.objectContaining({ code: 'SSH_IDENTITY_UNREADABLE' }))
  })

  it('seals with the OS keychain on the desktop; each box has its own key; both public halves are listed', () => {
    const dir = tmp()
    const desktop = loadOrCreateIdentity(dir, safeStorageSecretBox(fakeSafeStorage()))
    const cli = loadOrCreateIdentity(dir, fileSecretBox(path.join(dir, 'k')))
    expect(desktop.publicKey).not.toBe(cli.publicKey)
    expect(loadOrCreateIdentity(dir, safeStorageSecretBox(fakeSafeStorage())).privateKey).toBe(desktop.privateKey)
    expect(authorizedKeys(dir).sort()).toEqual([desktop.publicKey, cli.publicKey].sort())
    expect(readFileSync(path.join(dir, 'id_ed25519.os-keychain.sealed')).toString('latin1')).toMatch(/^edgedock-sealed-v1 os-keychain\n/)
    // A keychain that went away: plain error, nothing else.
    expect(() => loadOrCreateIdentity(dir, safeStorageSecretBox(fakeSafeStorage({ isEncryptionAvailable: () => false })))).toThrow(/keychain is not available/)
  })

  it('falls back to the key-file box when Linux has no real keychain (basic_text)', () => {
    const fallback = fileSecretBox(path.join(tmp(), 'k'))
    expect(desktopSecretBox(fakeSafeStorage({ getSelectedStorageBackend: () => 'basic_text' }), () => fallback)).toBe(fallback)
    expect(desktopSecretBox(fakeSafeStorage({ isEncryptionAvailable: () => false }), () => fallback)).toBe(fallback)
    expect(desktopSecretBox(fakeSafeStorage(), () => fallback).kind).toBe('os-keychain')
  })

  it('never seals a malformed key: ssh2 now and then generates one (leading zero byte dropped), and another is made', () => {
    const dir = tmp()
    // A real one of what ssh2 returns about once in 140 calls: a private key that does not parse
    // (not finding one in 5000 tries has a chance of about 1e-15).
    let malformed: { private: string; public: string } | null = null
    for (let i = 0; i < 5000 && !malformed; i++) {
      const pair = utils.generateKeyPairSync('ed25519', { comment: 'edgedock@test' })
      if (utils.parseKey(pair.private) instanceof Error) malformed = pair
    }
    expect(malformed).not.toBeNull()
    const spy = vi.spyOn(utils, 'generateKeyPairSync').mockReturnValueOnce(malformed as never)
    try {
      const id = loadOrCreateIdentity(dir, fileSecretBox(path.join(dir, 'secret.key')))
      expect(spy).toHaveBeenCalledTimes(2)
      expect(id.publicKey).toMatch(/^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI/)
      // And the next run opens the sealed key.
      expect(loadOrCreateIdentity(dir, fileSecretBox(path.join(dir, 'secret.key'))).fingerprint).toBe(id.fingerprint)
    } finally {
      spy.mockRestore()
    }
  })
})
