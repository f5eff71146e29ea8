// Fingerprints must read exactly as OpenSSH prints them, or a technician cannot compare them.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { hostKeyAlgorithmsFor, hostKeyIdentity, keyAlgorithm } from '../../../../../src/main/core/ssh/host-key'
import { checkHostKey, HostKeyChangedError, type HostKeyStore } from '../../../../../src/main/core/ssh/host-key-pinning'

function store(): HostKeyStore {
  const rows = new Map<string, { algorithm: string; fingerprint: string; pinnedAt: number }>()
  return { get: (h, p) => rows.get(`${h}:${p}`), pin: (k) => void rows.set(`${k.host}:${k.port}`, k) }
}

const hasKeygen = spawnSync('ssh-keygen', ['-?']).error === undefined

describe('host key fingerprints', () => {
  it.skipIf(!hasKeygen)('match ssh-keygen -lf for ed25519, ecdsa and rsa keys', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'edgedock-hostkey-'))
    try {
      for (const [type, name] of [['ed25519', 'ssh-ed25519'], ['ecdsa', 'ecdsa-sha2-nistp256'], ['rsa', 'ssh-rsa']] as const) {
        const file = path.join(dir, type)
        spawnSync('ssh-keygen', ['-q', '-t', type, ...(type === 'rsa' ? ['-b', '2048'] : []), '-N', '', '-f', file])
        const blob = Buffer.from(readFileSync(`${file}.pub`, 'utf8').split(' ')[1] as string, 'base64')
        const openssh = spawnSync('ssh-keygen', ['-lf', `${file}.pub`], { encoding: 'utf8' }).stdout.split(' ')[1]
        expect(hostKeyIdentity(blob)).toEqual({ algorithm: name, fingerprint: openssh })
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('reads garbage as an unknown algorithm instead of throwing', () => {
    expect(keyAlgorithm(Buffer.from([0, 0]))).toBe('unknown')
    expect(keyAlgorithm(Buffer.from([0xff, 0xff, 0xff, 0xff, 1]))).toBe('unknown')
    expect(hostKeyAlgorithmsFor('ssh-rsa')).toContain('rsa-sha2-512')
  })
})

describe('trust on first use', () => {
  const blob = (name: string, body: string) => {
    const n = Buffer.from(name)
    const len = Buffer.alloc(4)
    len.writeUInt32BE(n.length)
    return Buffer.concat([len, n, Buffer.from(body)])
  }
  it('pins the first key, accepts it again, refuses another with both fingerprints', () => {
    const s = store()
    const first = checkHostKey(s, 'pi.local', 22, blob('ssh-ed25519', 'one'), () => 5)
    expect(first).toMatchObject({ ok: true, check: { pinnedNow: true, algorithm: 'ssh-ed25519' } })
    expect(s.get('pi.local', 22)?.pinnedAt).toBe(5)
    expect(checkHostKey(s, 'pi.local', 22, blob('ssh-ed25519', 'one'))).toMatchObject({ ok: true, check: { pinnedNow: false } })
    // Another port is another pin.
    expect(checkHostKey(s, 'pi.local', 2222, blob('ssh-ed25519', 'two'))).toMatchObject({ ok: true, check: { pinnedNow: true } })
    const changed = checkHostKey(s, 'pi.local', 22, blob('ssh-ed25519', 'two'))
    expect(changed.ok).toBe(false)
    if (changed.ok) return
    expect(changed.error).toBeInstanceOf(HostKeyChangedError)
    expect(changed.error.code).toBe('HOST_KEY_CHANGED')
    expect(changed.error.detail).toMatch(/^pi\.local:22 \(pinned ssh-ed25519 SHA256:\S+, now ssh-ed25519 SHA256:\S+\)$/)
    expect(changed.error.message).toMatch(/Trust the new key/)
    // A refused key is never pinned over the old one.
    expect(checkHostKey(s, 'pi.local', 22, blob('ssh-ed25519', 'one')).ok).toBe(true)
  })
})
