// The SSH layer as create-app builds it, on the real SQLite store: first contact by password with
// EdgeDock's key riding along, the pin in host_keys, the key installed so the next session needs no
// password, and a re-pin after a regenerated host key recorded in history.
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type Database from 'better-sqlite3'
import { createSshService, jobSshOptions, type SshService } from '../../../src/main/core/ssh'
import { JobRunner } from '../../../src/main/core/jobs/job-runner'
import { createHistoryRepo } from '../../../src/main/store/history-repo'
import { createHostKeysRepo } from '../../../src/main/store/host-keys-repo'
import { openDatabase } from '../../../src/main/store/open-database'
import { tempDir } from '../../helpers/temp-dir'
import { memoryJobStore } from './memory-job-store'
import { ensureTestUser, Sshd, sshdSkipReason, TEST_USER } from './sshd-fixture'

const skip = sshdSkipReason()

describe.skipIf(!!skip)('SSH service on the real store', () => {
  const data = tempDir('edgedock-ssh-service-')
  const password = `pw-${Math.random().toString(36).slice(2)}`
  let db: Database.Database
  let ssh: SshService
  let sshd: Sshd
  const hostKeys = () => createHostKeysRepo(db)

  beforeAll(async () => {
    db = openDatabase(path.join(data.dir, 'edgedock.db'))
    ssh = createSshService({ dataDir: data.dir, hostKeys: createHostKeysRepo(db), history: createHistoryRepo(db) })
    ensureTestUser(password)
    // The unit knows no EdgeDock key yet: first contact is by password.
    sshd = await Sshd.start([])
  })
  afterAll(async () => {
    await sshd?.dispose()
    db?.close()
    data.cleanup()
  })

  it('first contact by password pins the key; after the key is installed no password is needed', async () => {
    const runner = new JobRunner(memoryJobStore(), { updated: () => {}, log: () => {} })
    const target = { host: '127.0.0.1', port: sshd.port, username: TEST_USER }
    const job = runner.start({ kind: 'test', title: 'first contact' }, async (ctx) => {
      const s = await ssh.open(target, { password }, jobSshOptions(ctx))
      expect(s.hostKey.pinnedNow).toBe(true)
      await s.close()
    })
    expect((await runner.wait(job.id)).error).toBeNull()
    expect(hostKeys().get('127.0.0.1', sshd.port)?.fingerprint).toBe(sshd.fingerprint())
    // Stand-in for the profile's authorized-key step (this sshd reads one root-owned file).
    writeFileSync(sshd.authorizedKeysFile, ssh.authorizedKeys().map((k) => `${k}\n`).join(''))
    sshd.clearLog()
    const s = await ssh.open(target, null)
    expect((await s.run(['id', '-un'])).stdout).toBe(`${TEST_USER}\n`)
    await s.close()
    await sshd.waitForLog(/Accepted publickey for edgedock-sshtest/)
  })

  it('re-pins explicitly after a regenerated host key and writes it to history', async () => {
    await sshd.regenerateHostKey()
    await expect(ssh.open({ host: '127.0.0.1', port: sshd.port, username: TEST_USER }, null)).rejects.toMatchObject({ code: 'HOST_KEY_CHANGED' })
    const seen = await ssh.readHostKey('127.0.0.1', sshd.port)
    await ssh.repinHostKey('127.0.0.1', sshd.port, { expectedFingerprint: seen.fingerprint })
    const [entry] = createHistoryRepo(db).query({ kind: 'ssh.host-key-repinned', limit: 5 })
    expect(entry?.summary).toContain(seen.fingerprint)
    const s = await ssh.open({ host: '127.0.0.1', port: sshd.port, username: TEST_USER }, null)
    expect(s.hostKey).toMatchObject({ fingerprint: seen.fingerprint, pinnedNow: false })
    await s.close()
  })
})
