// A simulated Debian bookworm unit for provisioning tests. It interprets the exact argv commands the
// steps send (as a real unit would receive them), keeps an in-memory system state, and records every
// command, so tests can prove what a run did and did not touch. Commands it does not know answer
// like a shell would (exit 127) rather than being guessed at.
import type { RemoteShell, RunOptions, RunResult } from '../../../../../src/main/core/provision'

const HOME = '/home/pi'
const SSHD_KEYWORDS = new Set(['include', 'passwordauthentication', 'kbdinteractiveauthentication', 'permitrootlogin', 'usepam', 'x11forwarding', 'printmotd', 'acceptenv', 'subsystem', 'pubkeyauthentication'])
const ZONES = new Set(['Etc/UTC', 'Europe/Berlin', 'Europe/London', 'Europe/Paris', 'Asia/Shanghai', 'America/New_York'])
const LIST_GOVERNORS_MARK = 'scaling_governor'

export interface FakeOptions {
  hostname?: string
  wifi?: boolean
  networkManager?: boolean
  /** `locales` package present: localedef can generate new locales. */
  localeSources?: boolean
  /** CPUs with cpufreq (none on a virtual machine). */
  cpus?: number
  /** Reconnect attempts that fail after a reboot before the unit answers (Infinity: never back). */
  downForAttempts?: number
  delayMs?: number
  /** A hostname something on the unit puts back at boot (what a lost /etc/hostname write looks like). */
  bootHostname?: string
}

export interface RecordedCommand {
  argv: string[]
  sudo: boolean
  stdin?: string
  code: number
  mutating: boolean
}

type Service = 'active' | 'inactive' | 'failed'

function ok(stdout = ''): RunResult {
  return { code: 0, stdout, stderr: '' }
}
function err(code: number, stderr: string): RunResult {
  return { code, stdout: '', stderr }
}

/** Read-only commands by shape; anything else counts as a change attempt (conservative). */
export function isReadOnly(argv: readonly string[]): boolean {
  const [cmd, ...rest] = argv
  const a = rest.join(' ')
  switch (cmd) {
    case 'cat':
    case 'test':
    case 'hostname':
    case 'journalctl':
    case 'curl':
      return true
    case 'locale':
      return a === '-a'
    case 'timedatectl':
      return rest[0] === 'show'
    case 'sshd':
      return a === '-T' || a === '-t'
    case 'systemctl':
      return rest[0] === 'is-active' || rest[0] === 'is-enabled'
    case 'nmcli':
      return a === '-t -f TYPE device' || (rest.includes('connection') && rest.includes('show'))
    case 'sh':
      return rest[0] === '-c' && (rest[1] ?? '').includes(LIST_GOVERNORS_MARK) && !(rest[1] ?? '').includes('>')
    default:
      return false
  }
}

export class FakeDevice implements RemoteShell {
  readonly commands: RecordedCommand[] = []
  readonly files = new Map<string, string>()
  readonly dirs = new Set<string>(['/etc', '/etc/ssh', '/etc/ssh/sshd_config.d', '/etc/default', HOME, '/opt', '/tmp'])
  hostname: string
  timezone = 'Etc/UTC'
  readonly locales = new Set(['C', 'C.utf8', 'POSIX'])
  readonly services = new Map<string, Service>([['ssh', 'active']])
  readonly connections = new Map<string, { ssid: string; psk: string }>()
  governors: string[]
  sshdLive = 'yes'
  bootId = 'boot-1'
  up = true
  reboots = 0
  reconnects = 0
  sshdReloads = 0
  restarts: string[] = []
  private downAttempts = 0
  /** Makes the next matching command fail; for failure tests. */
  failWhen: ((argv: readonly string[]) => RunResult | undefined) | null = null

  constructor(readonly opts: FakeOptions = {}) {
    this.hostname = opts.hostname ?? 'raspberrypi'
    this.files.set('/etc/hostname', `${this.hostname}\n`)
    this.files.set('/etc/hosts', `127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n\n127.0.1.1\t${this.hostname}\n`)
    this.files.set('/etc/ssh/sshd_config', 'Include /etc/ssh/sshd_config.d/*.conf\nKbdInteractiveAuthentication no\nUsePAM yes\nX11Forwarding yes\n')
    this.governors = Array.from({ length: opts.cpus ?? 0 }, () => 'ondemand')
  }

  /** Everything a technician could observe, for "nothing changed" comparisons. */
  snapshot(): string {
    return JSON.stringify({
      files: [...this.files].sort(),
      dirs: [...this.dirs].sort(),
      hostname: this.hostname,
      timezone: this.timezone,
      locales: [...this.locales].sort(),
      services: [...this.services].sort(),
      connections: [...this.connections],
      governors: this.governors,
      sshdLive: this.sshdLive,
      bootId: this.bootId
    })
  }

  mutatingCommands(): RecordedCommand[] {
    return this.commands.filter((c) => c.mutating)
  }

  async run(argv: string[], opts: RunOptions = {}): Promise<RunResult> {
    if (this.opts.delayMs) await new Promise((r) => setTimeout(r, this.opts.delayMs))
    if (!this.up) throw new Error('Not connected (the unit went away)')
    const sudo = opts.sudo ?? false
    const result = this.failWhen?.(argv) ?? this.exec(argv, sudo, opts.stdin)
    this.commands.push({ argv: [...argv], sudo, ...(opts.stdin !== undefined ? { stdin: opts.stdin } : {}), code: result.code, mutating: !isReadOnly(argv) })
    return result
  }

  async reconnect(): Promise<void> {
    this.reconnects++
    if (this.up) return
    if (this.downAttempts > 0) {
      this.downAttempts--
      throw new Error('connect ECONNREFUSED')
    }
    this.up = true
  }

  private path(p: string): string {
    return p.startsWith('/') ? p : `${HOME}/${p}`
  }

  private writable(p: string, sudo: boolean): boolean {
    return sudo || p.startsWith(`${HOME}/`)
  }

  private parent(p: string): string {
    return p.slice(0, p.lastIndexOf('/')) || '/'
  }

  private sshdEffective(): string {
    // sshd keeps the first value it reads; the Include at the top pulls drop-ins in name order.
    const dropIns = [...this.files.keys()].filter((f) => /^\/etc\/ssh\/sshd_config\.d\/[^/]+\.conf$/.test(f)).sort()
    const lines = [...dropIns.flatMap((f) => (this.files.get(f) ?? '').split('\n')), ...(this.files.get('/etc/ssh/sshd_config') ?? '').split('\n')]
    for (const line of lines) {
      const m = /^\s*PasswordAuthentication\s+(\S+)/i.exec(line)
      if (m) return (m[1] as string).toLowerCase()
    }
    return 'yes'
  }

  private sshdTest(): RunResult {
    const files = ['/etc/ssh/sshd_config', ...[...this.files.keys()].filter((f) => /^\/etc\/ssh\/sshd_config\.d\/[^/]+\.conf$/.test(f)).sort()]
    for (const f of files) {
      const lines = (this.files.get(f) ?? '').split('\n')
      for (let i = 0; i < lines.length; i++) {
        const kw = /^\s*([A-Za-z0-9]+)/.exec(lines[i] as string)?.[1]
        if (kw && !SSHD_KEYWORDS.has(kw.toLowerCase())) return err(255, `${f}: line ${i + 1}: Bad configuration option: ${kw}\n${f}: terminating, 1 bad configuration options`)
      }
    }
    return ok()
  }

  private exec(argv: readonly string[], sudo: boolean, stdin: string | undefined): RunResult {
    const [cmd, ...rest] = argv
    const denied = err(1, 'Permission denied')
    switch (cmd) {
      case 'cat': {
        const p = this.path(rest.filter((a) => a !== '--')[0] ?? '')
        if (p === '/proc/sys/kernel/random/boot_id') return ok(`${this.bootId}\n`)
        const content = this.files.get(p)
        return content === undefined ? err(1, `cat: ${rest.at(-1)}: No such file or directory`) : ok(content)
      }
      case 'hostname':
        return ok(`${this.hostname}\n`)
      case 'test': {
        const zone = /^\/usr\/share\/zoneinfo\/(.+)$/.exec(rest[1] ?? '')?.[1]
        const localeSource = /^\/usr\/share\/i18n\/locales\/[a-z]{2,3}_[A-Z]{2}$/.test(rest[1] ?? '')
        const exists = zone !== undefined ? ZONES.has(zone) : localeSource ? this.opts.localeSources === true : this.files.has(this.path(rest[1] ?? ''))
        return { code: exists ? 0 : 1, stdout: '', stderr: '' }
      }
      case 'hostnamectl': {
        if (rest[0] !== 'set-hostname' || !rest[1]) return err(1, 'Unknown command verb')
        if (!sudo) return err(1, 'Could not set static hostname: Access denied')
        this.hostname = rest[1]
        this.files.set('/etc/hostname', `${rest[1]}\n`)
        return ok()
      }
      case 'timedatectl': {
        if (rest.join(' ') === 'show --property=Timezone --value') return ok(`${this.timezone}\n`)
        if (rest[0] === 'set-timezone' && rest[1]) {
          if (!sudo) return err(1, 'Failed to set time zone: Access denied')
          if (!ZONES.has(rest[1])) return err(1, `Failed to set time zone: Invalid or not installed time zone '${rest[1]}'`)
          this.timezone = rest[1]
          return ok()
        }
        return err(1, 'Unknown command verb')
      }
      case 'locale':
        return rest[0] === '-a' ? ok([...this.locales].join('\n') + '\n') : err(1, 'locale: invalid option')
      case 'localedef': {
        if (!sudo) return err(4, 'cannot create output path: Permission denied')
        const name = rest.at(-1) as string
        const src = rest[rest.indexOf('-i') + 1]
        if (!this.opts.localeSources) return err(4, `[error] cannot open locale definition file \`${src}': No such file or directory`)
        this.locales.add(name.replace(/\.UTF-8$/, '.utf8'))
        return ok()
      }
      case 'localectl': {
        const m = /^LANG=(.+)$/.exec(rest[1] ?? '')
        if (rest[0] !== 'set-locale' || !m) return err(1, 'Unknown command verb')
        if (!sudo) return err(1, 'Failed to issue method call: Access denied')
        const lang = m[1] as string
        if (![...this.locales].some((l) => l.toLowerCase() === lang.toLowerCase().replace(/\.utf-8$/, '.utf8'))) {
          return err(1, `Failed to issue method call: Locale ${lang} not installed, refusing.`)
        }
        this.files.set('/etc/default/locale', `LANG=${lang}\n`)
        return ok()
      }
      case 'install': {
        // install -m MODE /dev/stdin PATH
        const [flag, , src, dest] = rest
        if (flag !== '-m' || src !== '/dev/stdin' || !dest || stdin === undefined) return err(1, 'install: missing operand')
        const p = this.path(dest)
        if (!this.dirs.has(this.parent(p))) return err(1, `install: cannot create regular file '${dest}': No such file or directory`)
        if (!this.writable(p, sudo)) return err(1, `install: cannot create regular file '${dest}': Permission denied`)
        this.files.set(p, stdin)
        return ok()
      }
      case 'mv': {
        const [from, to] = rest.filter((a) => !a.startsWith('-'))
        const a = this.path(from ?? '')
        const b = this.path(to ?? '')
        if (!this.writable(b, sudo)) return denied
        const content = this.files.get(a)
        if (content === undefined) return err(1, `mv: cannot stat '${from}': No such file or directory`)
        this.files.delete(a)
        this.files.set(b, content)
        return ok()
      }
      case 'rm': {
        const p = this.path(rest.filter((a) => !a.startsWith('-'))[0] ?? '')
        if (!this.writable(p, sudo)) return denied
        this.files.delete(p)
        return ok()
      }
      case 'mkdir': {
        const p = this.path(rest.filter((a, i) => !a.startsWith('-') && rest[i - 1] !== '-m')[0] ?? '')
        if (!this.writable(p, sudo)) return denied
        this.dirs.add(p)
        return ok()
      }
      case 'sshd': {
        if (!sudo) return err(1, 'sshd: no hostkeys available -- exiting.')
        if (rest[0] === '-t') return this.sshdTest()
        if (rest[0] === '-T') return ok(`port 22\nusepam yes\npasswordauthentication ${this.sshdEffective()}\npubkeyauthentication yes\n`)
        return err(1, 'sshd: illegal option')
      }
      case 'systemctl':
        return this.systemctl(rest, sudo)
      case 'journalctl':
        return ok(`-- No entries --\n`)
      case 'curl':
        return this.services.get('edgedock-inference') === 'active' ? ok('{"status":"ok"}') : err(7, 'curl: (7) Failed to connect to localhost port 8080: Connection refused')
      case 'nmcli':
        return this.nmcli(rest, sudo)
      case 'sh':
        if (rest[0] === '-c' && (rest[1] ?? '').includes(LIST_GOVERNORS_MARK)) {
          return ok(this.governors.map((g, i) => `/sys/devices/system/cpu/cpu${i}/cpufreq/scaling_governor ${g}\n`).join(''))
        }
        return err(2, 'sh: unexpected script')
      case 'tee': {
        if (!sudo) return err(1, 'tee: Permission denied')
        for (const p of rest.filter((a) => a !== '--')) {
          const i = Number(/cpu(\d+)\/cpufreq/.exec(p)?.[1] ?? NaN)
          if (!(i < this.governors.length)) return err(1, `tee: ${p}: No such file or directory`)
          this.governors[i] = (stdin ?? '').trim()
        }
        return ok(stdin)
      }
      default:
        return err(127, `bash: line 1: ${cmd}: command not found`)
    }
  }

  private systemctl(rest: readonly string[], sudo: boolean): RunResult {
    const [verb, unit = ''] = rest
    const name = unit.replace(/\.service$/, '')
    if (verb === 'is-active') {
      const s = this.services.get(name) ?? 'inactive'
      return { code: s === 'active' ? 0 : 3, stdout: `${s}\n`, stderr: '' }
    }
    if (!sudo) return err(1, 'Failed to connect to bus: Interactive authentication required.')
    if (verb === 'reload' && name === 'ssh') {
      this.sshdReloads++
      this.sshdLive = this.sshdEffective()
      return ok()
    }
    if (verb === 'restart') {
      this.restarts.push(name)
      if (name === 'edgedock-inference' && !this.files.has('/opt/edgedock/runtime-version')) return err(5, `Failed to restart ${unit}.service: Unit ${unit}.service not found.`)
      this.services.set(name, 'active')
      return ok()
    }
    if (verb === 'reboot') {
      this.reboots++
      this.up = false
      this.downAttempts = this.opts.downForAttempts ?? 1
      this.bootId = `boot-${this.reboots + 1}`
      if (this.opts.bootHostname) this.files.set('/etc/hostname', `${this.opts.bootHostname}\n`)
      this.hostname = (this.files.get('/etc/hostname') ?? 'localhost').trim()
      this.sshdLive = this.sshdEffective()
      this.governors = this.governors.map(() => 'ondemand')
      for (const [s] of this.services) if (s !== 'ssh' && s !== 'edgedock-inference') this.services.set(s, 'inactive')
      // The connection drops under the command, as over real SSH.
      return err(255, 'Connection to unit closed by remote host.')
    }
    return err(1, `Unknown operation ${verb}.`)
  }

  private nmcli(rest: readonly string[], sudo: boolean): RunResult {
    if (this.opts.networkManager === false) return err(127, 'bash: line 1: nmcli: command not found')
    const a = rest.join(' ')
    if (a === '-t -f TYPE device') return ok(`ethernet\n${this.opts.wifi ? 'wifi\n' : ''}loopback\n`)
    const showAt = rest.indexOf('show')
    if (rest.includes('connection') && showAt >= 0) {
      const c = this.connections.get(rest[showAt + 1] ?? '')
      if (!c) return err(10, `Error: ${rest[showAt + 1]} - no such connection profile.`)
      const esc = (v: string) => v.replace(/([\\:])/g, '\\$1')
      return ok(`${esc(c.ssid)}\n${sudo ? esc(c.psk) : ''}\n`)
    }
    if (!sudo) return err(1, 'Error: Insufficient privileges.')
    const prop = (names: string[]) => {
      for (const n of names) {
        const i = rest.indexOf(n)
        if (i >= 0) return rest[i + 1]
      }
      return undefined
    }
    if (rest[0] === 'connection' && rest[1] === 'add') {
      const name = prop(['con-name']) as string
      this.connections.set(name, { ssid: prop(['ssid']) ?? '', psk: prop(['wifi-sec.psk']) ?? '' })
      return ok(`Connection '${name}' successfully added.\n`)
    }
    if (rest[0] === 'connection' && rest[1] === 'modify') {
      const c = this.connections.get(rest[2] ?? '')
      if (!c) return err(10, `Error: unknown connection '${rest[2]}'.`)
      c.ssid = prop(['802-11-wireless.ssid']) ?? c.ssid
      c.psk = prop(['wifi-sec.psk']) ?? c.psk
      return ok()
    }
    return err(2, 'Error: argument not understood.')
  }
}

/** Runtime and model installers as the runtime module will plug them in: commands on the unit. */
export function fakeRuntimeInstaller(version = '0.3.0') {
  return {
    wanted: () => version,
    async installed(shell: RemoteShell) {
      const r = await shell.run(['cat', '--', '/opt/edgedock/runtime-version'])
      return r.code === 0 ? r.stdout.trim() : null
    },
    async install(shell: RemoteShell) {
      await shell.run(['mkdir', '-p', '/opt/edgedock'], { sudo: true })
      const r = await shell.run(['install', '-m', '644', '/dev/stdin', '/opt/edgedock/runtime-version'], { sudo: true, stdin: `${version}\n` })
      if (r.code !== 0) throw new Error(r.stderr)
    }
  }
}

export function fakeModelInstaller() {
  return {
    async current(shell: RemoteShell) {
      const r = await shell.run(['cat', '--', '/opt/edgedock/models/current-name'])
      return r.code === 0 ? r.stdout.trim() : null
    },
    async install(shell: RemoteShell, model: string) {
      await shell.run(['mkdir', '-p', '/opt/edgedock/models'], { sudo: true })
      const r = await shell.run(['install', '-m', '644', '/dev/stdin', '/opt/edgedock/models/current-name'], { sudo: true, stdin: `${model}\n` })
      if (r.code !== 0) throw new Error(r.stderr)
    }
  }
}
