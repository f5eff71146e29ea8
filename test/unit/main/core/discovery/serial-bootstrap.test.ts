import { describe, expect, it } from 'vitest'
import { serialBootstrap } from '../../../../../src/main/core/discovery/serial-bootstrap'
import { parseIpAddrJson, primaryInterface } from '../../../../../src/main/core/discovery/ip-addr'
import { FakeConsole, toShell } from './fake-console'
import { fixture } from './fixture'

const creds = { username: 'pi', password: 'raspberry', toShell }

describe('serialBootstrap', () => {
  it('logs in over the console cable and finds the unit at 192.168.1.23', async () => {
    const unit = new FakeConsole({ hostname: 'door-unit-07' })
    const steps: string[] = []
    const result = await serialBootstrap(unit, { ...creds, wakeIntervalMs: 200, onStep: (s) => steps.push(s) })
    expect(result).toMatchObject({ hostname: 'door-unit-07', ip: '192.168.1.23', mac: 'dc:a6:32:1b:7f:04', sshEnabled: false })
    expect(result.interfaces.map((i) => i.name)).toEqual(['lo', 'eth0', 'wlan0'])
    expect(steps).toEqual(['waiting-for-login', 'logging-in', 'reading', 'logging-out'])
    // It logs out again, leaving a login prompt rather than an open shell.
    expect(unit.received.endsWith('exit\r')).toBe(true)
    expect(result.transcript).toContain('door-unit-07 login: ')
  })

  it('reads hostname and address from a console that sends a byte at a time (control sequences in pieces)', async () => {
    const result = await serialBootstrap(new FakeConsole({ hostname: 'door-unit-07', byteByByte: true }), { ...creds, wakeIntervalMs: 200 })
    expect(result).toMatchObject({ hostname: 'door-unit-07', ip: '192.168.1.23' })
  })

  it('turns SSH on when asked, answering sudo with the same password', async () => {
    const unit = new FakeConsole({ sudoAsksPassword: true })
    const result = await serialBootstrap(unit, { ...creds, enableSsh: true, wakeIntervalMs: 200 })
    expect(result.sshEnabled).toBe(true)
    expect(unit.sshEnabled).toBe(true)
  })

  it('works from a shell someone left logged in', async () => {
    const result = await serialBootstrap(new FakeConsole({ loggedIn: true }), { ...creds, wakeIntervalMs: 200 })
    expect(result.hostname).toBe('raspberrypi')
  })

  it('says "Login incorrect" plainly for a wrong password, without retrying', async () => {
    const unit = new FakeConsole({ password: 'other' })
    await expect(serialBootstrap(unit, { ...creds, wakeIntervalMs: 200 })).rejects.toMatchObject({
      code: 'SERIAL_LOGIN_INCORRECT',
      message: expect.stringContaining('Login incorrect')
    })
    expect(unit.received.split('raspberry\r').length - 1).toBe(1)
  })

  it('times out with a plain error when the console stays silent', async () => {
    const started = Date.now()
    await expect(serialBootstrap(new FakeConsole({ silent: true }), { ...creds, loginTimeoutMs: 300, wakeIntervalMs: 100 })).rejects.toMatchObject({
      code: 'SERIAL_LOGIN_TIMEOUT',
      message: 'No login prompt on the serial console in time'
    })
    expect(Date.now() - started).toBeLessThan(1000)
  })

  it('reports a failing enable-ssh with its exit status', async () => {
    await expect(serialBootstrap(new FakeConsole({ sshUnitMissing: true }), { ...creds, enableSsh: true, wakeIntervalMs: 200 })).rejects.toMatchObject({
      code: 'SERIAL_COMMAND_FAILED',
      exitCode: 1,
      output: expect.stringContaining('ssh.service does not exist')
    })
  })

  it('logs out after a failed command, so the next bootstrap finds a login prompt', async () => {
    const unit = new FakeConsole({ sshUnitMissing: true })
    await expect(serialBootstrap(unit, { ...creds, enableSsh: true, wakeIntervalMs: 200 })).rejects.toMatchObject({ code: 'SERIAL_COMMAND_FAILED' })
    expect(unit.received.endsWith('exit\r')).toBe(true)
    const again = await serialBootstrap(unit, { ...creds, wakeIntervalMs: 200 })
    expect(again.ip).toBe('192.168.1.23')
  })

  it('fails cleanly when the port closes mid-way', async () => {
    const unit = new FakeConsole({ silent: true })
    setTimeout(() => unit.destroy(), 50)
    await expect(serialBootstrap(unit, { ...creds, wakeIntervalMs: 1000 })).rejects.toMatchObject({ code: 'SERIAL_CONSOLE_CLOSED' })
  })
})

describe('parseIpAddrJson', () => {
  it('prefers the wired interface that is up with an address', () => {
    const interfaces = parseIpAddrJson(fixture('pi4-ip-addr.json'))
    expect(interfaces[0]).toMatchObject({ name: 'lo', mac: null })
    expect(primaryInterface(interfaces)).toMatchObject({ name: 'eth0', ipv4: [{ address: '192.168.1.23', prefix: 24 }] })
    expect(parseIpAddrJson('not json')).toEqual([])
  })
})
