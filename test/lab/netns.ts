// The lab's private LAN: a network namespace with a bridge (10.77.0.1/24), dnsmasq with fixed
// leases per MAC, and one port per unit (a tap for a full Pi, a veth for a light one).
// Nothing here touches the host's own (root) namespace except creating/deleting namespaces.
import * as fs from 'node:fs'
import { join } from 'node:path'
import { BRIDGE, GATEWAY, labNetns, stateDir, SUBNET_PREFIX } from './config'
import type { LabState, UnitState } from './state'
import { isAlive, procCmdline, runSync, sleep, spawnDetached } from './util'

export function netnsExists(name: string): boolean {
  return fs.existsSync(`/run/netns/${name}`)
}

export function listLabNetns(): string[] {
  if (!fs.existsSync('/run/netns')) return []
  const p = labNetns()
  return fs.readdirSync('/run/netns').filter((n) => n === p || n.startsWith(`${p}-`))
}

export function ipNs(ns: string, args: string[], allowFail = false): string {
  return runSync('ip', ['-n', ns, ...args], { allowFail }).stdout
}

export function nsExec(ns: string, cmd: string, args: string[], allowFail = false) {
  return runSync('ip', ['netns', 'exec', ns, cmd, ...args], { allowFail })
}

function dhcpHostsFile(): string {
  return join(stateDir(), 'dhcp-hosts')
}

/** Create the lab namespace, bridge and dnsmasq if they are not there. */
export async function ensureLabNet(state: LabState): Promise<void> {
  const ns = labNetns()
  if (!netnsExists(ns)) {
    runSync('ip', ['netns', 'add', ns])
  }
  ipNs(ns, ['link', 'set', 'lo', 'up'])
  if (!ipNs(ns, ['link', 'show', BRIDGE], true).includes(BRIDGE)) {
    ipNs(ns, ['link', 'add', BRIDGE, 'type', 'bridge', 'stp_state', '0', 'forward_delay', '0'])
    ipNs(ns, ['addr', 'add', `${GATEWAY}/24`, 'dev', BRIDGE])
    ipNs(ns, ['link', 'set', BRIDGE, 'up'])
  }
  // The lab LAN is a dead end: nothing is forwarded anywhere (the namespace has no uplink either).
  nsExec(ns, 'sysctl', ['-q', '-w', 'net.ipv4.ip_forward=0'], true)
  state.netns = ns
  if (!fs.existsSync(dhcpHostsFile())) fs.writeFileSync(dhcpHostsFile(), '')
  if (!dnsmasqAlive(state)) {
    const logFd = fs.openSync(join(stateDir(), 'dnsmasq.log'), 'a')
    const pid = spawnDetached('ip', [
      'netns', 'exec', ns, 'dnsmasq', '--keep-in-foreground', '--conf-file=/dev/null', `--interface=${BRIDGE}`,
      '--bind-interfaces', '--except-interface=lo', `--dhcp-range=${SUBNET_PREFIX}.10,${SUBNET_PREFIX}.99,255.255.255.0,12h`,
      `--dhcp-hostsfile=${dhcpHostsFile()}`, `--dhcp-leasefile=${join(stateDir(), 'dnsmasq.leases')}`,
      '--dhcp-authoritative', '--no-resolv', '--no-hosts', '--domain=lab', '--local=/lab/', '--user=root', '--group=root',
      '--log-dhcp', `--log-facility=-`, `--pid-file=${join(stateDir(), 'dnsmasq.pid')}`
    ], logFd)
    fs.closeSync(logFd)
    state.dnsmasqPid = pid
    await sleep(300)
    if (!isAlive(pid)) throw new Error(`dnsmasq did not start: see ${join(stateDir(), 'dnsmasq.log')}`)
  }
}

function dnsmasqAlive(state: LabState): boolean {
  return !!state.dnsmasqPid && isAlive(state.dnsmasqPid) && procCmdline(state.dnsmasqPid).includes('dnsmasq')
}

/** Rewrite dnsmasq's fixed leases from the state's full units and make it re-read them. */
export function writeDhcpHosts(state: LabState): void {
  const lines = state.units
    .filter((u) => u.kind === 'full' && u.net === 'ns')
    .map((u) => `${u.mac},${u.ip},12h`) // no name: the Pi keeps its own hostname
  fs.mkdirSync(stateDir(), { recursive: true })
  fs.writeFileSync(dhcpHostsFile(), lines.join('\n') + (lines.length ? '\n' : ''))
  if (dnsmasqAlive(state)) process.kill(state.dnsmasqPid!, 'SIGHUP')
}

/** Forget a MAC's current lease (dnsmasq keeps leases on SIGHUP; a stale one would win). */
export function dropLease(mac: string): void {
  const f = join(stateDir(), 'dnsmasq.leases')
  if (!fs.existsSync(f)) return
  const kept = fs.readFileSync(f, 'utf8').split('\n').filter((l) => l && !l.includes(` ${mac} `))
  fs.writeFileSync(f, kept.join('\n') + (kept.length ? '\n' : ''))
}

export function tapName(unit: UnitState): string {
  return `tap-${unit.name}`.slice(0, 15)
}

export function addTap(unit: UnitState): void {
  const ns = labNetns()
  const tap = tapName(unit)
  if (ipNs(ns, ['link', 'show', tap], true).includes(tap)) ipNs(ns, ['link', 'del', tap], true)
  ipNs(ns, ['tuntap', 'add', 'dev', tap, 'mode', 'tap'])
  ipNs(ns, ['link', 'set', tap, 'master', BRIDGE])
  ipNs(ns, ['link', 'set', tap, 'up'])
}

export function delTap(unit: UnitState): void {
  if (netnsExists(labNetns())) ipNs(labNetns(), ['link', 'del', tapName(unit)], true)
}

/** Remove every namespace the lab made (taps and veths go with them) and stop dnsmasq. */
export function destroyLabNet(state: LabState | undefined): void {
  if (state?.dnsmasqPid && dnsmasqAlive(state)) {
    try {
      process.kill(state.dnsmasqPid, 'SIGKILL')
    } catch {
      /* gone */
    }
  }
  // a dnsmasq left by a crashed run whose state was lost: find it by its pid file
  const pidFile = join(stateDir(), 'dnsmasq.pid')
  if (fs.existsSync(pidFile)) {
    const pid = Number(fs.readFileSync(pidFile, 'utf8'))
    if (pid && isAlive(pid) && procCmdline(pid).includes(dhcpHostsFile())) {
      try {
        process.kill(pid, 'SIGKILL')
      } catch {
        /* gone */
      }
    }
    fs.rmSync(pidFile, { force: true })
  }
  for (const ns of listLabNetns()) runSync('ip', ['netns', 'del', ns], { allowFail: true })
  fs.rmSync(dhcpHostsFile(), { force: true })
  fs.rmSync(join(stateDir(), 'dnsmasq.leases'), { force: true })
}

/** Processes still running inside a namespace (by `ip netns pids`). */
export function netnsPids(ns: string): number[] {
  const r = runSync('ip', ['netns', 'pids', ns], { allowFail: true })
  return r.stdout.split(/\s+/).filter(Boolean).map(Number)
}
