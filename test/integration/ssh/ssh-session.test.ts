// The session against a real sshd: hostile arguments arrive literally, sudo -n, time limits,
// cancellation, a link cut or frozen mid-command (SSH_LINK_LOST, quickly), a server that never
// speaks (TIMEOUT), refused connections and logins, SFTP and streamed uploads with byte progress.
import { spawnSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { readFileSync, rmSync, statSync, writeFileSync, mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EdgeError } from '../../../src/shared/errors'
import { cmd, fileSecretBox, loadOrCreateIdentity, openSshSession, pipeline, redirect, type HostKeyStore, type SshSession } from '../../../src/main/core/ssh'
import { ensureTestUser, freePort, LinkProxy, silentServer, Sshd, sshdSkipReason, TEST_USER } from './sshd-fixture'

const skip = sshdSkipReason()
if (skip) console.warn(`[ssh integration] skipped: ${skip}`)

const hostKeys: HostKeyStore = (() => {
  const rows = new Map<string, { algorithm: string; fingerprint: string; pinnedAt: number }>()
  return { get: (h, p) => rows.get(`${h}:${p}`), pin: (k) => void rows.set(`${k.host}:${k.port}`, k) }
})()

async function codeOf(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => null,
    (e: unknown) => e
  )
  expect(err).toBeInstanceOf(EdgeError)
  return (err as EdgeError).code
}

describe.skipIf(!!skip)('SSH session against a real sshd', () => {
  let sshd: Sshd
  let privateKey: string
  let session: SshSession
  const work = mkdtempSync(path.join(os.tmpdir(), 'edgedock-ssh-session-'))
  const root = () => ({ host: '127.0.0.1', port: sshd.port, username: 'root' })

  beforeAll(async () => {
    const id = loadOrCreateIdentity(path.join(work, 'keys'), fileSecretBox(path.join(work, 'keys', 'secret.key')))
    privateKey = id.privateKey
    ensureTestUser(`pw-${randomBytes(9).toString('base64url')}`)
    sshd = await Sshd.start([id.publicKey])
    session = await openSshSession(root(), { privateKey }, { hostKeys })
  })
  afterAll(async () => {
    await session?.close()
    await sshd?.dispose()
    rmSync(work, { recursive: true, force: true })
  })

  it('runs hostile arguments literally, plain and under sudo -n', async () => {
    const hostile = ['; touch /tmp/pwned', '$(id)', '`id`', "it's", '"q"', 'a\nb', '-rf', '--', '中文 🙂', '*', '$HOME', '\\', '']
    for (const sudo of [false, true]) {
      const r = await session.run(['printf', '%s\\0', ...hostile], { sudo })
      expect(r.code).toBe(0)
      expect(r.stdout.split('\0').slice(0, -1)).toEqual(hostile)
    }
    const piped = await session.run(pipeline(cmd(['printf', '%s\\n', ...hostile]), ['wc', '-l']))
    expect(piped.stdout.trim()).toBe(String(hostile.length + 1))
    const file = path.join(work, "out put;$(x)")
    await session.run(redirect(cmd(['printf', '%s', 'hello']), { stdout: file }))
    expect(readFileSync(file, 'utf8')).toBe('hello')
  })

  it('returns exit codes and stderr, and feeds stdin', async () => {
    expect(await session.run(['sh', '-c', 'echo oops >&2; exit 3'])).toEqual({ code: 3, stdout: '', stderr: 'oops\n' })
    expect((await session.run(['cat'], { stdin: 'from stdin\n' })).stdout).toBe('from stdin\n')
  })

  it('stops a command at its time limit, on the unit too, and the session stays usable', async () => {
    // As user pi on a unit: sshd kills the command for a normal user's session (not for root's).
    const s = await openSshSession({ ...root(), username: TEST_USER }, { privateKey }, { hostKeys })
    const t = Date.now()
    expect(await codeOf(s.run(['sleep', '7.25'], { timeoutMs: 300 }))).toBe('SSH_COMMAND_TIMEOUT')
    expect(Date.now() - t).toBeLessThan(2000)
    expect((await s.run(['echo', 'still here'])).stdout).toBe('still here\n')
    // Anchored, so the login shell running pgrep (whose command line holds the pattern) is not found.
    expect((await s.run(['pgrep', '-u', TEST_USER, '-f', '^sleep 7[.]25$'])).code).toBe(1)
    await s.close()
  })

  it('cancellation closes the link at once', async () => {
    const s = await openSshSession(root(), { privateKey }, { hostKeys })
    const abort = new AbortController()
    const t = Date.now()
    setTimeout(() => abort.abort(new EdgeError('JOB_CANCELLED')), 200)
    expect(await codeOf(s.run(['sleep', '7'], { signal: abort.signal }))).toBe('JOB_CANCELLED')
    expect(Date.now() - t).toBeLessThan(1500)
    expect(s.connected).toBe(false)
  })

  it('a link cut mid-command gives SSH_LINK_LOST quickly', async () => {
    const proxy = await LinkProxy.start(sshd.port)
    try {
      const s = await openSshSession({ ...root(), port: proxy.port }, { privateKey }, { hostKeys: { get: () => undefined, pin: () => {} } })
      setTimeout(() => proxy.cut(), 200)
      const t = Date.now()
      expect(await codeOf(s.run(['sleep', '7']))).toBe('SSH_LINK_LOST')
      expect(Date.now() - t).toBeLessThan(1500)
      expect(await codeOf(s.run(['true']))).toBe('SSH_LINK_LOST')
    } finally {
      await proxy.close()
    }
  })

  it('reconnects after a lost link (as after a reboot) with the same pin', async () => {
    const proxy = await LinkProxy.start(sshd.port)
    try {
      const s = await openSshSession({ ...root(), port: proxy.port }, { privateKey }, { hostKeys })
      await s.reconnect({ timeoutMs: 5000 })
      expect((await s.run(['echo', 'one'])).stdout).toBe('one\n')
      proxy.cut()
      expect(await codeOf(s.run(['sleep', '7']))).toBe('SSH_LINK_LOST')
      await s.reconnect({ timeoutMs: 5000 })
      expect(s.connected).toBe(true)
      expect((await s.run(['echo', 'two'])).stdout).toBe('two\n')
      await s.close()
    } finally {
      await proxy.close()
    }
  })

  it('a link that goes silent is found dead by keepalive', async () => {
    const proxy = await LinkProxy.start(sshd.port)
    try {
      const s = await openSshSession(
        { ...root(), port: proxy.port },
        { privateKey },
        { hostKeys: { get: () => undefined, pin: () => {} }, keepaliveIntervalMs: 250, keepaliveCountMax: 2 }
      )
      setTimeout(() => proxy.freeze(), 200)
      const t = Date.now()
      expect(await codeOf(s.run(['sleep', '7']))).toBe('SSH_LINK_LOST')
      expect(Date.now() - t).toBeLessThan(3000)
    } finally {
      await proxy.close()
    }
  })

  it('a server that accepts TCP and never speaks gives TIMEOUT', async () => {
    const silent = await silentServer()
    try {
      const t = Date.now()
      expect(await codeOf(openSshSession({ ...root(), port: silent.port }, { privateKey }, { hostKeys, connectTimeoutMs: 700 }))).toBe('TIMEOUT')
      expect(Date.now() - t).toBeLessThan(2000)
    } finally {
      await silent.close()
    }
  })

  it('with a key and a password, offers the key first and never sends the password when the key works', async () => {
    sshd.clearLog()
    const s = await openSshSession({ ...root(), username: TEST_USER }, { privateKey, password: 'not-the-password' }, { hostKeys })
    await sshd.waitForLog(/Accepted publickey for edgedock-sshtest/)
    expect(sshd.log()).not.toMatch(/password/i)
    await s.close()
  })

  it('says connection refused and login refused in plain words', async () => {
    expect(await codeOf(openSshSession({ ...root(), port: await freePort() }, { privateKey }, { hostKeys }))).toBe('CONNECTION_REFUSED')
    const stranger = loadOrCreateIdentity(path.join(work, 'stranger'), fileSecretBox(path.join(work, 'stranger', 'k')))
    expect(await codeOf(openSshSession(root(), { privateKey: stranger.privateKey }, { hostKeys }))).toBe('SSH_AUTH_REFUSED')
  })

  it('pushes and fetches a file over SFTP with byte progress (and compares with scp)', async () => {
    const size = 32 * 1024 * 1024
    const local = path.join(work, 'model.onnx')
    const data = randomBytes(size)
    writeFileSync(local, data)
    const remote = path.join(work, 'remote', 'dir', 'model.onnx')
    const seen: number[] = []
    let t = performance.now()
    const put = await session.put(local, remote, { onProgress: (done, total) => (expect(total).toBe(size), seen.push(done)), mode: 0o640 })
    const putMs = performance.now() - t
    expect(put.bytes).toBe(size)
    expect(seen.at(-1)).toBe(size)
    expect(seen.every((v, i) => i === 0 || v >= (seen[i - 1] as number))).toBe(true)
    const sum = await session.run(['sha256sum', remote])
    expect(sum.stdout.split(' ')[0]).toBe(createHash('sha256').update(data).digest('hex'))
    expect((await session.run(['stat', '-c', '%a', remote])).stdout.trim()).toBe('640')

    const back = path.join(work, 'back.onnx')
    const got: number[] = []
    t = performance.now()
    await session.get(remote, back, { onProgress: (done) => got.push(done) })
    const getMs = performance.now() - t
    expect(got.at(-1)).toBe(size)
    expect(readFileSync(back).equals(data)).toBe(true)
    expect(await codeOf(session.put(local, '/proc/edgedock-no/such'))).toBe('SSH_TRANSFER_FAILED')

    // The same file with OpenSSH's scp, for the figure in the report (not a pass/fail threshold).
    const keyFile = path.join(work, 'scp_key')
    writeFileSync(keyFile, privateKey, { mode: 0o600 })
    t = performance.now()
    const scp = spawnSync('scp', ['-q', '-i', keyFile, '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-P', String(sshd.port), local, `root@127.0.0.1:${remote}.scp`])
    const scpMs = performance.now() - t
    const mbps = (ms: number) => ((size / 1024 / 1024) * 1000) / ms
    console.log(
      `[ssh figures] 32 MiB to 127.0.0.1: SFTP put ${putMs.toFixed(0)} ms (${mbps(putMs).toFixed(0)} MiB/s), get ${getMs.toFixed(0)} ms (${mbps(getMs).toFixed(0)} MiB/s); scp ${scp.status === 0 ? `${scpMs.toFixed(0)} ms (${mbps(scpMs).toFixed(0)} MiB/s)` : 'failed'}; progress events put=${seen.length} get=${got.length}`
    )
  })

  it('streams a file into the unit with byte progress and its mode, the same bytes arriving', async () => {
    const size = 8 * 1024 * 1024 + 123
    const local = path.join(work, 'stream.onnx')
    const data = randomBytes(size)
    writeFileSync(local, data)
    const remote = path.join(work, 'streamed model.onnx')
    const seen: number[] = []
    const r = await session.putStream(local, remote, { mode: 0o640, onProgress: (done, total) => (expect(total).toBe(size), seen.push(done)) })
    expect(r.bytes).toBe(size)
    expect(seen.length).toBeGreaterThan(1)
    expect(seen.at(-1)).toBe(size)
    expect(seen.every((v, i) => i === 0 || v > (seen[i - 1] as number))).toBe(true)
    expect(readFileSync(remote).equals(data)).toBe(true)
    expect((await session.run(['stat', '-c', '%a', remote])).stdout.trim()).toBe('640')
    // A second push of other bytes replaces the file whole (no tail of the longer first one left).
    writeFileSync(local, data.subarray(0, 1000))
    await session.putStream(local, remote)
    expect(readFileSync(remote).equals(data.subarray(0, 1000))).toBe(true)
  })

  it('a gzip upload is unpacked on the unit as it arrives; progress counts what crossed the link; a damaged one fails in gzip\'s words', async () => {
    const data = Buffer.concat([randomBytes(512 * 1024), Buffer.alloc(4 * 1024 * 1024, 7)])
    const local = path.join(work, 'packed.gz')
    writeFileSync(local, gzipSync(data))
    const remote = path.join(work, 'unpacked.bin')
    const seen: number[] = []
    await session.putStream(local, remote, { mode: 0o755, gunzip: true, onProgress: (done) => seen.push(done) })
    expect(readFileSync(remote).equals(data)).toBe(true)
    expect((await session.run(['stat', '-c', '%a', remote])).stdout.trim()).toBe('755')
    expect(seen.at(-1)).toBe(statSync(local).size)
    // Cut short (a link that ended early, a damaged cache file): gzip says so and the upload fails.
    writeFileSync(local, gzipSync(data).subarray(0, 100_000))
    const short = await session.putStream(local, remote, { gunzip: true }).then(() => null, (e: unknown) => e as EdgeError)
    expect(short).toMatchObject({ code: 'SSH_TRANSFER_FAILED', detail: expect.stringMatching(/unexpected end of file/) })
  })

  it('a streamed upload onto a full disk or into a missing folder fails in the unit\'s own words', async () => {
    const local = path.join(work, 'small.onnx')
    writeFileSync(local, randomBytes(256 * 1024))
    // /dev/full answers every write with ENOSPC, as a full SD card does.
    const full = await session.putStream(local, '/dev/full').then(() => null, (e: unknown) => e as EdgeError)
    expect(full).toMatchObject({ code: 'SSH_TRANSFER_FAILED', detail: expect.stringMatching(/^\/dev\/full on 127\.0\.0\.1:\d+: .*No space left on device/) })
    const missing = await session.putStream(local, path.join(work, 'no-such-dir', 'm.onnx')).then(() => null, (e: unknown) => e as EdgeError)
    expect(missing).toMatchObject({ code: 'SSH_TRANSFER_FAILED', detail: expect.stringContaining('No such file or directory') })
    expect(await codeOf(session.putStream(path.join(work, 'not-here.onnx'), path.join(work, 'x.onnx')))).toBe('SSH_TRANSFER_FAILED')
    // The session is still good for the next file.
    expect((await session.run(['true'])).code).toBe(0)
  })

  it('a command that stops reading early ends the stream with its own exit status', async () => {
    const local = path.join(work, 'early.onnx')
    writeFileSync(local, randomBytes(32 * 1024 * 1024))
    const r = await session.runWithFile(['sh', '-c', 'echo refused >&2; exit 3'], local)
    expect(r).toMatchObject({ code: 3, stderr: 'refused\n' })
    expect((await session.run(['true'])).code).toBe(0)
  })

  it('a link cut mid-stream fails the upload with SSH_LINK_LOST, never as a success', async () => {
    const local = path.join(work, 'big.onnx')
    writeFileSync(local, randomBytes(64 * 1024 * 1024))
    const proxy = await LinkProxy.start(sshd.port)
    try {
      const s = await openSshSession({ ...root(), port: proxy.port }, { privateKey }, { hostKeys: { get: () => undefined, pin: () => {} } })
      let cut = false
      const upload = s.putStream(local, path.join(work, 'cut.onnx'), {
        onProgress: (done) => {
          if (!cut && done > 4 * 1024 * 1024) {
            cut = true
            proxy.cut()
          }
        }
      })
      expect(await codeOf(upload)).toBe('SSH_LINK_LOST')
      expect(cut).toBe(true)
    } finally {
      await proxy.close()
    }
  })

  it('cancelling a streamed upload stops it at once', async () => {
    const local = path.join(work, 'big.onnx')
    const s = await openSshSession(root(), { privateKey }, { hostKeys })
    const abort = new AbortController()
    let aborted = 0
    const upload = s.putStream(local, path.join(work, 'cancelled.onnx'), {
      signal: abort.signal,
      onProgress: (done) => {
        if (!aborted && done > 2 * 1024 * 1024) {
          aborted = Date.now()
          abort.abort(new EdgeError('JOB_CANCELLED'))
        }
      }
    })
    expect(await codeOf(upload)).toBe('JOB_CANCELLED')
    expect(Date.now() - aborted).toBeLessThan(1500)
    expect(s.connected).toBe(false)
  })
})
