import { afterEach, describe, expect, it } from 'vitest'
import { bannerServer, closedPort } from '../../helpers/banner-server'
import { runCli } from '../../helpers/run-cli'
import { tempDir } from '../../helpers/temp-dir'

describe('edgedock CLI', () => {
  let cleanup = () => {}
  afterEach(() => cleanup())
  const dataDir = () => {
    const t = tempDir()
    cleanup = t.cleanup
    return t.dir
  }

  it('adds a device and lists it, for people and for scripts', async () => {
    const d = dataDir()
    const add = await runCli(['--data-dir', d, 'devices', 'add', 'pi@127.0.0.1:2222', '--name', 'bench-01'])
    expect(add).toMatchObject({ code: 0 })
    expect(add.stdout).toContain('Added bench-01')
    const human = await runCli(['--data-dir', d, 'devices', 'list'])
    expect(human.stdout).toMatch(/bench-01\s+pi@127\.0\.0\.1:2222\s+unknown/)
    const json = JSON.parse((await runCli(['--data-dir', d, 'devices', 'list', '--json'])).stdout)
    expect(json).toEqual([expect.objectContaining({ name: 'bench-01', host: '127.0.0.1', port: 2222, user: 'pi' })])
    const history = JSON.parse((await runCli(['--data-dir', d, 'history', '--json'])).stdout)
    expect(history[0]).toMatchObject({ kind: 'device.added', deviceName: 'bench-01' })
  })

  it('rejects a host with shell characters with a plain error, and stores nothing', async () => {
    const d = dataDir()
    const r = await runCli(['--data-dir', d, 'devices', 'add', 'pi@door;reboot'])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/not a valid host name/)
    expect(JSON.parse((await runCli(['--data-dir', d, 'devices', 'list', '--json'])).stdout)).toEqual([])
  })

  it('checks reachability: a live SSH banner is online, a closed port offline', async () => {
    const d = dataDir()
    const sshd = await bannerServer({ banner: 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3' })
    const dead = await closedPort()
    try {
      await runCli(['--data-dir', d, 'devices', 'add', `pi@127.0.0.1:${sshd.port}`, '--name', 'up'])
      await runCli(['--data-dir', d, 'devices', 'add', `pi@127.0.0.1:${dead}`, '--name', 'down'])
      const r = await runCli(['--data-dir', d, 'devices', 'check', '--json'])
      const out = JSON.parse(r.stdout) as { job: { state: string }; devices: { name: string; state: string; sshBanner: string | null }[] }
      expect(out.job.state).toBe('succeeded')
      expect(out.devices.find((x) => x.name === 'up')).toMatchObject({ state: 'online', sshBanner: expect.stringContaining('Debian') })
      expect(out.devices.find((x) => x.name === 'down')).toMatchObject({ state: 'offline' })
    } finally {
      await sshd.close()
    }
  })

  it('a job running when the process is killed shows as interrupted afterwards', async () => {
    const d = dataDir()
    const hang = await bannerServer('hang')
    try {
      await runCli(['--data-dir', d, 'devices', 'add', `pi@127.0.0.1:${hang.port}`])
      const { spawn } = await import('node:child_process')
      const path = await import('node:path')
      const { projectRoot } = await import('../../helpers/run-cli')
      const child = spawn(process.execPath, [path.join(projectRoot, 'bin/edgedock.js'), '--data-dir', d, 'devices', 'check'], { stdio: ['ignore', 'pipe', 'pipe'] })
      // Wait until the job is really running (its first log line), then pull the plug.
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the check job never started')), 20_000)
        child.stderr.on('data', (s: Buffer) => String(s).includes('Connect') && (clearTimeout(timer), resolve()))
      })
      child.kill('SIGKILL')
      await new Promise((r) => child.on('exit', r))
      const jobs = JSON.parse((await runCli(['--data-dir', d, 'jobs', '--json'])).stdout) as { state: string; error: { code: string } }[]
      expect(jobs[0]).toMatchObject({ state: 'interrupted', error: { code: 'JOB_INTERRUPTED' } })
    } finally {
      await hang.close()
    }
  })

  it('provision refuses shell characters in a variable before contacting any unit', async () => {
    const d = dataDir()
    // A server that counts connections: nothing may reach it.
    let connections = 0
    const net = await import('node:net')
    const counter = net.createServer((s) => (connections++, s.destroy()))
    await new Promise<void>((r) => counter.listen(0, '127.0.0.1', r))
    const port = (counter.address() as import('node:net').AddressInfo).port
    try {
      const r = await runCli(['--data-dir', d, 'provision', `pi@127.0.0.1:${port}`, '--profile', 'door-access-unit', '--var', 'site=lobby;reboot', '--var', 'unit=01'])
      expect(r.code).toBe(1)
      expect(r.stderr).toMatch(/variable "site".*shell character ";".*nothing was run/)
      expect(connections).toBe(0)
      const unknown = await runCli(['--data-dir', d, 'provision', `pi@127.0.0.1:${port}`, '--profile', 'no-such-profile', '--dry-run'])
      expect(unknown.stderr).toMatch(/No provisioning profile "no-such-profile"/)
      expect(connections).toBe(0)
    } finally {
      counter.close()
    }
  })
})
