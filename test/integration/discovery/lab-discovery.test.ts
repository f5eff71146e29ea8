// Discovery on the Pi lab: every unit on the lab /24 found with MAC, IP, hostname and model; a unit
// that moves to another address (a lab command on a light Pi, a DHCP lease change on a full one)
// stays one record; a unit that goes away is marked offline. Sweeps and mDNS run only inside the
// lab's network namespace: they never touch this machine's own networks.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import * as lab from '../../lab'
import type { InventoryEntry } from '../../lab'
import { labSkipReason, releaseLab, useLab } from '../../lab/vitest'
import { runCli } from '../../helpers/run-cli'
import { tempDir } from '../../helpers/temp-dir'
import { createApp, type EdgeDockApp } from '../../../src/main/app/create-app'
import type { Device, HistoryEntry } from '../../../src/shared/domain'

const skip = labSkipReason({ full: 1, light: 4, net: 'ns' })
if (skip) console.warn(`[lab] discovery tests skipped: ${skip}`)

const edgedockInLab = (args: string[]) => runCli(args, { env: { LAB_PI_PASSWORD: lab.PI_PASSWORD }, wrap: lab.inLabArgv })

interface Found {
  id: string
  ip: string | null
  mac: string | null
  hostname: string | null
  model: string | null
  isRaspberryPi: boolean
  sshBanner: string | null
  sources: string[]
  state: string
  lastSeen: string
}

describe.skipIf(skip)(`discovery on the lab LAN${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let units: InventoryEntry[] = []
  let full: InventoryEntry
  let dataDir = ''
  let cleanup = () => {}
  // What an open Devices page hears: the app in this process follows the CLI's writes to the database.
  let app: EdgeDockApp
  const changed: Device[][] = []
  const subnet = `${lab.GATEWAY.replace(/\.1$/, '.0')}/24`

  const discover = async (login = false) => {
    const r = await edgedockInLab([
      '--data-dir', dataDir, '--json', 'discover', '--subnet', subnet,
      ...(login ? ['--login', lab.PI_USER, '--password-env', 'LAB_PI_PASSWORD'] : [])
    ])
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0)
    return JSON.parse(r.stdout) as Found[]
  }
  const edgedock = async <T>(args: string[]): Promise<T> => {
    const r = await runCli(['--data-dir', dataDir, '--json', ...args])
    expect(r.code, r.stderr).toBe(0)
    return JSON.parse(r.stdout) as T
  }
  const inventoryRecord = async (mac: string) => (await edgedock<Device[]>(['devices', 'list'])).filter((d) => d.mac === mac)
  const unit = (name: string) => lab.inventory().find((u) => u.name === name)!

  beforeAll(async () => {
    const t = tempDir()
    dataDir = t.dir
    cleanup = t.cleanup
    const all = await useLab({ full: 1, light: 4, net: 'ns' })
    units = all.filter((u) => u.kind === 'light').slice(0, 4)
    full = all.find((u) => u.kind === 'full')!
    app = createApp({ dataDir, watchExternal: true })
    app.events.subscribe((event, payload) => {
      if (event === 'devices.changed') changed.push((payload as { devices: Device[] }).devices)
    })
  }, 900_000)
  afterAll(async () => {
    app?.close()
    await releaseLab()
    cleanup()
  })

  it('edgedock discover --json lists every unit with MAC, IP, hostname and model', async () => {
    const found = await discover(true)
    for (const u of units) {
      const d = found.find((f) => f.mac === u.mac)
      expect(d, `${u.name} (${u.mac}) was not found`).toBeTruthy()
      expect(d).toMatchObject({ ip: u.ip, isRaspberryPi: true, hostname: expect.stringMatching(/raspberrypi/), model: expect.stringMatching(/^Raspberry Pi/), state: 'online' })
      expect(d?.sshBanner).toMatch(/^SSH-2\.0-OpenSSH/)
      // mDNS included: the lab LAN, like a bench switch, has no default route to send queries by
      expect(d?.sources).toEqual(expect.arrayContaining(['ssh-sweep', 'arp', 'mdns', 'login']))
    }
  }, 180_000)

  // discover, move the unit, discover again: one record, same id, new address, the old one kept as
  // "was", an ip-changed entry in History and a devices.changed event carrying the new address.
  async function expectMove(name: string, move: () => Promise<string>) {
    const before = unit(name)
    await discover()
    const [record] = await inventoryRecord(before.mac)
    expect(record?.host).toBe(before.ip)
    const newIp = await move()
    expect(newIp).not.toBe(before.ip)
    changed.length = 0
    const found = (await discover()).filter((f) => f.mac === before.mac)
    expect(found).toEqual([expect.objectContaining({ id: record!.id, ip: newIp, state: 'online' })])
    expect(await inventoryRecord(before.mac)).toEqual([expect.objectContaining({ id: record!.id, host: newIp, previousHost: before.ip, state: 'online' })])
    const history = await edgedock<HistoryEntry[]>(['history', '--device', record!.id])
    expect(history.find((h) => h.kind === 'device.ip-changed')?.summary).toBe(`Address changed from ${before.ip} to ${newIp}`)
    await vi.waitFor(() => expect(changed.some((list) => list.some((d) => d.id === record!.id && d.host === newIp))).toBe(true), { timeout: 5000 })
  }

  it('a light Pi moved to another address by the lab stays one record with the new address', async () => {
    const u = units[3]!
    try {
      await expectMove(u.name, () => lab.setIp(u.name))
    } finally {
      await lab.setIp(u.name, u.ip)
    }
  }, 180_000)

  it('a full Pi given another DHCP lease stays one record with the new address', async () => {
    try {
      await expectMove(full.name, () => lab.setIp(full.name))
    } finally {
      await lab.setIp(full.name, full.ip)
    }
  }, 300_000)

  it('a unit that goes away is marked offline with when it was last seen, and online again when it is back', async () => {
    const u = units[2]!
    await discover()
    const [seen] = await inventoryRecord(u.mac)
    expect(seen).toMatchObject({ state: 'online' })
    await lab.powerCut(u.name)
    try {
      const found = (await discover()).filter((f) => f.mac === u.mac)
      expect(found).toEqual([expect.objectContaining({ id: seen!.id, ip: u.ip, state: 'offline', lastSeen: new Date(seen!.lastSeen!).toISOString() })])
      expect(await inventoryRecord(u.mac)).toEqual([expect.objectContaining({ state: 'offline', lastSeen: seen!.lastSeen })])
      const history = await edgedock<HistoryEntry[]>(['history', '--device', seen!.id])
      expect(history[0]).toMatchObject({ kind: 'device.offline', summary: expect.stringContaining(`No answer at ${u.ip}`) })
    } finally {
      await lab.powerOn(u.name)
    }
    expect((await discover()).find((f) => f.mac === u.mac)).toMatchObject({ id: seen!.id, state: 'online' })
  }, 180_000)
})
