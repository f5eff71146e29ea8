// Light Pis: one network namespace per unit (a veth with a Pi MAC into the lab bridge), a real
// OpenSSH server and avahi-daemon as mDNS responder, in a mount + UTS + PID namespace that gives
// them user pi, hostname raspberrypi and a Pi identity in /proc/cpuinfo and /sys/firmware/devicetree.
// They share the host's kernel and (except /home, /opt, /tmp, /etc identity files) its filesystem.
import * as fs from 'node:fs'
import { join } from 'node:path'
import { BRIDGE, GATEWAY, labNetns, PI_HOSTNAME, PI_PASSWORD_HASH } from './config'
import { ipNs, netnsExists } from './netns'
import type { UnitState } from './state'
import { isAlive, procCmdline, run, runSync, spawnDetached, which } from './util'

/** The light Pi's mDNS name (raspberrypi-101, -102, ...: clear of the full Pis' raspberrypi, -2, ...). */
export function mdnsName(u: Pick<UnitState, 'index'>): string {
  return `${PI_HOSTNAME}-${100 + u.index}`
}

export function lightNetns(u: Pick<UnitState, 'name'>): string {
  return `${labNetns()}-${u.name}`
}
function vethName(u: Pick<UnitState, 'name'>): string {
  return `v-${u.name}`.slice(0, 15)
}

export function lightPrereqs(): string | undefined {
  for (const t of ['sshd', 'avahi-daemon', 'unshare', 'ssh-keygen']) {
    const p = t === 'sshd' ? (fs.existsSync('/usr/sbin/sshd') ? '/usr/sbin/sshd' : which(t)) : which(t) ?? (fs.existsSync(`/usr/sbin/${t}`) ? t : undefined)
    if (!p) return `light Pis need ${t} on the host (openssh-server, avahi-daemon, util-linux)`
  }
  return undefined
}

function freeUid(passwd: string): number {
  const used = new Set(passwd.split('\n').map((l) => Number(l.split(':')[2])))
  for (let uid = 1000; ; uid++) if (!used.has(uid)) return uid
}

/** Write the unit's private /etc files, keys, home and identity (done again by `reset`). */
export async function prepareLight(u: UnitState, fresh: boolean): Promise<void> {
  const d = u.dir
  if (fresh) fs.rmSync(d, { recursive: true, force: true })
  fs.rmSync(join(d, 'etc-work'), { recursive: true, force: true })
  for (const s of ['etc', 'etc/ssh', 'etc/avahi/services', 'etc/sudoers.d', 'home/pi', 'opt', 'tmp', 'firmware/devicetree/base', 'run']) {
    fs.mkdirSync(join(d, s), { recursive: true })
  }
  const passwd = fs.readFileSync('/etc/passwd', 'utf8').trimEnd()
  const group = fs.readFileSync('/etc/group', 'utf8').trimEnd()
  const shadow = fs.existsSync('/etc/shadow') ? fs.readFileSync('/etc/shadow', 'utf8').trimEnd() : ''
  const uid = freeUid(passwd + '\n' + group.replace(/^([^:]*):[^:]*:(\d+):.*$/gm, 'x:x:$2'))
  const piGroups = new Set(['adm', 'sudo', 'systemd-journal', 'dialout', 'video', 'plugdev', 'users', 'netdev'])
  const groupLines = group.split('\n').map((l) => {
    const [name, x, gid, members] = l.split(':')
    if (!name || !piGroups.has(name)) return l
    const m = (members ?? '').split(',').filter(Boolean)
    return [name, x, gid, [...m, 'pi'].join(',')].join(':')
  })
  fs.writeFileSync(join(d, 'etc/passwd'), `${passwd.split('\n').filter((l) => !l.startsWith('pi:')).join('\n')}\npi:x:${uid}:${uid}:,,,:/home/pi:/bin/bash\n`)
  fs.writeFileSync(join(d, 'etc/group'), `${groupLines.filter((l) => !l.startsWith('pi:')).join('\n')}\npi:x:${uid}:\n`)
  fs.writeFileSync(join(d, 'etc/shadow'), `${shadow.split('\n').filter((l) => l && !l.startsWith('pi:')).join('\n')}\npi:${PI_PASSWORD_HASH}:20000:0:99999:7:::\n`, { mode: 0o640 })
  fs.writeFileSync(join(d, 'etc/hostname'), `${PI_HOSTNAME}\n`)
  fs.writeFileSync(join(d, 'etc/hosts'), `127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n\n127.0.1.1\t\t${PI_HOSTNAME}\n`)
  fs.writeFileSync(join(d, 'etc/sudoers.d/010_pi-nopasswd'), 'pi ALL=(ALL) NOPASSWD: ALL\n', { mode: 0o440 })
  fs.chownSync(join(d, 'home/pi'), uid, uid)
  fs.chmodSync(join(d, 'tmp'), 0o1777)
  // sshd: own host keys (new ones on reset), password login for pi
  const keys = ['ed25519', 'ecdsa']
  await Promise.all(keys.map(async (t) => {
    const k = join(d, `etc/ssh/ssh_host_${t}_key`)
    if (!fs.existsSync(k)) await run('ssh-keygen', ['-q', '-t', t, '-N', '', '-C', `root@${PI_HOSTNAME}`, '-f', k])
  }))
  fs.writeFileSync(join(d, 'etc/ssh/sshd_config'), [
    'Port 22', 'ListenAddress 0.0.0.0', ...keys.map((t) => `HostKey /etc/ssh/ssh_host_${t}_key`),
    'PasswordAuthentication yes', 'KbdInteractiveAuthentication no', 'UsePAM no', 'PermitRootLogin no',
    'PidFile /run/sshd.pid', 'Subsystem sftp internal-sftp', 'PrintMotd no', 'AcceptEnv LANG LC_*',
    'MaxStartups 100:30:200', 'MaxSessions 50', ''
  ].join('\n'))
  fs.writeFileSync(join(d, 'etc/avahi/avahi-daemon.conf'), [
    // Forty "raspberrypi"s would take avahi minutes of conflict rounds to sort out; each light Pi
    // announces the name avahi would end up giving it (the kernel hostname stays raspberrypi).
    '[server]', `host-name=${mdnsName(u)}`, 'use-ipv4=yes', 'use-ipv6=no', 'allow-interfaces=eth0', 'enable-dbus=no',
    'ratelimit-interval-usec=1000000', 'ratelimit-burst=1000', '', '[wide-area]', 'enable-wide-area=no', '',
    '[publish]', 'publish-workstation=yes', 'publish-hinfo=no', 'publish-addresses=yes', '', '[reflector]', '', '[rlimits]', ''
  ].join('\n'))
  fs.writeFileSync(join(d, 'etc/avahi/services/ssh.service'),
    '<?xml version="1.0" standalone=\'no\'?>\n<!DOCTYPE service-group SYSTEM "avahi-service.dtd">\n<service-group>\n  <name replace-wildcards="yes">%h</name>\n  <service>\n    <type>_ssh._tcp</type>\n    <port>22</port>\n  </service>\n</service-group>\n')
  // a Pi's identity where programs look for it
  fs.writeFileSync(join(d, 'firmware/devicetree/base/model'), `${u.model}\0`)
  fs.writeFileSync(join(d, 'firmware/devicetree/base/serial-number'), `${u.serial}\0`)
  fs.writeFileSync(join(d, 'firmware/devicetree/base/compatible'), 'raspberrypi,4-model-b\0brcm,bcm2711\0')
  const cpuinfo = fs.readFileSync('/proc/cpuinfo', 'utf8').trimEnd()
  fs.writeFileSync(join(d, 'cpuinfo'), `${cpuinfo}\n\nHardware\t: BCM2835\nRevision\t: c03114\nSerial\t\t: ${u.serial}\nModel\t\t: ${u.model}\n`)
  fs.writeFileSync(join(d, 'etc/rpi-issue'), 'Raspberry Pi reference (EdgeDock lab light Pi: a namespace, not a VM)\n')
  fs.writeFileSync(join(d, 'init.sh'), initScript(u))
}

function initScript(u: UnitState): string {
  const d = u.dir
  const bind = (src: string, dst: string) => `mount --bind ${d}/${src} ${dst}`
  return `#!/bin/bash
# Light Pi ${u.name}: runs as PID 1 of its own PID namespace, inside its own mount and UTS namespaces.
# /etc is an overlay: the host's /etc below, the unit's passwd, shadow, group, hostname, hosts, ssh,
# avahi and sudoers.d on top (binding single files would not survive the host replacing them, as
# useradd does).
set -e
hostname ${PI_HOSTNAME}
mkdir -p ${d}/etc-work
mount -t overlay lab-etc -o lowerdir=/etc,upperdir=${d}/etc,workdir=${d}/etc-work /etc
${bind('home', '/home')}
${bind('opt', '/opt')}
${bind('tmp', '/tmp')}
${bind('firmware', '/sys/firmware')}
${bind('cpuinfo', '/proc/cpuinfo')}
mount -t tmpfs -o mode=0755 lab-run /run
mkdir -p /run/sshd /run/avahi-daemon
chmod 0755 /run/sshd
avahi-daemon --no-chroot --no-drop-root --no-rlimits -f /etc/avahi/avahi-daemon.conf &
exec /usr/sbin/sshd -D -e -f /etc/ssh/sshd_config
`
}

/** Namespace, veth into the lab bridge (bridge side in the lab namespace), address, default route. */
export function plumbLight(u: UnitState): void {
  const ns = lightNetns(u)
  const lab = labNetns()
  if (!netnsExists(ns)) runSync('ip', ['netns', 'add', ns])
  u.ownNetns = ns
  const v = vethName(u)
  ipNs(lab, ['link', 'del', v], true)
  ipNs(lab, ['link', 'add', v, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns])
  ipNs(lab, ['link', 'set', v, 'master', BRIDGE])
  ipNs(lab, ['link', 'set', v, 'up'])
  ipNs(ns, ['link', 'set', 'lo', 'up'])
  ipNs(ns, ['link', 'set', 'eth0', 'address', u.mac])
  ipNs(ns, ['addr', 'add', `${u.ip}/24`, 'dev', 'eth0'])
  ipNs(ns, ['link', 'set', 'eth0', 'up'])
  ipNs(ns, ['route', 'add', 'default', 'via', GATEWAY], true)
}

/** Start the unit's sshd + avahi (its "power on"). */
export function startLight(u: UnitState): number {
  const logFd = fs.openSync(join(u.dir, 'unit.log'), 'a')
  const pid = spawnDetached('ip', [
    'netns', 'exec', lightNetns(u), 'unshare', '--mount', '--uts', '--pid', '--fork', '--kill-child', '--mount-proc',
    '--propagation', 'private', 'bash', join(u.dir, 'init.sh')
  ], logFd)
  fs.closeSync(logFd)
  u.pid = pid
  u.powered = true
  return pid
}

export function killLight(u: UnitState): void {
  if (u.pid && isAlive(u.pid) && procCmdline(u.pid).includes(u.dir)) {
    try {
      process.kill(-u.pid, 'SIGKILL')
    } catch {
      try {
        process.kill(u.pid, 'SIGKILL')
      } catch {
        /* gone */
      }
    }
  }
  u.powered = false
}

/**
 * The unit's own network interface on or off: with the power cut, nothing may answer at its address
 * (its kernel would otherwise still refuse connections with RST, which a switched-off Pi never does).
 */
export function setLightNic(u: UnitState, on: boolean): void {
  const ns = lightNetns(u)
  ipNs(ns, ['link', 'set', 'eth0', on ? 'up' : 'down'])
  if (on) ipNs(ns, ['route', 'replace', 'default', 'via', GATEWAY], true)
}

export function setLightLink(u: UnitState, up: boolean): void {
  ipNs(labNetns(), ['link', 'set', vethName(u), up ? 'up' : 'down'])
  u.link = up ? 'up' : 'down'
}

/**
 * Move the unit to another address: the old one goes first. (Added first, the new address would be a
 * secondary of the same /24, and deleting the primary deletes its secondaries too: namespaces do not
 * promote them. The unit was left with no address at all.)
 */
export function setLightIp(u: UnitState, ip: string): void {
  const ns = lightNetns(u)
  if (ip !== u.ip) ipNs(ns, ['addr', 'del', `${u.ip}/24`, 'dev', 'eth0'], true)
  ipNs(ns, ['addr', 'replace', `${ip}/24`, 'dev', 'eth0'])
  ipNs(ns, ['route', 'replace', 'default', 'via', GATEWAY])
  u.ip = ip
}

/** Rate/delay/loss both ways: on the bridge port (towards the unit) and on the unit's eth0 (from it). */
export function shapeLight(u: UnitState, shape: { rate?: string; delay?: string; loss?: string } | undefined): void {
  const sides: [string, string][] = [[labNetns(), vethName(u)], [lightNetns(u), 'eth0']]
  for (const [ns, dev] of sides) {
    runSync('ip', ['netns', 'exec', ns, 'tc', 'qdisc', 'del', 'dev', dev, 'root'], { allowFail: true })
    if (!shape) continue
    const netem = ['netem', ...(shape.rate ? ['rate', shape.rate] : []), ...(shape.delay ? ['delay', shape.delay] : []), ...(shape.loss ? ['loss', shape.loss] : [])]
    const r = runSync('ip', ['netns', 'exec', ns, 'tc', 'qdisc', 'replace', 'dev', dev, 'root', ...netem], { allowFail: true })
    if (r.code === 0) continue
    // No netem in this kernel: a rate can still be had with tbf; delay and loss cannot.
    if (shape.delay || shape.loss || !shape.rate) {
      throw new Error(`this host's kernel has no netem (tc: ${r.stderr.trim()}): light Pis can only be rate-limited here; use a full Pi for delay/loss`)
    }
    runSync('ip', ['netns', 'exec', ns, 'tc', 'qdisc', 'replace', 'dev', dev, 'root', 'tbf', 'rate', shape.rate, 'burst', '32kb', 'latency', '400ms'])
  }
}
