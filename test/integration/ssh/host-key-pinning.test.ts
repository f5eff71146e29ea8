// Host keys against a real sshd: pinned at first contact with OpenSSH's own fingerprint; after the
// server's key is regenerated the connection stops inside the key exchange, so the server never sees
// a login attempt (its VERBOSE log has no auth line) and nothing runs; re-pinning is explicit and
// lands in history.
import { existsSync, rmSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EdgeError } from '../../../src/shared/errors'
import { JobRunner } from '../../../src/main/core/jobs/job-runner'
import { fileSecretBox, HostKeyChangedError, loadOrCreateIdentity, openSshSession, readHostKey, repinHostKey, type HostKeyStore, type SshSessionOptions } from '../../../src/main/core/ssh'
import { memoryJobStore } from './memory-job-store'
import { ensureTestUser, Sshd, sshdSkipReason, TEST_USER } from './sshd-fixture'

const skip = sshdSkipReason()
if (skip) console.warn(`[ssh integration] skipped: ${skip}`)

function memoryHostKeys(): HostKeyStore & { rows: Map<string, { algorithm: string; fingerprint: string; pinnedAt: number }> } {
  const rows = new Map<string, { algorithm: string; fingerprint: string; pinnedAt: number }>()
  return {
    rows,
    get: (host, port) => rows.get(`${host}:${port}`),
    pin: (k) => void rows.set(`${k.host}:${k.port}`, { algorithm: k.algorithm, fingerprint: k.fingerprint, pinnedAt: k.pinnedAt })
  }
}

// Lines sshd writes at VERBOSE for any user-auth request (tried, failed, accepted, unknown user).
const AUTH_LINES = /Failed |Accepted |Postponed |Invalid user|Authentication refused|userauth|authentication failure/i

describe.skipIf(!!skip)('host key pinning against a real sshd', () => {
  let sshd: Sshd
  let keyDir: string
  let privateKey: string
  const password = `pw-${Math.random().toString(36).slice(2)}-Ω`
  const hostKeys = memoryHostKeys()
  const history: { kind: string; summary: string }[] = []

  beforeAll(async () => {
    keyDir = (await import('node:fs')).mkdtempSync(path.join((await import('node:os')).tmpdir(), 'edgedock-ssh-keys-'))
    const id = loadOrCreateIdentity(keyDir, fileSecretBox(path.join(keyDir, 'secret.key')))
    privateKey = id.privateKey
    ensureTestUser(password)
    sshd = await Sshd.start([id.publicKey])
  })
  afterAll(async () => {
    await sshd?.dispose()
    rmSync(keyDir, { recursive: true, force: true })
  })

  it('pins the key at first contact, with the fingerprint OpenSSH prints', async () => {
    const s = await openSshSession({ host: '127.0.0.1', port: sshd.port, username: 'root' }, { privateKey }, { hostKeys })
    expect(s.hostKey).toEqual({ algorithm: 'ssh-ed25519', fingerprint: sshd.fingerprint(), pinnedNow: true })
    expect(hostKeys.get('127.0.0.1', sshd.port)?.fingerprint).toBe(sshd.fingerprint())
    await s.close()
    // The positive control for the log check below: a login does show up.
    await sshd.waitForLog(/Accepted publickey for root/)
    const again = await openSshSession({ host: '127.0.0.1', port: sshd.port, username: 'root' }, { privateKey }, { hostKeys })
    expect(again.hostKey.pinnedNow).toBe(false)
    await again.close()
  })

  it('stops before authentication when the host key was regenerated: no password offered, nothing run', async () => {
    const pinned = hostKeys.get('127.0.0.1', sshd.port)
    await sshd.regenerateHostKey()
    sshd.clearLog()
    const marker = path.join(sshd.dir, 'should-not-exist')
    const store = memoryJobStore()
    const runner = new JobRunner(store, { updated: () => {}, log: () => {} })
    const job = runner.start({ kind: 'test.ssh', title: 'connect to a changed unit' }, async (ctx) => {
      const s = await ctx.step('Connect', () =>
        openSshSession(
          { host: '127.0.0.1', port: sshd.port, username: TEST_USER },
          { password },
          { hostKeys, signal: ctx.signal, secret: (v) => ctx.secret(v), log: (l, t) => ctx.log(l, t) }
        )
      )
      await s.run(['touch', marker])
    })
    const done = await runner.wait(job.id)
    expect(done.state).toBe('failed')
    expect(done.error?.code).toBe('HOST_KEY_CHANGED')
    expect(done.error?.detail).toContain(pinned?.fingerprint)
    expect(done.error?.detail).toContain(sshd.fingerprint())
    expect(done.error?.message).toMatch(/before sending any password or key/)
    // The server saw the connection and no login attempt of any kind.
    await sshd.waitForLog(/(Disconnected from|Connection (closed|reset) by) 127\.0\.0\.1 port \d+ \[preauth\]/)
    expect(sshd.log()).toMatch(/Connection from 127\.0\.0\.1/)
    expect(sshd.log()).not.toMatch(AUTH_LINES)
    expect(existsSync(marker)).toBe(false)
    expect(hostKeys.get('127.0.0.1', sshd.port)).toEqual(pinned)
    expect(store.lines.map((l) => l.text).join('\n')).not.toContain(password)
  })

  it('keeps refusing until the key is re-pinned explicitly; the re-pin is in history', async () => {
    const err = await openSshSession({ host: '127.0.0.1', port: sshd.port, username: 'root' }, { privateKey }, { hostKeys }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(HostKeyChangedError)
    const seen = await readHostKey('127.0.0.1', sshd.port)
    expect(seen.fingerprint).toBe(sshd.fingerprint())
    // A fingerprint the user did not see is refused and pins nothing.
    await expect(
      repinHostKey({ hostKeys, history: { add: (e) => history.push(e) } }, '127.0.0.1', sshd.port, { expectedFingerprint: 'SHA256:AAAA' })
    ).rejects.toMatchObject({ code: 'HOST_KEY_CHANGED' })
    expect(history).toHaveLength(0)
    const r = await repinHostKey({ hostKeys, history: { add: (e) => history.push(e) } }, '127.0.0.1', sshd.port, {
      expectedFingerprint: seen.fingerprint
    })
    expect(r.current.fingerprint).toBe(sshd.fingerprint())
    expect(history).toEqual([expect.objectContaining({ kind: 'ssh.host-key-repinned', summary: expect.stringContaining(`now ssh-ed25519 ${seen.fingerprint}`) })])
    const s = await openSshSession({ host: '127.0.0.1', port: sshd.port, username: 'root' }, { privateKey }, { hostKeys })
    expect((await s.run(['id', '-u'])).stdout).toBe('0\n')
    await s.close()
  })

  it('first contact by password works and the password never reaches the job log', async () => {
    const store = memoryJobStore()
    const runner = new JobRunner(store, { updated: () => {}, log: () => {} })
    const wrong = `${password}-wrong`
    const job = runner.start({ kind: 'test.ssh', title: 'first contact' }, async (ctx) => {
      const target = { host: '127.0.0.1', port: sshd.port, username: TEST_USER }
      const opts: SshSessionOptions = { hostKeys, signal: ctx.signal, secret: (v) => ctx.secret(v), log: (l, t) => ctx.log(l, t) }
      const refused = await openSshSession(target, { password: wrong }, opts).catch((e: unknown) => e)
      expect(refused).toBeInstanceOf(EdgeError)
      expect((refused as EdgeError).code).toBe('SSH_AUTH_REFUSED')
      ctx.log('warn', `${(refused as EdgeError).message} ${String((refused as Error).cause)}`)
      const s = await openSshSession(target, { password }, opts)
      const r = await s.run(['printf', '%s', password])
      // What a careless step might log: the runner's redaction must still hold it back.
      ctx.log('info', `unit said ${r.stdout}`)
      expect(r.stdout).toBe(password)
      await s.close()
      throw new Error(`failing on purpose with ${password} in the message`)
    })
    const done = await runner.wait(job.id)
    expect(done.state).toBe('failed')
    const text = store.lines.map((l) => l.text).join('\n') + JSON.stringify(done)
    expect(text).toContain('refused the login')
    expect(text).not.toContain(password)
    expect(text).not.toContain(wrong)
    await sshd.waitForLog(/Accepted password for edgedock-sshtest/)
  })
})
