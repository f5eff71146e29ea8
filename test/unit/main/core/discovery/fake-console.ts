// A scripted Raspberry Pi serial console: agetty's login prompt, login(1), then a bash that
// honours `stty -echo` and PS1, with bracketed-paste escapes and printk lines as on a real Pi.

import { Duplex } from 'node:stream'
import { fixture } from './fixture'

export interface FakeConsoleOptions {
  password?: string
  hostname?: string
  /** never print anything (unit powered off, wrong wiring, wrong baud) */
  silent?: boolean
  /** start already logged in at a shell prompt */
  loggedIn?: boolean
  /** deliver output a byte at a time, as a real UART or QEMU's pty does (escapes arrive in pieces) */
  byteByByte?: boolean
  sudoAsksPassword?: boolean
  sshUnitMissing?: boolean
}

export class FakeConsole extends Duplex {
  received = ''
  private state: 'idle' | 'login' | 'password' | 'shell' | 'sudo' = 'idle'
  private echo = true
  private ps1 = 'pi@raspberrypi:~ $ '
  private line = ''
  private pendingSudo: (() => void) | null = null
  sshEnabled = false

  constructor(private readonly opts: FakeConsoleOptions = {}) {
    super()
    if (opts.loggedIn) this.state = 'shell'
  }

  override _read(): void {}

  private out(text: string): void {
    if (this.opts.silent) return
    if (this.opts.byteByByte) for (const ch of text) setTimeout(() => this.push(ch), 1)
    else setTimeout(() => this.push(text), 1)
  }

  private prompt(): void {
    this.out(`\x1b[?2004h${this.ps1.replace('$?', String(this.lastExit))}`)
  }

  private lastExit = 0

  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    for (const ch of chunk.toString('utf8')) {
      this.received += ch
      if (ch !== '\r') {
        this.line += ch
        continue
      }
      const line = this.line
      this.line = ''
      this.onLine(line)
    }
    done()
  }

  private onLine(line: string): void {
    const host = this.opts.hostname ?? 'raspberrypi'
    switch (this.state) {
      case 'idle':
      case 'login':
        if (line === '') {
          this.out(`\r\n\r\nDebian GNU/Linux 12 ${host} ttyS0\r\n\r\n${host} login: `)
          this.state = 'login'
          return
        }
        this.out(`${line}\r\nPassword: `)
        this.state = 'password'
        return
      case 'password':
        if (line === (this.opts.password ?? 'raspberry')) {
          this.state = 'shell'
          this.out(`\r\nLinux ${host} 6.6.51+rpt-rpi-v8 #1 SMP PREEMPT Debian 1:6.6.51-1+rpt3 (2024-10-08) aarch64\r\n\r\nLast login: Mon Nov 24 17:02:11 GMT 2026 on ttyS0\r\n`)
          this.prompt()
        } else {
          setTimeout(() => this.out(`\r\nLogin incorrect\r\n${host} login: `), 5)
          this.state = 'login'
        }
        return
      case 'sudo':
        this.state = 'shell'
        this.out('\r\n')
        this.pendingSudo?.()
        return
      case 'shell':
        if (this.echo) this.out(`${line}\r\n`)
        this.out('\x1b[?2004l\r')
        this.runShell(line)
    }
  }

  private runShell(line: string): void {
    const finish = (output: string, code: number): void => {
      this.lastExit = code
      this.out(output)
      this.prompt()
    }
    if (line.startsWith('stty -echo;')) {
      this.echo = false
      const m = /PS1='([^']*)'/.exec(line)
      if (m) this.ps1 = m[1]!
      return finish('', 0)
    }
    if (line === 'exit') {
      this.state = 'login'
      this.echo = true
      this.ps1 = 'pi@raspberrypi:~ $ '
      return this.out(`logout\r\n\r\nDebian GNU/Linux 12 ${this.opts.hostname ?? 'raspberrypi'} ttyS0\r\n\r\n${this.opts.hostname ?? 'raspberrypi'} login: `)
    }
    if (line === '') return finish('', this.lastExit)
    if (line === 'hostname') return finish(`${this.opts.hostname ?? 'raspberrypi'}\r\n`, 0)
    if (line === 'ip -j addr') {
      // A printk line lands in the middle of the output, as it does on a real console.
      return finish(`[  812.304567] brcmfmac: brcmf_cfg80211_set_power_mgmt: power save enabled\r\n${fixture('pi4-ip-addr.json').trim()}\r\n`, 0)
    }
    if (line === 'sudo systemctl enable --now ssh') {
      const run = (): void => {
        if (this.opts.sshUnitMissing) return finish('Failed to enable unit: Unit file ssh.service does not exist.\r\n', 1)
        this.sshEnabled = true
        finish('Synchronizing state of ssh.service with SysV service script with /lib/systemd/systemd-sysv-install.\r\nExecuting: /lib/systemd/systemd-sysv-install enable ssh\r\n', 0)
      }
      if (this.opts.sudoAsksPassword) {
        this.state = 'sudo'
        this.pendingSudo = run
        return this.out('[sudo] password for pi: ')
      }
      return run()
    }
    finish(`-bash: ${line.split(' ')[0]}: command not found\r\n`, 127)
  }
}

/** Test stand-in for the quoting module: plain words pass, anything else is single-quoted. */
export function toShell(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ')
}
