// Serial console bootstrap against a full lab Pi's real console (QEMU's serial port on a pty, with
// agetty's login prompt): log in as pi, read hostname and `ip -j addr`, turn SSH back on. The CLI runs
// in this machine's own namespace: it only talks to the pty, never to a network.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as lab from '../../lab'
import type { InventoryEntry } from '../../lab'
import { labSkipReason, releaseLab, useLab } from '../../lab/vitest'
import { runCli } from '../../helpers/run-cli'
import { tempDir } from '../../helpers/temp-dir'
import type { Device, HistoryEntry } from '../../../src/shared/domain'

const skip = labSkipReason({ full: 1, net: 'ns' })
if (skip) console.warn(`[lab] serial console tests skipped: ${skip}`)

// The password, except inside "raspberrypi" (the hostname, which may and does appear).
const PASSWORD_ALONE = new RegExp(`${lab.PI_PASSWORD}(?!pi)`)

describe.skipIf(skip)(`serial console bootstrap on a lab Pi${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let pi: InventoryEntry
  let dataDir = ''
  let cleanup = () => {}
  const edgedock = (args: string[], password = lab.PI_PASSWORD) => runCli(['--data-dir', dataDir, ...args], { env: { CONSOLE_PW: password } })
  const bootstrap = (extra: string[] = [], password?: string) =>
    edgedock(['--json', 'usb', 'console-bootstrap', pi.console!, '--user', lab.PI_USER, '--password-env', 'CONSOLE_PW', ...extra], password)
  const sshAnswers = async () => (await lab.sshExec(pi.name, ['true'], 30_000)).code === 0

  beforeAll(async () => {
    const t = tempDir()
    dataDir = t.dir
    cleanup = t.cleanup
    pi = (await useLab({ full: 1, net: 'ns' })).find((u) => u.kind === 'full')!
    expect(pi.console, 'the lab gives each full Pi a console pty').toBeTruthy()
  }, 900_000)
  afterAll(async () => {
    await releaseLab()
    cleanup()
  })

  it('logs in on the console and reports the hostname, address and MAC the lab gave the Pi', async () => {
    const r = await bootstrap()
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0)
    const result = JSON.parse(r.stdout) as { hostname: string; ip: string; mac: string; sshEnabled: boolean; deviceId: string; interfaces: { name: string }[] }
    expect(result).toMatchObject({ hostname: lab.PI_HOSTNAME, ip: pi.ip, mac: pi.mac, sshEnabled: false })
    expect(result.interfaces.map((i) => i.name)).toEqual(expect.arrayContaining(['lo', 'eth0']))
    // The unit is now in the inventory at that address, so the rest of EdgeDock can reach it.
    const devices = JSON.parse((await edgedock(['--json', 'devices', 'list'])).stdout) as Device[]
    expect(devices.find((d) => d.id === result.deviceId)).toMatchObject({ host: pi.ip, mac: pi.mac, hostname: lab.PI_HOSTNAME, isRaspberryPi: true })
    // The password went to the console only: not in the output, the job log or History.
    const jobs = (await edgedock(['--json', 'jobs'])).stdout
    const history = JSON.parse((await edgedock(['--json', 'history'])).stdout) as HistoryEntry[]
    expect(history.find((h) => h.kind === 'device.console-bootstrap')).toMatchObject({ deviceId: result.deviceId, summary: `Found over serial console ${pi.console} at ${pi.ip}` })
    for (const text of [r.stdout, r.stderr, jobs, JSON.stringify(history)]) expect(text).not.toMatch(PASSWORD_ALONE)
  }, 120_000)

  it('turns SSH on for a unit whose SSH is off', async () => {
    // `disable --now` stops the listener; this session, already open, still ends normally.
    await lab.sshExec(pi.name, ['sudo', 'systemctl', 'disable', '--now', 'ssh.socket', 'ssh.service'], 60_000)
    try {
      expect(await sshAnswers()).toBe(false)
      const r = await bootstrap(['--enable-ssh'])
      expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0)
      expect(JSON.parse(r.stdout)).toMatchObject({ ip: pi.ip, sshEnabled: true })
      expect(await sshAnswers()).toBe(true)
    } finally {
      // whatever happened above, leave the Pi reachable for the suites after this one
      if (!(await sshAnswers())) await lab.reset(pi.name)
    }
  }, 300_000)

  it('says "Login incorrect" plainly for a wrong password and exits 1', async () => {
    const r = await bootstrap([], 'not-the-password')
    expect(r.code).toBe(1)
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'SERIAL_LOGIN_INCORRECT', message: expect.stringContaining('Login incorrect') } })
  }, 120_000)
})
