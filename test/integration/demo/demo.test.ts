// `npm run demo` as a user runs it: the URL comes within the lab's boot time, the station behind it
// lists the two demo units online with the digits model in the library, and Ctrl-C leaves no lab,
// namespace or process behind. The demo boots two full lab Pis of its own (in a lab namespace of its
// own, from the cached image), not the shared lab the other suites use.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { projectRoot } from '../../helpers/run-cli'
import { labSkipReason } from '../../lab/vitest'

const skip = labSkipReason({ full: 2, net: 'ns' })
if (skip) console.warn(`[lab] demo suite skipped: ${skip}`)

// Not the demo's defaults: a demo someone is running by hand must survive this test.
const NETNS = 'edgedock-demotest'
const STATE = '/run/edgedock-demotest'
const env = { ...process.env, EDGEDOCK_LAB_NETNS: NETNS, EDGEDOCK_LAB_STATE: STATE, EDGEDOCK_LAB_VERBOSE: '' }

function processes(): { pid: number; cmdline: string }[] {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .map((e) => {
      try {
        return { pid: Number(e), cmdline: readFileSync(`/proc/${e}/cmdline`, 'utf8').replaceAll('\0', ' ') }
      } catch {
        return { pid: Number(e), cmdline: '' }
      }
    })
}
const qemuPids = () => processes().filter((p) => /qemu-system/.test(p.cmdline))
const labList = () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'test/lab/cli.ts', 'list', '--json'], { cwd: projectRoot, env, encoding: 'utf8' })
  expect(r.status, r.stderr).toBe(0)
  return JSON.parse(r.stdout) as unknown[]
}

interface Reply {
  id?: number
  result?: { ok: boolean; value?: unknown }
}

/** Calls through the station's WebSocket, as its page does (same Host and Origin, token cookie). */
async function stationCalls(url: string, calls: { method: string; input: object }[]): Promise<unknown[]> {
  const u = new URL(url)
  const socket = new WebSocket(`ws://${u.host}/ws`, { headers: { origin: `http://${u.host}`, cookie: `edgedock_token=${u.searchParams.get('token')}` } })
  try {
    const replies = new Map<number, Reply>()
    socket.on('message', (d) => {
      const m = JSON.parse(String(d)) as Reply
      if (typeof m.id === 'number') replies.set(m.id, m)
    })
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve())
      socket.once('error', reject)
      socket.once('unexpected-response', (_req, res) => reject(new Error(`refused: ${res.statusCode}`)))
    })
    calls.forEach((c, id) => socket.send(JSON.stringify({ id, ...c })))
    await expect.poll(() => replies.size, { timeout: 10_000 }).toBe(calls.length)
    return calls.map((_c, id) => {
      const r = replies.get(id)?.result
      expect(r?.ok, JSON.stringify(r)).toBe(true)
      return r?.value
    })
  } finally {
    socket.close()
  }
}

describe.skipIf(skip)(`npm run demo${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let demo: ChildProcess
  let url = ''
  let stderr = ''
  let qemuBefore: number[] = []
  let readyMs = 0

  beforeAll(async () => {
    qemuBefore = qemuPids().map((p) => p.pid)
    const t0 = Date.now()
    // Its own process group, so the Ctrl-C below reaches everything a terminal's would.
    demo = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts'], { cwd: projectRoot, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
    demo.stderr?.on('data', (d) => (stderr += d))
    url = await new Promise<string>((resolve, reject) => {
      let out = ''
      // Two Pis restored from the lab's snapshot answer SSH in 15-35 s (a first boot on a fresh
      // machine makes the snapshot: about a minute more); the rest covers a loaded machine.
      const timer = setTimeout(() => reject(new Error(`no URL within 240 s: ${stderr}`)), 240_000)
      demo.stdout?.on('data', (d) => {
        out += d
        const m = /^EdgeDock demo: (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)\n/m.exec(out)
        if (m?.[1]) {
          clearTimeout(timer)
          resolve(m[1])
        }
      })
      demo.once('exit', (code) => reject(new Error(`the demo exited (${code}): ${stderr}`)))
    })
    readyMs = Date.now() - t0
  }, 300_000)

  afterAll(async () => {
    // Only if a test failed half-way: the demo's own clean-up did not run.
    if (demo?.exitCode === null) {
      process.kill(-(demo.pid as number), 'SIGINT')
      await new Promise((r) => demo.once('exit', r))
    }
    rmSync(STATE, { recursive: true, force: true })
  }, 60_000)

  it('serves the page, and lists two units online with the digits model in the library', async () => {
    console.log(`demo: URL after ${(readyMs / 1000).toFixed(1)} s`)
    const page = await fetch(url)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('<html')
    const [devices, models] = (await stationCalls(url, [
      { method: 'devices.list', input: {} },
      { method: 'models.list', input: {} }
    ])) as [{ name: string; state: string }[], { name: string; version: string }[]]
    expect(devices.map((d) => [d.name, d.state]).sort()).toEqual([
      ['demo-pi-1', 'online'],
      ['demo-pi-2', 'online']
    ])
    expect(models.map((m) => `${m.name}@${m.version}`)).toEqual(['digits@1'])
  })

  it('stops everything on Ctrl-C', async () => {
    const t0 = Date.now()
    process.kill(-(demo.pid as number), 'SIGINT')
    const code = await new Promise<number | null>((r) => demo.once('exit', (c) => r(c)))
    console.log(`demo: stopped ${((Date.now() - t0) / 1000).toFixed(1)} s after Ctrl-C`)
    expect(code, stderr).toBe(0)
    expect(labList()).toEqual([])
    expect(existsSync('/run/netns') ? readdirSync('/run/netns').filter((n) => n.startsWith(NETNS)) : []).toEqual([])
    // Nothing of the demo still runs: no member of its process group, nothing working in its lab.
    const left = processes().filter((p) => p.cmdline.includes(STATE) || p.cmdline.includes('scripts/demo.ts') || p.cmdline.includes(`--port ${new URL(url).port}`))
    expect(left.filter((p) => p.pid !== process.pid)).toEqual([])
    // The group empties once its last exited members (the station's udev monitor) are reaped.
    const groupAlive = () => {
      try {
        process.kill(-(demo.pid as number), 0)
        return true
      } catch {
        return false
      }
    }
    await expect.poll(groupAlive, { timeout: 15_000, interval: 250 }).toBe(false)
    // Other labs (other suites, other people) may start QEMU meanwhile: only the demo's own count.
    const newQemu = qemuPids().filter((p) => !qemuBefore.includes(p.pid) && (p.cmdline.includes(STATE) || p.cmdline.includes(NETNS)))
    expect(newQemu).toEqual([])
  }, 60_000)
})
