// Full virtual Pis: Debian bookworm in QEMU (KVM where it works, TCG otherwise), booted cold or
// restored from a booted snapshot, then given their own identity (host keys, machine-id, MAC, serial).
import * as fs from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Arch, labNetns, PI_MANUFACTURER, PI_PASSWORD, PI_USER, VM_MEMORY_MIB } from './config'
import { type ImageInfo } from './image'
import { addTap, ipNs, tapName } from './netns'
import { chardevPty, guestExec, hmp, qga, qmp } from './qmp'
import type { UnitState } from './state'
import { isAlive, log, procCmdline, run, runSync, secs, sleep, spawnDetached, which } from './util'

export type BootMode = 'cold' | 'snapshot'

/** KVM only where /dev/kvm works for real (hardware virtualisation flags); TCG otherwise. */
export function detectAccel(): 'kvm' | 'tcg' {
  const forced = process.env.EDGEDOCK_LAB_ACCEL
  if (forced === 'kvm' || forced === 'tcg') return forced
  if (process.arch !== 'x64') return 'tcg'
  try {
    fs.accessSync('/dev/kvm', fs.constants.R_OK | fs.constants.W_OK)
    const cpu = fs.readFileSync('/proc/cpuinfo', 'utf8')
    if (/^flags\s*:.*\b(vmx|svm)\b/m.test(cpu)) return 'kvm'
  } catch {
    /* no kvm */
  }
  return 'tcg'
}

export function qemuBinary(arch: Arch): string {
  return arch === 'amd64' ? 'qemu-system-x86_64' : 'qemu-system-aarch64'
}

interface VmFiles {
  disk: string
  qmp: string
  qga: string
  consoleLog: string
  qemuLog: string
  pidFile: string
  dtb?: string
}

export function vmFiles(dir: string): VmFiles {
  return {
    disk: join(dir, 'disk.qcow2'), qmp: join(dir, 'qmp.sock'), qga: join(dir, 'qga.sock'),
    consoleLog: join(dir, 'console.log'), qemuLog: join(dir, 'qemu.log'), pidFile: join(dir, 'qemu.pid'), dtb: join(dir, 'pi.dtb')
  }
}

/** QEMU's arguments for a unit. Identical device layout for the snapshot template and every unit. */
export function qemuArgs(
  u: Pick<UnitState, 'name' | 'arch' | 'mac' | 'serial' | 'model' | 'net' | 'port'> & { dir: string },
  image: ImageInfo,
  opts: { loadvm?: boolean; netdev?: 'user' | 'tap' | 'none'; tap?: string; noHostfwd?: boolean }
): string[] {
  const f = vmFiles(u.dir)
  const accel = u.arch === 'amd64' ? detectAccel() : 'tcg'
  const args = ['-name', `${u.name},process=edgedock-${u.name}`.slice(0, 60)]
  if (u.arch === 'amd64') {
    args.push('-machine', 'pc')
    if (accel === 'kvm') args.push('-accel', 'kvm', '-cpu', 'host')
    else args.push('-accel', 'tcg,tb-size=64', '-cpu', 'max')
    args.push('-smbios', `type=1,manufacturer=${PI_MANUFACTURER},product=${u.model},version=1.4,serial=${u.serial},family=Raspberry Pi`)
    args.push('-smbios', `type=2,manufacturer=${PI_MANUFACTURER},product=${u.model},serial=${u.serial}`)
  } else {
    args.push('-machine', 'virt', '-accel', 'tcg,tb-size=64', '-cpu', 'cortex-a72')
    if (f.dtb && fs.existsSync(f.dtb)) args.push('-dtb', f.dtb)
  }
  args.push('-smp', '1', '-m', String(VM_MEMORY_MIB), '-nodefaults', '-display', 'none', '-vga', 'none', '-no-user-config')
  args.push('-kernel', image.kernel, '-initrd', image.initrd, '-append', image.cmdline)
  args.push('-drive', `file=${f.disk},if=virtio,format=qcow2,discard=unmap`)
  const nd = opts.netdev ?? (u.net === 'ns' ? 'tap' : 'user')
  if (nd === 'user') {
    const fwd = u.port && !opts.noHostfwd ? `,hostfwd=tcp:127.0.0.1:${u.port}-:22` : ''
    args.push('-netdev', `user,id=n0,restrict=on${fwd}`)
  } else if (nd === 'tap') {
    args.push('-netdev', `tap,id=n0,ifname=${opts.tap},script=no,downscript=no`)
  } else {
    args.push('-netdev', 'user,id=n0,restrict=on')
  }
  const pci = u.arch === 'amd64' ? 'pci' : 'pci'
  args.push('-device', `virtio-net-${pci},netdev=n0,mac=${u.mac}`)
  args.push('-chardev', `pty,id=ser0,logfile=${f.consoleLog},logappend=on`, '-serial', 'chardev:ser0')
  args.push('-object', 'rng-random,filename=/dev/urandom,id=rng0', '-device', `virtio-rng-${pci},rng=rng0`)
  args.push('-chardev', `socket,id=qga0,path=${f.qga},server=on,wait=off`)
  args.push('-device', `virtio-serial-${pci}`, '-device', 'virtserialport,chardev=qga0,name=org.qemu.guest_agent.0')
  args.push('-qmp', `unix:${f.qmp},server=on,wait=off`, '-pidfile', f.pidFile, '-rtc', 'base=utc')
  if (opts.loadvm) args.push('-loadvm', 'ready')
  return args
}

/** arm64: QEMU's own device tree with the Pi's model and serial set (read from /proc/device-tree). */
export function makeDtb(u: UnitState, image: ImageInfo): void {
  if (u.arch !== 'arm64') return
  const f = vmFiles(u.dir)
  const raw = `${f.dtb}.raw`
  runSync(qemuBinary('arm64'), ['-machine', `virt,dumpdtb=${raw}`, '-cpu', 'cortex-a72', '-m', String(VM_MEMORY_MIB), '-nographic'], { allowFail: true })
  if (!which('fdtput')) throw new Error('arm64 Pis need fdtput (apt package device-tree-compiler)')
  runSync('fdtput', ['-t', 's', raw, '/', 'model', u.model])
  runSync('fdtput', ['-t', 's', raw, '/', 'serial-number', u.serial])
  fs.renameSync(raw, f.dtb!)
  void image
}

async function waitFor(path: string, ms: number): Promise<void> {
  const t0 = Date.now()
  while (!fs.existsSync(path)) {
    if (Date.now() - t0 > ms) throw new Error(`${path} did not appear`)
    await sleep(100)
  }
}

/** Start QEMU for a unit (in the lab namespace for --net ns). Returns the pid. */
export async function launch(u: UnitState, image: ImageInfo, opts: { loadvm?: boolean }): Promise<number> {
  const f = vmFiles(u.dir)
  for (const s of [f.qmp, f.qga, f.pidFile]) fs.rmSync(s, { force: true })
  let cmd = qemuBinary(u.arch)
  let args: string[]
  if (u.net === 'ns') {
    addTap(u)
    args = ['netns', 'exec', labNetns(), cmd, ...qemuArgs(u, image, { loadvm: opts.loadvm, netdev: 'tap', tap: tapName(u) })]
    cmd = 'ip'
  } else {
    // a restored guest takes a new slirp lease with its new MAC: its port is forwarded once that is known
    args = qemuArgs(u, image, { loadvm: opts.loadvm, netdev: 'user', noHostfwd: opts.loadvm })
  }
  const logFd = fs.openSync(f.qemuLog, 'a')
  const pid = spawnDetached(cmd, args, logFd)
  fs.closeSync(logFd)
  u.pid = pid
  u.powered = true
  u.link = 'up'
  u.qmp = f.qmp
  u.qga = f.qga
  u.consoleLog = f.consoleLog
  try {
    await waitFor(f.qmp, 20_000)
  } catch (e) {
    throw new Error(`QEMU for ${u.name} did not start: ${fs.readFileSync(f.qemuLog, 'utf8').slice(-1500)} (${String(e)})`)
  }
  const pty = await chardevPty(f.qmp, 'ser0')
  if (pty) {
    u.console = join(u.dir, 'console')
    fs.rmSync(u.console, { force: true })
    fs.symlinkSync(pty, u.console)
  }
  return pid
}

/** ssh (through sshpass, with the Pi's password) to a unit: argv to spawn. */
export function sshArgv(u: Pick<UnitState, 'ip' | 'port' | 'netns'>, remote: string[], opts: { timeoutS?: number } = {}): string[] {
  const ssh = [
    'sshpass', '-p', PI_PASSWORD, 'ssh', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null',
    '-o', 'LogLevel=ERROR', '-o', `ConnectTimeout=${opts.timeoutS ?? 5}`, '-o', 'PreferredAuthentications=password,keyboard-interactive',
    '-o', 'PubkeyAuthentication=no', '-p', String(u.port), `${PI_USER}@${u.ip}`, '--', ...remote
  ]
  return u.netns ? ['ip', 'netns', 'exec', u.netns, ...ssh] : ssh
}

export async function sshRun(u: Pick<UnitState, 'ip' | 'port' | 'netns'>, remote: string[], timeoutMs = 60_000) {
  const argv = sshArgv(u, remote)
  return run(argv[0]!, argv.slice(1), { allowFail: true, timeoutMs })
}

/** Wait until the unit's sshd lets pi log in. */
export async function waitSsh(u: UnitState, timeoutMs: number): Promise<void> {
  const t0 = Date.now()
  let last = ''
  while (Date.now() - t0 < timeoutMs) {
    if (u.kind === 'full' && u.pid && !isAlive(u.pid)) {
      throw new Error(`QEMU for ${u.name} exited: ${fs.readFileSync(vmFiles(u.dir).qemuLog, 'utf8').slice(-1500)}`)
    }
    const r = await sshRun(u, ['true'], 15_000)
    if (r.code === 0) return
    last = r.stderr.trim()
    await sleep(1000)
  }
  throw new Error(`${u.name}: SSH did not answer within ${secs(timeoutMs)} (${last})`)
}

/** Wait until the guest agent answers and sshd and avahi are up (no network needed). */
export async function waitGuestReady(qgaPath: string, pid: number, timeoutMs: number): Promise<void> {
  const t0 = Date.now()
  while (Date.now() - t0 < timeoutMs) {
    if (!isAlive(pid)) throw new Error('QEMU exited while booting')
    try {
      await qga(qgaPath, 'guest-ping', {}, 3000)
      const r = await guestExec(qgaPath, '/bin/systemctl', ['is-active', 'ssh.service', 'avahi-daemon.service'], 20_000)
      if (r.code === 0) return
    } catch {
      /* not yet */
    }
    await sleep(1000)
  }
  throw new Error(`guest not ready within ${secs(timeoutMs)}`)
}

/**
 * Script run in a restored guest, once `renewLease` has given it its MAC and so its own DHCP lease:
 * its own clock, host keys (made on the host, where it is fast), machine-id and DMI serial.
 */
const REIDENTIFY = `set -e
SERIAL="$2"; NOW="$3"; KEYS="$4"
date -u -s "@$NOW" >/dev/null
rm -f /etc/ssh/ssh_host_*
printf '%s' "$KEYS" | base64 -d | tar -xzf - --no-same-permissions -C /etc/ssh
chmod 0755 /etc/ssh; chmod 0600 /etc/ssh/ssh_host_*_key; chmod 0644 /etc/ssh/ssh_host_*_key.pub
tr -d '-' < /proc/sys/kernel/random/uuid > /etc/machine-id
printf '%s\\n' "$SERIAL" > /run/lab-dmi-serial
chmod 0444 /run/lab-dmi-serial
if [ -e /sys/class/dmi/id/product_serial ]; then
  umount /sys/class/dmi/id/product_serial 2>/dev/null || true
  mount --bind /run/lab-dmi-serial /sys/class/dmi/id/product_serial
fi
systemctl restart systemd-journald.service ssh.service avahi-daemon.service
`

/**
 * Give the guest's eth0 its MAC (restored Pis) and a fresh DHCP client. networkd is restarted rather
 * than told to reconfigure: the restored networkd reacts to the MAC change on its own, and a
 * `networkctl reconfigure` overlapping that leaves systemd 252's DHCP address stuck "removing"
 * (lease acquired, no address on eth0), so SSH never answered and `up`/`reset` waited 15 minutes.
 * A fresh networkd also drops the old address, as a Pi that rejoins the LAN does.
 */
const RENEW_LEASE = `set -e
MAC="$1"
systemctl stop systemd-networkd.service
ip link set dev eth0 down
ip addr flush dev eth0
[ -z "$MAC" ] || ip link set dev eth0 address "$MAC"
rm -f /run/systemd/netif/leases/*
systemctl start systemd-networkd.service
`

/** Fresh host keys for a unit, made on the host: a gzipped tar, base64. */
async function hostKeysTar(): Promise<string> {
  const dir = fs.mkdtempSync(join(tmpdir(), 'edgedock-lab-keys-'))
  try {
    await Promise.all(['rsa', 'ecdsa', 'ed25519'].map((t) =>
      run('ssh-keygen', ['-q', '-t', t, '-N', '', '-C', 'root@raspberrypi', '-f', join(dir, `ssh_host_${t}_key`)])))
    const r = await run('tar', ['-czf', '-', '--owner=0', '--group=0', '-C', dir, ...fs.readdirSync(dir)], { encoding: 'buffer' })
    return r.buf!.toString('base64')
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

export async function reidentify(u: UnitState): Promise<void> {
  // The MAC first: avahi, restarted below, names the Pi's _workstation service after it.
  await renewLease(u, u.mac)
  const keys = await hostKeysTar()
  const r = await guestExec(u.qga!, '/bin/sh', ['-c', REIDENTIFY, 'reidentify', u.mac, u.serial, String(Math.floor(Date.now() / 1000)), keys], 120_000)
  if (r.code !== 0) throw new Error(`${u.name}: re-identifying the restored Pi failed: ${r.stderr || r.stdout}`)
}

/**
 * A new DHCP lease for the guest (optionally with a new MAC first). With --net ns, resolves once eth0
 * holds exactly the unit's address; a DHCP client that stalls is restarted once, then it fails
 * saying so, instead of leaving the caller waiting for SSH.
 */
export async function renewLease(u: UnitState, mac = ''): Promise<void> {
  const r = await guestExec(u.qga!, '/bin/sh', ['-c', RENEW_LEASE, 'renew-lease', mac], 60_000)
  if (r.code !== 0) throw new Error(`${u.name}: restarting the DHCP client failed: ${r.stderr || r.stdout}`)
  if (u.net !== 'ns') return
  const t0 = Date.now()
  let restarted = false
  let last = ''
  while (Date.now() - t0 < 60_000) {
    const a = await guestExec(u.qga!, '/sbin/ip', ['-4', '-o', 'addr', 'show', 'dev', 'eth0'], 20_000)
    const addrs = [...a.stdout.matchAll(/inet (\d+\.\d+\.\d+\.\d+)\//g)].map((m) => m[1])
    last = addrs.join(', ') || 'none'
    if (addrs.length === 1 && addrs[0] === u.ip) return
    if (!restarted && Date.now() - t0 > 25_000) {
      restarted = true
      log(`${u.name}: no lease for ${u.ip} after 25 s (eth0 has ${last}); restarting its DHCP client`)
      await guestExec(u.qga!, '/bin/sh', ['-c', RENEW_LEASE, 'renew-lease', ''], 60_000)
    }
    await sleep(500)
  }
  throw new Error(`${u.name}: the guest did not take its DHCP lease ${u.ip} within 60 s (eth0 has ${last})`)
}

/** --net user after a restore: forward 127.0.0.1:port to the guest's (new) slirp address. */
async function forwardSsh(u: UnitState): Promise<void> {
  let ip = ''
  for (let i = 0; i < 60 && !ip; i++) {
    const ifs = (await qga(u.qga!, 'guest-network-get-interfaces', {}, 10_000)) as { name: string; 'ip-addresses'?: { 'ip-address-type': string; 'ip-address': string }[] }[]
    ip = ifs.find((x) => x.name === 'eth0')?.['ip-addresses']?.find((a) => a['ip-address-type'] === 'ipv4')?.['ip-address'] ?? ''
    if (!ip) await sleep(500)
  }
  if (!ip) throw new Error(`${u.name}: no address after restore`)
  const out = await hmp(u.qmp!, `hostfwd_add n0 tcp:127.0.0.1:${u.port}-${ip}:22`)
  if (out.trim()) throw new Error(`${u.name}: hostfwd_add: ${out.trim()}`)
}

export interface Timings {
  /** last cold boot to SSH (power-on, cold up, measure) */
  coldMs?: number
  /** the snapshot template's boot to sshd+avahi running (no SSH login) */
  templateBootMs?: number
  restoreMs?: number
  /** what `lab measure` found faster here, side by side on the same machine state */
  winner?: 'cold' | 'snapshot'
  measured?: { coldMs: number; restoreMs: number; at: string }
  measuredAt?: string
}

function timingsPath(image: ImageInfo): string {
  return join(image.dir, 'timings.json')
}
export function readTimings(image: ImageInfo): Timings {
  try {
    return JSON.parse(fs.readFileSync(timingsPath(image), 'utf8')) as Timings
  } catch {
    return {}
  }
}
export function writeTimings(image: ImageInfo, t: Timings): void {
  fs.writeFileSync(timingsPath(image), JSON.stringify({ ...readTimings(image), ...t, measuredAt: new Date().toISOString() }, null, 2))
}

/**
 * One template per network backend (QEMU saves slirp's state with the VM, so they do not mix) and
 * per memory size (a snapshot restores only into a VM of the size it was taken in).
 */
export function templatePath(image: ImageInfo, net: 'ns' | 'user'): string {
  return join(image.dir, `template-${net}-${VM_MEMORY_MIB}m.qcow2`)
}

/**
 * The booted-snapshot template for an image: a qcow2 overlay holding an internal snapshot "ready"
 * of a Pi booted to sshd + avahi. Made once per image (a cold boot, whose time is recorded).
 */
export async function ensureTemplate(image: ImageInfo, net: 'ns' | 'user'): Promise<string> {
  const path = templatePath(image, net)
  if (fs.existsSync(path)) return path
  const dir = join(image.dir, `template-${process.pid}`)
  fs.rmSync(dir, { recursive: true, force: true })
  fs.mkdirSync(dir, { recursive: true })
  const f = vmFiles(dir)
  runSync('qemu-img', ['create', '-q', '-f', 'qcow2', '-F', 'qcow2', '-b', image.base, f.disk])
  const u = { name: `tmpl${process.pid % 10000}`, arch: image.arch, mac: 'dc:a6:32:ff:ff:fe', serial: '10000000ffffffff', model: 'Raspberry Pi 4 Model B Rev 1.4', net, port: 0, dir }
  const logFd = fs.openSync(f.qemuLog, 'a')
  const t0 = Date.now()
  log(`booting the snapshot template for --net ${net} (one cold boot per image)`)
  let pid: number
  if (net === 'ns') {
    // a tap of its own in the lab namespace, on no bridge: the template needs no network
    const tap = tapName(u as unknown as UnitState)
    ipNs(labNetns(), ['tuntap', 'add', 'dev', tap, 'mode', 'tap'])
    ipNs(labNetns(), ['link', 'set', tap, 'up'])
    pid = spawnDetached('ip', ['netns', 'exec', labNetns(), qemuBinary(image.arch), ...qemuArgs(u, image, { netdev: 'tap', tap })], logFd)
  } else {
    pid = spawnDetached(qemuBinary(image.arch), qemuArgs(u, image, { netdev: 'none' }), logFd)
  }
  fs.closeSync(logFd)
  try {
    await waitFor(f.qmp, 20_000)
    await waitGuestReady(f.qga, pid, 15 * 60_000)
    const coldMs = Date.now() - t0
    log(`template booted cold in ${secs(coldMs)}; saving its state`)
    await guestExec(f.qga, '/bin/sh', ['-c', 'sync; echo 3 > /proc/sys/vm/drop_caches'], 60_000)
    await qmp(f.qmp, 'stop')
    const out = await hmp(f.qmp, 'savevm ready')
    if (out.trim()) throw new Error(`savevm: ${out}`)
    await qmp(f.qmp, 'quit').catch(() => {})
    for (let i = 0; i < 100 && isAlive(pid); i++) await sleep(100)
    writeTimings(image, { templateBootMs: coldMs })
    fs.chmodSync(f.disk, 0o444)
    fs.renameSync(f.disk, path)
    return path
  } finally {
    if (isAlive(pid)) process.kill(pid, 'SIGKILL')
    await waitDead(pid)
    if (net === 'ns') ipNs(labNetns(), ['link', 'del', tapName(u as unknown as UnitState)], true)
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

/** Make a unit's disk: a fresh overlay of the base image, or a copy of the booted template. */
export function makeDisk(u: UnitState, image: ImageInfo, mode: BootMode): void {
  const f = vmFiles(u.dir)
  fs.rmSync(f.disk, { force: true })
  if (mode === 'snapshot') {
    fs.copyFileSync(templatePath(image, u.net), f.disk)
    fs.chmodSync(f.disk, 0o644)
  } else {
    runSync('qemu-img', ['create', '-q', '-f', 'qcow2', '-F', 'qcow2', '-b', image.base, f.disk])
  }
}

/** Boot (or restore) a unit whose disk exists, until SSH answers. */
export async function bootUnit(u: UnitState, image: ImageInfo, mode: BootMode, timeoutMs = 15 * 60_000): Promise<number> {
  const t0 = Date.now()
  const phase = (what: string) => {
    if (process.env.EDGEDOCK_LAB_VERBOSE) log(`${u.name}: ${what} at ${secs(Date.now() - t0)}`)
  }
  await launch(u, image, { loadvm: mode === 'snapshot' })
  phase('QEMU started')
  if (mode === 'snapshot') {
    await waitGuestReady(u.qga!, u.pid!, 120_000)
    phase('guest agent answers')
    await reidentify(u)
    phase('re-identified')
    if (u.net === 'user') await forwardSsh(u)
  }
  await waitSsh(u, timeoutMs)
  phase('SSH answers')
  const ms = Date.now() - t0
  u.bootMs = ms
  u.bootMode = mode
  writeTimings(image, mode === 'snapshot' ? { restoreMs: ms } : { coldMs: ms })
  return ms
}

export function killUnit(u: UnitState): void {
  if (u.pid && isAlive(u.pid) && procCmdline(u.pid).includes(u.dir)) {
    try {
      process.kill(u.pid, 'SIGKILL')
    } catch {
      /* gone */
    }
  }
  u.powered = false
}

export async function waitDead(pid: number | undefined, ms = 10_000): Promise<void> {
  const t0 = Date.now()
  while (pid && isAlive(pid) && Date.now() - t0 < ms) await sleep(50)
}

/**
 * Processes of this lab whatever the state says (leftovers of a crashed run): QEMU, light Pis'
 * namespace inits and dnsmasq all carry a path under the state dir on their command line.
 */
export function strayPids(stateDirPath: string): number[] {
  const out: number[] = []
  for (const e of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(e) || Number(e) === process.pid || Number(e) === process.ppid) continue
    const cl = procCmdline(Number(e))
    if (!cl.includes(`${stateDirPath}/`)) continue
    if (/qemu-system|unshare |dnsmasq /.test(cl) && isAlive(Number(e))) out.push(Number(e))
  }
  return out
}
