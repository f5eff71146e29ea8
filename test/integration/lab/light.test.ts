// The Pi lab's "Done when" for light Pis: forty SSH servers with Pi MACs on one /24 in under a minute,
// each answering mDNS, with a Pi identity where programs look.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as lab from '../../lab'
import type { InventoryEntry } from '../../lab'
import { labSkipReason, releaseLab, useLab } from '../../lab/vitest'
import { hostKey, mdnsBrowse, sh, ssh } from './helpers'

const skip = labSkipReason({ light: 40 })
if (skip) console.warn(`[lab] light-Pi tests skipped: ${skip}`)

describe.skipIf(skip)(`Pi lab: forty light Pis${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let lights: InventoryEntry[] = []
  let upMs = 0

  beforeAll(async () => {
    const t0 = Date.now()
    lights = (await useLab({ light: 40 })).filter((u) => u.kind === 'light')
    upMs = Date.now() - t0
  })
  afterAll(releaseLab)

  it('up 40 --light gives forty reachable SSH servers with Pi MACs on one /24 in under a minute', async () => {
    expect(lights).toHaveLength(40)
    expect(upMs).toBeLessThan(60_000)
    expect(new Set(lights.map((u) => u.ip)).size).toBe(40)
    expect(new Set(lights.map((u) => u.mac)).size).toBe(40)
    for (const u of lights) {
      expect(u.ip).toMatch(/^10\.77\.0\.\d+$/)
      expect(u.mac).toMatch(/^dc:a6:32:/)
    }
    const keys = await Promise.all(lights.map((u) => hostKey(u)))
    expect(keys.filter((k) => k.length > 0)).toHaveLength(40)
    expect(new Set(keys).size).toBe(40)
  }, 120_000)

  it('a light Pi logs in as pi/raspberry and looks like a Pi where programs look', async () => {
    const u = lights[4]!
    const r = await ssh(u, 'hostname; id -un; cat /sys/class/net/eth0/address; tr -d "\\0" < /sys/firmware/devicetree/base/model; echo; grep -E "^Model" /proc/cpuinfo; sudo -n true && echo sudo-ok || echo no-sudo')
    expect(r.code, r.stderr).toBe(0)
    const [host, user, mac, dtModel, cpuModel] = r.stdout.trim().split('\n')
    expect(host).toBe('raspberrypi')
    expect(user).toBe('pi')
    expect(mac).toBe(u.mac)
    expect(dtModel).toMatch(/^Raspberry Pi/)
    expect(cpuModel).toMatch(/Raspberry Pi/)
  })

  it('every light Pi answers mDNS for _ssh._tcp on the lab LAN', async () => {
    const found = await mdnsBrowse('_ssh._tcp.local', 4000)
    const missing = lights.filter((u) => !/raspberrypi/.test(found.get(u.ip) ?? ''))
    expect(missing.map((u) => u.name)).toEqual([])
  })

  it('set-ip moves a light Pi: it answers at the new address and no longer at the old one', async () => {
    const before = lights[1]!
    const ip = await lab.setIp(before.name)
    try {
      const after = lab.inventory().find((x) => x.name === before.name)!
      expect(after.ip).toBe(ip)
      const r = await ssh(after, 'ip -4 -br addr show eth0')
      expect(r.stdout).toContain(`${ip}/24`)
      expect(r.stdout).not.toContain(`${before.ip}/`)
      expect((await ssh(before, 'true', { timeoutS: 3 })).code).not.toBe(0)
    } finally {
      await lab.setIp(before.name, before.ip)
    }
  }, 120_000)

  it('power-cut, power-on, link down/up and reset work on a light Pi', async () => {
    const name = lights[0]!.name
    const u = () => lab.inventory().find((x) => x.name === name)!
    const key = await hostKey(u())
    await lab.powerCut(name)
    expect((await ssh(u(), 'true', { timeoutS: 3 })).code).not.toBe(0)
    // switched off means silent: nothing at its address even refuses a connection
    expect((await sh(lab.inLabArgv(['bash', '-c', `exec 3<>/dev/tcp/${u().ip}/22`]), 10_000)).stderr).not.toMatch(/refused/i)
    await lab.powerOn(name)
    expect((await ssh(u(), 'true')).code).toBe(0)
    expect(await hostKey(u())).toBe(key)
    await lab.link(name, 'down')
    expect((await ssh(u(), 'true', { timeoutS: 3 })).code).not.toBe(0)
    await lab.link(name, 'up')
    expect((await ssh(u(), 'true')).code).toBe(0)
    await lab.reset(name)
    const fresh = await hostKey(u())
    expect(fresh).not.toBe('')
    expect(fresh).not.toBe(key)
  }, 120_000)
})
