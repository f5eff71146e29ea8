// The lab's operations: up, down, list, faults, exec. The CLI and the typed API both call these.
import { spawn } from 'node:child_process'
import * as fs from 'node:fs'
import * as net from 'node:net'
import { join } from 'node:path'
import {
  type Arch, FULL_IP_BASE, fullMac, isRoot, labNetns, LIGHT_IP_BASE, lightMac, MAX_FULL, MAX_LIGHT, type NetMode,
  PI_MODEL, PI_PASSWORD, PI_USER, serialFor, stateDir, SUBNET_PREFIX, USER_PORT_BASE
} from './config'
import {
  bootUnit, type BootMode, detectAccel, ensureTemplate, killUnit, makeDisk, makeDtb, readTimings, renewLease, sshRun,
  strayPids, waitDead, waitSsh
} from './full'
import { buildImage, imageInfo } from './image'
import { killLight, lightNetns, lightPrereqs, plumbLight, prepareLight, setLightIp, setLightLink, setLightNic, shapeLight, startLight } from './light'
import { destroyLabNet, ensureLabNet, listLabNetns, netnsExists, writeDhcpHosts } from './netns'
import { guestExec, qmp } from './qmp'
import { bootId, clearState, type LabState, loadState, newState, saveState, type Shape, type UnitState, withLock } from './state'
import { isAlive, log, secs, sleep, which } from './util'

export interface InventoryEntry {
  name: string
  kind: 'full' | 'light'
  ip: string
  port: number
  user: string
  password: string
  mac: string
  model: string
  serial: string
  /** namespace to run a client in to reach the unit (`npm run lab -- exec`); null = host loopback */
  netns: string | null
  /** serial console (a pty; full Pis only) */
  console?: string
  arch: string
  powered: boolean
  link: 'up' | 'down'
  bootMs?: number
  bootMode?: string
}

export interface UpOptions {
  /** how many Pis of this kind the lab should have (more are added; none are removed) */
  count: number
  light?: boolean
  net?: NetMode
  arch?: Arch
  boot?: 'auto' | BootMode
  quiet?: boolean
}

export interface UpResult {
  started: string[]
  ms: number
  bootMode?: BootMode | 'light'
  coldMs?: number
  restoreMs?: number
}

function say(quiet: boolean | undefined, msg: string): void {
  if (!quiet) log(msg)
}

function unitsDir(): string {
  return join(stateDir(), 'units')
}

/** Why the lab cannot run here (or undefined). */
export function missingPrereqs(opts: { light?: boolean; net?: NetMode; arch?: Arch } = {}): string | undefined {
  const arch = opts.arch ?? 'amd64'
  const qemu = arch === 'amd64' ? 'qemu-system-x86_64' : 'qemu-system-aarch64'
  if (!opts.light && !which(qemu)) return `${qemu} is not installed`
  if (!opts.light && !which('qemu-img')) return 'qemu-img is not installed'
  if (!which('sshpass') || !which('ssh')) return 'sshpass and ssh are needed to reach the Pis'
  if ((opts.light || opts.net === 'ns') && !isRoot()) return 'namespaces (--net ns, --light) need root'
  if ((opts.light || opts.net === 'ns') && !which('ip')) return 'iproute2 is not installed'
  if (opts.net === 'ns' && !which('dnsmasq')) return 'dnsmasq is not installed (dnsmasq-base)'
  if (opts.light) return lightPrereqs()
  return undefined
}

/** Remove whatever a crashed run left behind (processes, namespaces, unit files). */
function cleanLeftovers(state: LabState | undefined): void {
  for (const u of state?.units ?? []) {
    if (u.kind === 'full') killUnit(u)
    else killLight(u)
  }
  for (const pid of strayPids(stateDir())) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      /* gone */
    }
  }
  destroyLabNet(state)
  fs.rmSync(unitsDir(), { recursive: true, force: true })
  clearState()
}

function loadOrClean(quiet?: boolean): LabState {
  const st = loadState()
  const stale = !st || st.bootId !== bootId() || (st.netns !== undefined && !netnsExists(st.netns))
  if (stale) {
    const leftovers = (st?.units.length ?? 0) > 0 || listLabNetns().length > 0 || strayPids(stateDir()).length > 0
    if (leftovers) say(quiet, 'cleaning leftovers of an earlier lab run')
    if (leftovers || st) cleanLeftovers(st)
    return newState()
  }
  // units that were on but died without us (e.g. QEMU crashed): forget them, their slot is rebuilt
  for (const u of st.units) {
    if (u.powered && !isAlive(u.pid)) {
      say(quiet, `${u.name} died outside the lab; removing it`)
      if (u.kind === 'light' && u.ownNetns && netnsExists(u.ownNetns)) fs.rmSync(u.dir, { recursive: true, force: true })
    }
  }
  st.units = st.units.filter((u) => !(u.powered && !isAlive(u.pid)))
  return st
}

async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer()
    s.once('error', () => resolve(false))
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)))
  })
}

async function pickPort(state: LabState, index: number): Promise<number> {
  const used = new Set(state.units.map((u) => u.port))
  for (let p = USER_PORT_BASE + index; p < USER_PORT_BASE + 2000; p++) {
    if (!used.has(p) && (await portFree(p))) return p
  }
  throw new Error('no free port on 127.0.0.1 for --net user')
}

function freeIndex(state: LabState, kind: 'full' | 'light'): number {
  const used = new Set(state.units.filter((u) => u.kind === kind).map((u) => u.index))
  for (let i = 1; ; i++) if (!used.has(i)) return i
}

function chooseBoot(arch: Arch, want: UpOptions['boot']): BootMode {
  const env = process.env.EDGEDOCK_LAB_BOOT
  const w = want ?? (env === 'cold' || env === 'snapshot' ? env : 'auto')
  if (w !== 'auto') return w
  if (arch !== 'amd64') return 'cold' // arm64's custom device tree is per unit: cold boot only
  // `lab measure` compares both side by side; until it has, the snapshot (measured 2-3x faster here) wins.
  return readTimings(imageInfo(arch)).winner ?? 'snapshot'
}

export async function up(opts: UpOptions): Promise<UpResult> {
  const arch = opts.arch ?? 'amd64'
  const light = !!opts.light
  const netMode: NetMode = light ? 'ns' : (opts.net ?? 'user')
  const why = missingPrereqs({ light, net: netMode, arch })
  if (why) throw new Error(`cannot start the lab: ${why}`)
  if (light && opts.count > MAX_LIGHT) throw new Error(`at most ${MAX_LIGHT} light Pis`)
  if (!light && opts.count > MAX_FULL) throw new Error(`at most ${MAX_FULL} full Pis`)
  const t0 = Date.now()
  let image: ReturnType<typeof imageInfo> | undefined
  if (!light) image = (await buildImage(arch)).info
  return withLock(async () => {
    const state = loadOrClean(opts.quiet)
    fs.mkdirSync(unitsDir(), { recursive: true })
    if (netMode === 'ns') await ensureLabNet(state)
    saveState(state)
    const have = state.units.filter((u) => u.kind === (light ? 'light' : 'full'))
    const need = opts.count - have.length
    if (!light && have.length && have.some((u) => u.net !== netMode)) {
      throw new Error(`the lab's full Pis use --net ${have[0]!.net}; run \`down\` first to switch to --net ${netMode}`)
    }
    if (need <= 0) {
      say(opts.quiet, `lab already has ${have.length} ${light ? 'light' : 'full'} Pi(s)`)
      return { started: [], ms: Date.now() - t0 }
    }
    const fresh: UnitState[] = []
    for (let k = 0; k < need; k++) {
      const index = freeIndex(state, light ? 'light' : 'full')
      const name = light ? `light${index}` : `pi${index}`
      const u: UnitState = {
        name, kind: light ? 'light' : 'full', index, arch: light ? 'amd64' : arch, net: netMode,
        ip: netMode === 'user' ? '127.0.0.1' : `${SUBNET_PREFIX}.${(light ? LIGHT_IP_BASE : FULL_IP_BASE) + index - 1}`,
        port: netMode === 'user' ? await pickPort(state, index) : 22,
        mac: light ? lightMac(index) : fullMac(index), model: PI_MODEL, serial: serialFor(name),
        netns: netMode === 'ns' ? labNetns() : null, dir: join(unitsDir(), name), powered: false, link: 'up'
      }
      fs.mkdirSync(u.dir, { recursive: true })
      state.units.push(u)
      fresh.push(u)
    }
    if (netMode === 'ns') writeDhcpHosts(state)
    saveState(state)
    if (light) {
      const ms = await upLight(state, fresh, opts.quiet)
      return { started: fresh.map((u) => u.name), ms, bootMode: 'light' }
    }
    const mode = chooseBoot(arch, opts.boot)
    say(opts.quiet, `starting ${need} full Pi(s) (${arch}, ${detectAccel().toUpperCase()}, --net ${netMode}, ${mode === 'snapshot' ? 'restoring a booted snapshot' : 'cold boot'})`)
    if (mode === 'snapshot') await ensureTemplate(image!, netMode)
    const tBoot = Date.now()
    await Promise.all(fresh.map(async (u) => {
      makeDisk(u, image!, mode)
      makeDtb(u, image!)
      const p = bootUnit(u, image!, mode)
      saveState(state)
      const ms = await p
      saveState(state)
      say(opts.quiet, `${u.name} answers SSH at ${u.ip}:${u.port} after ${secs(ms)} (${mode})`)
    }))
    const t = readTimings(image!)
    const ms = Date.now() - t0
    say(opts.quiet, `${need} Pi(s) up in ${secs(Date.now() - tBoot)} (total with preparation ${secs(ms)}); measured on this machine: cold boot ${t.coldMs ? secs(t.coldMs) : 'n/a'}, snapshot restore ${t.restoreMs ? secs(t.restoreMs) : 'n/a'}`)
    return { started: fresh.map((u) => u.name), ms, bootMode: mode, coldMs: t.coldMs, restoreMs: t.restoreMs }
  })
}

async function pool<T>(items: T[], n: number, fn: (t: T) => Promise<void>): Promise<void> {
  const q = [...items]
  await Promise.all(Array.from({ length: Math.min(n, q.length) }, async () => {
    for (let it = q.shift(); it !== undefined; it = q.shift()) await fn(it)
  }))
}

async function upLight(state: LabState, units: UnitState[], quiet?: boolean): Promise<number> {
  const t0 = Date.now()
  say(quiet, `starting ${units.length} light Pi(s)`)
  await pool(units, 8, async (u) => {
    await prepareLight(u, true)
    plumbLight(u)
    startLight(u)
  })
  saveState(state)
  await pool(units, 6, async (u) => {
    await waitSsh(u, 120_000)
    u.bootMs = Date.now() - t0
    u.bootMode = 'light'
  })
  saveState(state)
  const ms = Date.now() - t0
  say(quiet, `${units.length} light Pi(s) answer SSH after ${secs(ms)}`)
  return ms
}

export async function down(opts: { quiet?: boolean } = {}): Promise<void> {
  await withLock(async () => {
    const st = loadState()
    cleanLeftovers(st)
    for (const u of st?.units ?? []) await waitDead(u.pid, 5000)
    say(opts.quiet, 'lab is down')
  })
}

export function inventory(): InventoryEntry[] {
  const st = loadState()
  if (!st || st.bootId !== bootId()) return []
  return st.units.map((u) => ({
    name: u.name, kind: u.kind, ip: u.ip, port: u.port, user: PI_USER, password: PI_PASSWORD, mac: u.mac, model: u.model,
    serial: u.serial, netns: u.netns, ...(u.console ? { console: u.console } : {}), arch: u.arch,
    powered: u.powered && isAlive(u.pid), link: u.link, bootMs: u.bootMs, bootMode: u.bootMode
  }))
}

async function withUnit<T>(name: string, fn: (u: UnitState, st: LabState) => Promise<T>): Promise<T> {
  return withLock(async () => {
    const st = loadState()
    const u = st?.units.find((x) => x.name === name)
    if (!st || !u) throw new Error(`no lab unit named ${name} (see \`npm run lab -- list\`)`)
    try {
      return await fn(u, st)
    } finally {
      saveState(st)
    }
  })
}

/** Cut the power: SIGKILL the VM (or the light Pi's processes). Unsynced guest writes are lost. */
export async function powerCut(name: string): Promise<void> {
  await withUnit(name, async (u) => {
    const pid = u.pid
    if (u.kind === 'full') killUnit(u)
    else {
      killLight(u)
      setLightNic(u, false)
    }
    await waitDead(pid)
  })
}

/** Power back on (a cold boot of the same disk); resolves when SSH answers. Returns ms. */
export async function powerOn(name: string): Promise<number> {
  return withUnit(name, async (u) => {
    if (u.powered && isAlive(u.pid)) return 0
    const t0 = Date.now()
    if (u.kind === 'full') {
      return bootUnit(u, imageInfo(u.arch), 'cold')
    }
    setLightNic(u, true)
    startLight(u)
    await waitSsh(u, 60_000)
    return Date.now() - t0
  })
}

/** Unplug / plug the network cable. */
export async function link(name: string, state: 'up' | 'down'): Promise<void> {
  await withUnit(name, async (u) => {
    if (u.kind === 'full') {
      await qmp(u.qmp!, 'set_link', { name: 'n0', up: state === 'up' })
      u.link = state
    } else setLightLink(u, state === 'up')
  })
}

/** Slow the unit's link down (tc netem, both directions); no options clears it. */
export async function shape(name: string, s: Shape | undefined): Promise<void> {
  const clear = !s || (!s.rate && !s.delay && !s.loss)
  await withUnit(name, async (u) => {
    if (u.kind === 'light') shapeLight(u, clear ? undefined : s)
    else {
      // Inside the guest (its kernel has netem; the host's may not): eth0 egress + ifb for ingress.
      const n = clear ? '' : ['netem', ...(s!.rate ? ['rate', s!.rate] : []), ...(s!.delay ? ['delay', s!.delay] : []), ...(s!.loss ? ['loss', s!.loss] : [])].join(' ')
      const script = `tc qdisc del dev eth0 root 2>/dev/null; tc qdisc del dev eth0 ingress 2>/dev/null; ip link del ifb-lab 2>/dev/null
[ -z "$1" ] && exit 0
set -e
modprobe -q ifb numifbs=0 2>/dev/null || true
ip link add ifb-lab type ifb
ip link set ifb-lab up
tc qdisc add dev eth0 root $1
tc qdisc add dev eth0 handle ffff: ingress
tc filter add dev eth0 parent ffff: protocol all u32 match u32 0 0 action mirred egress redirect dev ifb-lab
tc qdisc add dev ifb-lab root $1`
      const r = await guestExec(u.qga!, '/bin/sh', ['-c', script, 'shape', n], 60_000)
      if (r.code !== 0) throw new Error(`shaping ${name} failed: ${r.stderr || r.stdout}`)
    }
    u.shape = clear ? undefined : s
  })
}

/** Back to a freshly imaged Pi (new disk, new host keys), same MAC/IP/serial; resolves when SSH answers. */
export async function reset(name: string, opts: { boot?: 'auto' | BootMode } = {}): Promise<number> {
  return withUnit(name, async (u) => {
    const t0 = Date.now()
    if (u.kind === 'full') {
      const pid = u.pid
      killUnit(u)
      await waitDead(pid)
      const image = imageInfo(u.arch)
      const mode = chooseBoot(u.arch, opts.boot)
      if (mode === 'snapshot') await ensureTemplate(image, u.net)
      makeDisk(u, image, mode)
      makeDtb(u, image)
      return bootUnit(u, image, mode)
    }
    const pid = u.pid
    killLight(u)
    await waitDead(pid)
    await prepareLight(u, true)
    setLightNic(u, true)
    startLight(u)
    await waitSsh(u, 60_000)
    return Date.now() - t0
  })
}

/** Give a unit another address (a new fixed DHCP lease for a full Pi); resolves when SSH answers there. */
export async function setIp(name: string, ip?: string): Promise<string> {
  return withUnit(name, async (u, st) => {
    if (u.net !== 'ns') throw new Error(`${name} uses --net user: its address is 127.0.0.1:${u.port}`)
    const used = new Set(st.units.map((x) => x.ip))
    const [lo, hi] = u.kind === 'full' ? [FULL_IP_BASE, FULL_IP_BASE + MAX_FULL - 1] : [LIGHT_IP_BASE, LIGHT_IP_BASE + MAX_LIGHT - 1]
    let next = ip
    if (!next) {
      for (let i = hi; i >= lo && !next; i--) if (!used.has(`${SUBNET_PREFIX}.${i}`)) next = `${SUBNET_PREFIX}.${i}`
    }
    if (!next || !next.startsWith(`${SUBNET_PREFIX}.`)) throw new Error(`no usable address (lab LAN is ${SUBNET_PREFIX}.0/24)`)
    if (used.has(next) && next !== u.ip) throw new Error(`${next} is taken`)
    if (u.kind === 'light') setLightIp(u, next)
    else {
      u.ip = next
      writeDhcpHosts(st)
      await sleep(200)
      // the guest's DHCP client starts over (as when a Pi rejoins the LAN): the old address goes, the new lease comes
      await renewLease(u)
    }
    await waitSsh(u, 90_000)
    return next
  })
}

/** Run a command in the lab namespace (where the lab LAN is), inheriting stdio. Resolves to its exit code. */
export function execInLab(cmd: string[], opts: { stdio?: 'inherit' | 'pipe' } = {}): Promise<number> {
  const ns = labNetns()
  if (!netnsExists(ns)) throw new Error(`the lab namespace ${ns} does not exist: run \`npm run lab -- up N --net ns\` first`)
  return new Promise((resolve, reject) => {
    const p = spawn('ip', ['netns', 'exec', ns, ...cmd], { stdio: opts.stdio ?? 'inherit' })
    p.on('error', reject)
    p.on('close', (code) => resolve(code ?? 1))
  })
}

/** Run a command on a unit over SSH (from the right namespace). */
export async function sshExec(name: string, remote: string[], timeoutMs = 120_000) {
  const u = loadState()?.units.find((x) => x.name === name)
  if (!u) throw new Error(`no lab unit named ${name}`)
  return sshRun(u, remote, timeoutMs)
}

export { waitSsh, lightNetns }
