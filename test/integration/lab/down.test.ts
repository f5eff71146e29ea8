// `down` leaves nothing behind, and `up` cleans up after a crashed run. Runs a lab of its own
// (own state dir and namespace names) so it never disturbs the lab other suites share.
import * as fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { labSkipReason } from '../../lab/vitest'
import { sh } from './helpers'

const STATE = '/run/edgedock-lab-downtest'
const NETNS = 'edl-downtest'
const skip = labSkipReason({ full: 1, light: 2, net: 'ns' })
if (skip) console.warn(`[lab] down/cleanup tests skipped: ${skip}`)

function labProcesses(): string[] {
  const out: string[] = []
  for (const e of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue
    try {
      const cl = fs.readFileSync(`/proc/${e}/cmdline`, 'utf8').split('\0').join(' ')
      const st = fs.readFileSync(`/proc/${e}/stat`, 'utf8')
      if (st.slice(st.lastIndexOf(')') + 2, st.lastIndexOf(')') + 3) === 'Z') continue
      if (cl.includes(STATE)) out.push(`${e} ${cl.slice(0, 120)}`)
    } catch {
      /* gone */
    }
  }
  return out
}

async function labNamespaces(): Promise<string[]> {
  const r = await sh(['ip', 'netns', 'list'])
  return r.stdout.split('\n').map((l) => l.split(' ')[0]!).filter((n) => n === NETNS || n.startsWith(`${NETNS}-`))
}

describe.skipIf(skip)(`Pi lab: down and crash cleanup${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let lab: typeof import('../../lab')
  beforeAll(async () => {
    vi.stubEnv('EDGEDOCK_LAB_STATE', STATE)
    vi.stubEnv('EDGEDOCK_LAB_NETNS', NETNS)
    lab = await import('../../lab')
    await lab.down({ quiet: true })
  })
  afterAll(async () => {
    await lab?.down({ quiet: true })
    vi.unstubAllEnvs()
    fs.rmSync(STATE, { recursive: true, force: true })
  })

  it('up cleans leftovers of a crashed run (state lost, namespaces and processes still there)', async () => {
    await lab.up({ count: 3, light: true, quiet: true })
    expect(await labNamespaces()).toHaveLength(4)
    // the run "crashes": its state file is gone, its namespaces and processes are not
    fs.rmSync(`${STATE}/state.json`)
    expect(labProcesses().length).toBeGreaterThan(0)
    await lab.up({ count: 1, light: true, quiet: true })
    expect(lab.inventory().map((u) => u.name)).toEqual(['light1'])
    expect((await labNamespaces()).sort()).toEqual([NETNS, `${NETNS}-light1`])
    // the crashed run's processes are gone too: only the new light1 and dnsmasq remain
    expect(labProcesses().filter((p) => /light[23]/.test(p))).toEqual([])
  }, 120_000)

  it('up cleans a lab whose state is from another boot', async () => {
    const st = JSON.parse(fs.readFileSync(`${STATE}/state.json`, 'utf8')) as { bootId: string }
    st.bootId = 'an-earlier-boot'
    fs.writeFileSync(`${STATE}/state.json`, JSON.stringify(st))
    await lab.up({ count: 2, light: true, quiet: true })
    expect(lab.inventory().map((u) => u.name).sort()).toEqual(['light1', 'light2'])
  }, 120_000)

  it('down leaves no QEMU process, namespace or tap behind', async () => {
    await lab.up({ count: 1, net: 'ns', quiet: true })
    const full = lab.inventory().find((u) => u.kind === 'full')!
    expect(full.powered).toBe(true)
    expect(labProcesses().some((p) => p.includes('qemu-system'))).toBe(true)
    const taps = await sh(['ip', '-n', NETNS, '-o', 'link', 'show', 'type', 'tun'])
    expect(taps.stdout).toContain('tap-pi1')
    await lab.down({ quiet: true })
    await new Promise((r) => setTimeout(r, 500))
    expect(labProcesses()).toEqual([])
    expect(await labNamespaces()).toEqual([])
    const rootLinks = await sh(['ip', '-o', 'link', 'show'])
    expect(rootLinks.stdout).not.toMatch(/tap-pi\d|v-light\d/)
    expect(lab.inventory()).toEqual([])
  }, 600_000)
})
