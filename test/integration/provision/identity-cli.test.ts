// `edgedock provision --identity FILE [--passphrase-env VAR]`: first contact with the technician's own
// key, through the real CLI against a real OpenSSH server (the local sshd fixture, which only knows
// that key and no password). The key text is a secret: it must not reach the job log or the database.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../helpers/run-cli'
import { tempDir } from '../../helpers/temp-dir'
import { ensureTestUser, Sshd, sshdSkipReason, TEST_USER } from '../ssh/sshd-fixture'

const PROFILE = path.join(import.meta.dirname, 'profiles', 'key-only.yaml')
const skip = sshdSkipReason()

function keygen(file: string, passphrase: string): { privateKey: string; publicKey: string; fingerprint: string } {
  const r = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-C', 'technician@laptop', '-f', file], { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(r.stderr)
  const fp = spawnSync('ssh-keygen', ['-lf', `${file}.pub`], { encoding: 'utf8' }).stdout.split(' ')[1] ?? ''
  return { privateKey: readFileSync(file, 'utf8'), publicKey: readFileSync(`${file}.pub`, 'utf8').trim(), fingerprint: fp }
}

/** Everything EdgeDock keeps in its data folder (database, WAL, logs), as one string. */
const everythingStored = (dir: string): string =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => readFileSync(path.join(e.parentPath, e.name)).toString('latin1'))
    .join('\n')

describe.skipIf(!!skip)(`provision --identity through the CLI${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const keys = tempDir('edgedock-identity-keys-')
  const plain = keygen(path.join(keys.dir, 'id_plain'), '')
  const locked = keygen(path.join(keys.dir, 'id_locked'), 'correct horse battery')
  let sshd: Sshd
  let data: { dir: string; cleanup: () => void }
  const target = () => `${TEST_USER}@127.0.0.1:${sshd.port}`
  const provision = (extra: string[], env: NodeJS.ProcessEnv = {}) =>
    runCli(['--data-dir', data.dir, 'provision', target(), '--profile', PROFILE, ...extra], { env })

  beforeAll(async () => {
    // A random password the CLI is never given: only the key can log in.
    ensureTestUser(`pw-${Math.random().toString(36).slice(2)}`)
    sshd = await Sshd.start([plain.publicKey, locked.publicKey])
  })
  afterEach(() => data?.cleanup())
  afterAll(async () => {
    await sshd?.dispose()
    keys.cleanup()
    // The profile put EdgeDock's throw-away key into the test user's own authorized_keys.
    rmSync(`/home/${TEST_USER}/.ssh/authorized_keys`, { force: true })
  })

  it('logs in with the given key, installs EdgeDock\'s key, and keeps the key text out of every record', async () => {
    data = tempDir('edgedock-identity-')
    sshd.clearLog()
    const r = await provision(['--identity', path.join(keys.dir, 'id_plain')])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/changed, 1 change/)
    // The server says which key it accepted: the technician's.
    expect(sshd.log()).toContain(`Accepted publickey for ${TEST_USER}`)
    expect(sshd.log()).toContain(plain.fingerprint)
    // The witness the other tests rely on: this server logs every connection it sees.
    expect(sshd.log()).toMatch(/Connection from 127\.0\.0\.1/)
    expect(existsSync(path.join(data.dir, 'edgedock.db'))).toBe(true)
    const stored = everythingStored(data.dir)
    for (const line of plain.privateKey.split('\n').filter((l) => l.length > 20 && !l.startsWith('-----'))) {
      expect(stored.includes(line), 'a line of the private key was stored').toBe(false)
      expect(r.stderr.includes(line) || r.stdout.includes(line)).toBe(false)
    }
  })

  it('a passphrase-protected key without its passphrase: a plain error, no job, no connection', async () => {
    data = tempDir('edgedock-identity-')
    sshd.clearLog()
    const r = await provision(['--identity', path.join(keys.dir, 'id_locked')])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/id_locked is protected by a passphrase: give it with --passphrase-env VAR.*Nothing was sent to any unit/)
    expect(JSON.parse((await runCli(['--data-dir', data.dir, 'jobs', '--json'])).stdout)).toEqual([])
    expect(sshd.log()).not.toMatch(/Connection from/)

    const wrong = await provision(['--identity', path.join(keys.dir, 'id_locked'), '--passphrase-env', 'KEY_PASS'], { KEY_PASS: 'wrong guess' })
    expect(wrong.code).toBe(1)
    expect(wrong.stderr).toMatch(/the passphrase does not unlock/)
    expect(wrong.stderr).not.toContain('wrong guess')
    expect(sshd.log()).not.toMatch(/Connection from/)
  })

  it('with --passphrase-env the protected key logs in, and the passphrase is never shown', async () => {
    data = tempDir('edgedock-identity-')
    sshd.clearLog()
    const r = await provision(['--identity', path.join(keys.dir, 'id_locked'), '--passphrase-env', 'KEY_PASS'], { KEY_PASS: 'correct horse battery' })
    expect(r.code, r.stderr).toBe(0)
    expect(sshd.log()).toContain(locked.fingerprint)
    expect(`${r.stdout}${r.stderr}${everythingStored(data.dir)}`).not.toContain('correct horse battery')
  })

  it('a file that is not a private key says so before anything is contacted', async () => {
    data = tempDir('edgedock-identity-')
    sshd.clearLog()
    const pub = await provision(['--identity', path.join(keys.dir, 'id_plain.pub')])
    expect(pub.code).toBe(1)
    expect(pub.stderr).toMatch(/holds a public key; give the private key file/)
    const missing = await provision(['--identity', path.join(keys.dir, 'no-such-key')])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toMatch(/no-such-key cannot be read \(ENOENT\)/)
    expect(sshd.log()).not.toMatch(/Connection from/)
  })
})
