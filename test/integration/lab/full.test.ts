// The Pi lab's "Done when" for full virtual Pis: two Pis on the lab LAN (--net ns), real systemd,
// journald, SSH with the password, Pi MAC and model; power cut, link, reset, address change, shaping,
// serial console and mDNS.
import * as fs from 'node:fs'
import * as tty from 'node:tty'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as lab from '../../lab'
import type { InventoryEntry } from '../../lab'
import { labSkipReason, releaseLab, useLab } from '../../lab/vitest'
import { hostKey, mdnsBrowse, ssh } from './helpers'

const skip = labSkipReason({ full: 2, net: 'ns' })
if (skip) console.warn(`[lab] full-Pi tests skipped: ${skip}`)
const PI_MAC = /^(dc:a6:32|b8:27:eb|e4:5f:01|d8:3a:dd|28:cd:c1|2c:cf:67):/

describe.skipIf(skip)(`Pi lab: full virtual Pis${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let pis: InventoryEntry[] = []
  const unit = (name: string): InventoryEntry => {
    const u = lab.inventory().find((x) => x.name === name)
    if (!u) throw new Error(`no ${name}`)
    return u
  }

  beforeAll(async () => {
    pis = (await useLab({ full: 2, net: 'ns' })).filter((u) => u.kind === 'full')
  })
  afterAll(releaseLab)

  it('list shows two full Pis on the lab LAN with Pi MACs, model and serial', () => {
    expect(pis.length).toBeGreaterThanOrEqual(2)
    for (const u of pis.slice(0, 2)) {
      expect(u).toMatchObject({ kind: 'full', port: 22, user: 'pi', password: 'raspberry', netns: lab.labNetns() })
      expect(u.ip).toMatch(/^10\.77\.0\.\d+$/)
      expect(u.mac).toMatch(PI_MAC)
      expect(u.model).toMatch(/^Raspberry Pi/)
      expect(u.serial).toMatch(/^[0-9a-f]{16}$/)
      expect(u.console && fs.existsSync(u.console)).toBeTruthy()
    }
  })

  it('ssh pi@IP with the password: systemd as PID 1, journald, Pi MAC and model, passwordless sudo', async () => {
    for (const u of pis.slice(0, 2)) {
      const r = await ssh(u, 'ps -p 1 -o comm=; echo ---; journalctl -n 5 --no-pager | wc -l; echo ---; cat /sys/class/net/eth0/address; echo ---; cat /sys/class/dmi/id/product_name; echo ---; hostname; echo ---; sudo -n true && echo sudo-ok; echo ---; ls /boot/firmware')
      expect(r.code, r.stderr).toBe(0)
      const [pid1, journal, mac, model, host, sudo, boot] = r.stdout.split('---\n').map((s) => s.trim())
      expect(pid1).toBe('systemd')
      expect(Number(journal)).toBeGreaterThanOrEqual(1)
      expect(mac).toBe(u.mac)
      expect(mac).toMatch(PI_MAC)
      expect(model).toMatch(/^Raspberry Pi 4 Model B/)
      expect(host).toBe('raspberrypi')
      expect(sudo).toBe('sudo-ok')
      expect(boot).toContain('cmdline.txt')
    }
  })

  it('each Pi has its own host key, machine-id and serial', async () => {
    const [a, b] = pis
    const ids = await Promise.all([a!, b!].map((u) => ssh(u, 'cat /etc/machine-id; sudo cat /sys/class/dmi/id/product_serial')))
    expect(ids[0]!.stdout).not.toBe(ids[1]!.stdout)
    expect(ids[0]!.stdout).toContain(a!.serial)
    const keys = await Promise.all([hostKey(a!), hostKey(b!)])
    expect(keys[0]).not.toBe('')
    expect(keys[0]).not.toBe(keys[1])
  })

  it('avahi publishes _ssh._tcp and _workstation._tcp on the lab LAN; Pis resolve each other by .local', async () => {
    const sshSvc = await mdnsBrowse('_ssh._tcp.local')
    const ws = await mdnsBrowse('_workstation._tcp.local')
    for (const u of pis.slice(0, 2)) {
      expect(sshSvc.get(u.ip) ?? '').toMatch(/raspberrypi/)
      expect(ws.get(u.ip) ?? '').toMatch(/raspberrypi/)
    }
    const r = await ssh(pis[0]!, 'getent hosts raspberrypi.local raspberrypi-2.local')
    expect(r.stdout).toContain('10.77.0.')
  })

  it('the serial console gives a real login prompt', async () => {
    const u = pis[0]!
    const fd = fs.openSync(u.console!, fs.constants.O_RDWR | fs.constants.O_NOCTTY)
    const rs = new tty.ReadStream(fd)
    rs.setRawMode(true)
    let seen = ''
    rs.on('data', (d: Buffer) => {
      seen += d.toString()
    })
    const waitFor = async (re: RegExp, ms = 30_000) => {
      const t0 = Date.now()
      while (!re.test(seen)) {
        if (Date.now() - t0 > ms) throw new Error(`console: no ${re} in ${JSON.stringify(seen.slice(-300))}`)
        await new Promise((r) => setTimeout(r, 200))
      }
      seen = ''
    }
    try {
      fs.writeSync(fd, '\r')
      await waitFor(/login: *$/m)
      fs.writeSync(fd, 'pi\r')
      await waitFor(/Password: *$/m)
      fs.writeSync(fd, 'raspberry\r')
      await waitFor(/\$ *$/m)
      fs.writeSync(fd, 'echo CONSOLE-$((40+2)) $(hostname)\r')
      await waitFor(/CONSOLE-42 raspberrypi/)
      fs.writeSync(fd, 'exit\r')
    } finally {
      rs.destroy()
    }
  }, 120_000)

  it('power-cut kills the Pi; power-on brings it back with its filesystem intact', async () => {
    const u = unit('pi2')
    const w = await ssh(u, 'echo power-cut-survivor > ~/before-cut && sync && echo ok')
    expect(w.stdout.trim()).toBe('ok')
    await lab.powerCut('pi2')
    expect(unit('pi2').powered).toBe(false)
    expect((await ssh(u, 'true', { timeoutS: 3 })).code).not.toBe(0)
    await lab.powerOn('pi2')
    const r = await ssh(unit('pi2'), 'cat ~/before-cut; findmnt -no OPTIONS /; sudo dmesg | grep -ci "EXT4-fs error" || true; ps -p 1 -o comm=')
    expect(r.code, r.stderr).toBe(0)
    const [file, opts, errors, init] = r.stdout.trim().split('\n')
    expect(file).toBe('power-cut-survivor')
    expect(opts).toMatch(/^rw/)
    expect(errors).toBe('0')
    expect(init).toBe('systemd')
  }, 600_000)

  it('link down makes SSH fail; link up restores it', async () => {
    const u = unit('pi1')
    await lab.link('pi1', 'down')
    try {
      const t0 = Date.now()
      const r = await ssh(u, 'true', { timeoutS: 5 })
      expect(r.code).not.toBe(0)
      expect(Date.now() - t0).toBeLessThan(30_000)
    } finally {
      await lab.link('pi1', 'up')
    }
    let ok = false
    for (let i = 0; i < 20 && !ok; i++) {
      ok = (await ssh(u, 'true')).code === 0
      if (!ok) await new Promise((r) => setTimeout(r, 1000))
    }
    expect(ok).toBe(true)
  }, 180_000)

  it('shape adds netem both ways and can be cleared', async () => {
    await lab.shape('pi1', { rate: '20mbit', delay: '30ms', loss: '1%' })
    try {
      const r = await ssh(unit('pi1'), '/sbin/tc qdisc show dev eth0')
      expect(r.stdout).toMatch(/netem .*delay 30ms loss 1% rate 20Mbit/)
    } finally {
      await lab.shape('pi1', undefined)
    }
    const r = await ssh(unit('pi1'), '/sbin/tc qdisc show dev eth0')
    expect(r.stdout).not.toContain('netem')
  }, 180_000)

  it('set-ip moves a Pi to a new DHCP lease, same MAC', async () => {
    const before = unit('pi1')
    const ip = await lab.setIp('pi1')
    try {
      expect(ip).not.toBe(before.ip)
      const after = unit('pi1')
      expect(after.ip).toBe(ip)
      const r = await ssh(after, 'ip -4 -br addr show eth0; cat /sys/class/net/eth0/address')
      expect(r.stdout).toContain(`${ip}/24`)
      expect(r.stdout).not.toContain(`${before.ip}/`)
      expect(r.stdout).toContain(before.mac)
    } finally {
      await lab.setIp('pi1', before.ip)
    }
  }, 300_000)

  it('reset gives a fresh Pi with a new host key', async () => {
    const u = unit('pi1')
    await ssh(u, 'touch ~/old-pi')
    const keyBefore = await hostKey(u)
    await lab.reset('pi1')
    const keyAfter = await hostKey(unit('pi1'))
    expect(keyAfter).not.toBe('')
    expect(keyAfter).not.toBe(keyBefore)
    const r = await ssh(unit('pi1'), 'ls ~/old-pi 2>/dev/null | wc -l; cat /sys/class/net/eth0/address')
    expect(r.stdout.trim().split('\n')).toEqual(['0', u.mac])
  }, 600_000)
})
