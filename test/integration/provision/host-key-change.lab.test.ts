// The issue's "done when": a unit whose SSH host key was regenerated stops the job before
// authentication and nothing on it changes; the explicit re-pin (recorded in history) lets the job
// run. Everything goes through the real CLI (bin/edgedock.js), run inside the lab's namespace where
// the Pi is reachable; the Pi's own sshd log is the witness that no login was attempted.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cmd } from '../../../src/main/core/ssh/remote-command'
import { inLabArgv, inventory, reset, type InventoryEntry } from '../../lab'
import { labSkipReason, releaseLab, useLab } from '../../lab/vitest'
import { runCli } from '../../helpers/run-cli'
import { run, sshArgv } from './lab-channel'

const PROFILE = path.join(import.meta.dirname, 'profiles', 'pin-check.yaml')
const skip = labSkipReason({ full: 1, net: 'ns' })

describe.skipIf(skip)(`a regenerated host key on a lab Pi${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let pi: InventoryEntry
  let dataDir: string
  let labWasUp = false

  /** The real CLI, inside the lab namespace; stdout and stderr together (the job log is on stderr). */
  const cli = async (args: string[]) => {
    const r = await runCli(['--data-dir', dataDir, ...args], { env: { PI_PASSWORD: pi.password }, wrap: inLabArgv })
    return { code: r.code, out: `${r.stdout}${r.stderr}`, stdout: r.stdout }
  }
  const provisionAs = (hostname: string) =>
    cli(['provision', `${pi.user}@${pi.ip}:${pi.port}`, '--profile', PROFILE, '--var', `hostname=${hostname}`, '--password-env', 'PI_PASSWORD'])
  // The test's own look at the unit: OpenSSH with the lab password (the profile keeps password login).
  const onPi = async (argv: string[], stdin?: string) => {
    const r = await run([...sshArgv(pi, '', { passwordOnly: true }), cmd(argv).line], stdin, 60_000)
    if (r.code !== 0) throw new Error(`${argv.join(' ')} on ${pi.name}: ${r.stderr}`)
    return r.stdout.trim()
  }

  beforeAll(async () => {
    labWasUp = inventory().some((u) => u.kind === 'full')
    pi = (await useLab({ full: 1, net: 'ns' })).find((u) => u.kind === 'full') as InventoryEntry
    dataDir = mkdtempSync(path.join(tmpdir(), 'edgedock-hostkey-'))
  }, 900_000)

  afterAll(async () => {
    // Other suites expect a fresh unit (hostname raspberrypi, the image's host keys): give it back.
    if (pi && (labWasUp || process.env.EDGEDOCK_LAB_GLOBAL === '1')) await reset(pi.name)
    await releaseLab()
    if (dataDir) rmSync(dataDir, { recursive: true, force: true })
  }, 900_000)

  it('stops before login with both fingerprints and the re-pin action; nothing changes; re-pin lets it run', async () => {
    const first = await provisionAs('pin-before')
    expect(first.code, first.out).toBe(0)
    const pinned = /host key \S+ (SHA256:[A-Za-z0-9+/]{43}) \(first contact: pinned now\)/.exec(first.out)?.[1]
    expect(pinned, first.out).toBeDefined()

    // What a reflash or an admin regenerating the keys does: new host keys, sshd restarted. Each key
    // is overwritten in place ("y" to ssh-keygen's question): sshd must find keys for the next login.
    for (const t of ['rsa', 'ecdsa', 'ed25519']) await onPi(['sudo', 'ssh-keygen', '-q', '-N', '', '-t', t, '-f', `/etc/ssh/ssh_host_${t}_key`], 'y\n')
    await onPi(['sudo', 'systemctl', 'restart', 'ssh'])
    const regenerated = (await onPi(['ssh-keygen', '-lf', '/etc/ssh/ssh_host_ed25519_key.pub'])).split(' ')[1] as string
    expect(regenerated).toMatch(/^SHA256:/)
    expect(regenerated).not.toBe(pinned)
    const cursor = /-- cursor: (\S+)/.exec(await onPi(['journalctl', '--show-cursor', '-n', '0', '-o', 'cat']))?.[1] as string

    const blocked = await provisionAs('pin-after')
    expect(blocked.code, blocked.out).toBe(1)
    expect(blocked.out).toContain(`pinned ssh-ed25519 ${pinned}`)
    expect(blocked.out).toContain(`now offers ssh-ed25519 ${regenerated}`)
    expect(blocked.out).toContain('no password or key was sent')
    expect(blocked.out).toContain(`edgedock host-key repin ${pi.user}@${pi.ip}:${pi.port} --fingerprint ${regenerated}`)
    const jobs = JSON.parse((await cli(['jobs', '--json'])).stdout) as { state: string; error: { code: string } | null }[]
    expect(jobs[0]).toMatchObject({ state: 'failed', error: { code: 'HOST_KEY_CHANGED' } })

    // The unit's sshd saw a connection end before authentication ([preauth]) and no login attempt on it.
    const sshdLog = await onPi(['journalctl', '-t', 'sshd', '--after-cursor', cursor, '-o', 'cat'])
    const preauthPorts = [...sshdLog.matchAll(/port (\d+)\b.*\[preauth\]/g)].map((m) => m[1])
    expect(preauthPorts.length, sshdLog).toBeGreaterThan(0)
    for (const port of new Set(preauthPorts)) {
      const lines = sshdLog.split('\n').filter((l) => new RegExp(`port ${port}\\b`).test(l))
      expect(lines.filter((l) => /Accepted|Failed|authenticating user|Invalid user|Postponed/.test(l)), sshdLog).toEqual([])
    }
    // Nothing changed: the hostname the first run set is still there.
    expect(await onPi(['hostname'])).toBe('pin-before')
    expect(await onPi(['grep', '-c', '^127.0.1.1[[:space:]]*pin-before$', '/etc/hosts'])).toBe('1')

    // Re-pinning needs the fingerprint checked on the unit: the old one is refused, nothing pinned.
    const wrong = await cli(['host-key', 'repin', `${pi.user}@${pi.ip}:${pi.port}`, '--fingerprint', pinned as string])
    expect(wrong.code).toBe(1)
    expect(wrong.out).toMatch(/Nothing was re-pinned/)
    const repin = await cli(['host-key', 'repin', `${pi.user}@${pi.ip}:${pi.port}`, '--fingerprint', regenerated])
    expect(repin.code, repin.out).toBe(0)
    const history = JSON.parse((await cli(['history', '--json'])).stdout) as { kind: string; summary: string }[]
    expect(history.find((h) => h.kind === 'ssh.host-key-repinned')?.summary).toMatch(new RegExp(`was ssh-ed25519 ${pinned?.replace(/[+/]/g, '\\$&')}, now ssh-ed25519 ${regenerated.replace(/[+/]/g, '\\$&')}`))

    const after = await provisionAs('pin-after')
    expect(after.code, after.out).toBe(0)
    expect(after.out).toContain('(matches the pinned key)')
    expect(await onPi(['hostname'])).toBe('pin-after')
  }, 300_000)
})
