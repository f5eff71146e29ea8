// Discovery on the Pi lab: every unit on the lab /24 found with MAC, IP, hostname and model. Runs
// only inside the lab's network namespace: sweeps and mDNS never touch this machine's own networks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as lab from '../../lab'
import type { InventoryEntry } from '../../lab'
import { labSkipReason, releaseLab, useLab } from '../../lab/vitest'
import { runCli } from '../../helpers/run-cli'
import { tempDir } from '../../helpers/temp-dir'

const skip = labSkipReason({ light: 4 })
if (skip) console.warn(`[lab] discovery tests skipped: ${skip}`)

const edgedockInLab = (args: string[]) => runCli(args, { env: { LAB_PI_PASSWORD: lab.PI_PASSWORD }, wrap: lab.inLabArgv })

interface Found {
  ip: string | null
  mac: string | null
  hostname: string | null
  model: string | null
  isRaspberryPi: boolean
  sshBanner: string | null
  sources: string[]
}

describe.skipIf(skip)(`discovery on the lab LAN${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let units: InventoryEntry[] = []
  let dataDir = ''
  let cleanup = () => {}
  const discover = async () => {
    const r = await edgedockInLab(['--data-dir', dataDir, '--json', 'discover', '--subnet', `${lab.GATEWAY.replace(/\.1$/, '.0')}/24`, '--login', lab.PI_USER, '--password-env', 'LAB_PI_PASSWORD'])
    expect(r.code, r.stderr).toBe(0)
    return JSON.parse(r.stdout) as Found[]
  }

  beforeAll(async () => {
    const t = tempDir()
    dataDir = t.dir
    cleanup = t.cleanup
    units = (await useLab({ light: 4 })).filter((u) => u.kind === 'light').slice(0, 4)
  }, 900_000)
  afterAll(async () => {
    await releaseLab()
    cleanup()
  })

  it('edgedock discover --json lists every unit with MAC, IP, hostname and model', async () => {
    const found = await discover()
    for (const u of units) {
      const d = found.find((f) => f.mac === u.mac)
      expect(d, `${u.name} (${u.mac}) was not found`).toBeTruthy()
      expect(d).toMatchObject({ ip: u.ip, isRaspberryPi: true, hostname: expect.stringMatching(/raspberrypi/), model: expect.stringMatching(/^Raspberry Pi/) })
      expect(d?.sshBanner).toMatch(/^SSH-2\.0-OpenSSH/)
      expect(d?.sources).toEqual(expect.arrayContaining(['ssh-sweep', 'arp', 'login']))
    }
  }, 180_000)
})
