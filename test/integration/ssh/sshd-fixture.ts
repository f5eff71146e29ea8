// A real OpenSSH server for the SSH layer's tests: its own temp host key, config and authorized_keys,
// on a free port of 127.0.0.1, logging at VERBOSE to stderr so tests can read what the server saw.
// Needs root (sshd's privilege separation); suites skip with a reason otherwise.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'

export const SSHD = '/usr/sbin/sshd'
export const TEST_USER = 'edgedock-sshtest'

export function sshdSkipReason(): string | null {
  if (process.getuid?.() !== 0) return 'the SSH integration tests start a real sshd, which needs root'
  if (spawnSync(SSHD, ['-V']).error) return `${SSHD} is not installed (apt-get install openssh-server)`
  return null
}

export async function freePort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as net.AddressInfo).port
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** A local user with a known password, for first-contact (password) logins. */
export function ensureTestUser(password: string): void {
  if (spawnSync('id', [TEST_USER]).status !== 0) {
    const r = spawnSync('useradd', ['-m', '-s', '/bin/sh', TEST_USER], { encoding: 'utf8' })
    if (r.status !== 0 && spawnSync('id', [TEST_USER]).status !== 0) throw new Error(`useradd failed: ${r.stderr}`)
  }
  const r = spawnSync('chpasswd', [], { input: `${TEST_USER}:${password}\n`, encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`chpasswd failed: ${r.stderr}`)
}

export class Sshd {
  private child: ChildProcess | null = null
  private logText = ''
  readonly dir = mkdtempSync(path.join(os.tmpdir(), 'edgedock-sshd-'))
  readonly hostKeyFile = path.join(this.dir, 'ssh_host_ed25519_key')
  readonly authorizedKeysFile = path.join(this.dir, 'authorized_keys')

  private constructor(readonly port: number) {}

  static async start(authorizedKeys: string[], opts: { logLevel?: string } = {}): Promise<Sshd> {
    mkdirSync('/run/sshd', { recursive: true, mode: 0o755 })
    const sshd = new Sshd(await freePort())
    sshd.regenerateHostKeyFile()
    // sshd reads authorized_keys as the user logging in: the test user must be able to reach it.
    chmodSync(sshd.dir, 0o755)
    writeFileSync(sshd.authorizedKeysFile, authorizedKeys.map((k) => `${k}\n`).join(''), { mode: 0o644 })
    writeFileSync(
      path.join(sshd.dir, 'sshd_config'),
      [
        `Port ${sshd.port}`,
        'ListenAddress 127.0.0.1',
        `HostKey ${sshd.hostKeyFile}`,
        `PidFile ${path.join(sshd.dir, 'sshd.pid')}`,
        `AuthorizedKeysFile ${sshd.authorizedKeysFile}`,
        'PermitRootLogin prohibit-password',
        'PasswordAuthentication yes',
        'KbdInteractiveAuthentication no',
        'UsePAM no',
        'StrictModes no',
        `LogLevel ${opts.logLevel ?? 'VERBOSE'}`,
        'MaxAuthTries 6',
        'Subsystem sftp internal-sftp',
        ''
      ].join('\n')
    )
    await sshd.launch()
    return sshd
  }

  /** A new host key, as after a reflash: the server is restarted on the same port. */
  async regenerateHostKey(): Promise<void> {
    await this.stop()
    this.regenerateHostKeyFile()
    await this.launch()
  }

  /** `ssh-keygen -lf` of the current host key: what OpenSSH itself says the fingerprint is. */
  fingerprint(): string {
    const r = spawnSync('ssh-keygen', ['-lf', `${this.hostKeyFile}.pub`], { encoding: 'utf8' })
    return r.stdout.split(' ')[1] ?? ''
  }

  /** What the server logged since start (or since `clearLog`). */
  log(): string {
    return this.logText
  }

  clearLog(): void {
    this.logText = ''
  }

  async waitForLog(re: RegExp, timeoutMs = 3000): Promise<void> {
    const deadline = Date.now() + timeoutMs
    while (!re.test(this.logText)) {
      if (Date.now() > deadline) throw new Error(`sshd did not log ${re} in ${timeoutMs} ms; log:\n${this.logText}`)
      await new Promise((r) => setTimeout(r, 20))
    }
  }

  async stop(): Promise<void> {
    const child = this.child
    this.child = null
    if (!child || child.exitCode !== null) return
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    await exited
  }

  async dispose(): Promise<void> {
    await this.stop()
    rmSync(this.dir, { recursive: true, force: true })
  }

  private regenerateHostKeyFile(): void {
    rmSync(this.hostKeyFile, { force: true })
    rmSync(`${this.hostKeyFile}.pub`, { force: true })
    const r = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'edgedock-test-host', '-f', this.hostKeyFile], { encoding: 'utf8' })
    if (r.status !== 0) throw new Error(`ssh-keygen failed: ${r.stderr}`)
  }

  private async launch(): Promise<void> {
    const child = spawn(SSHD, ['-D', '-e', '-f', path.join(this.dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] })
    this.child = child
    const from = this.logText.length
    child.stderr?.setEncoding('utf8')
    child.stderr?.on('data', (chunk: string) => (this.logText += chunk))
    const started = Date.now()
    while (!/Server listening on 127\.0\.0\.1 port/.test(this.logText.slice(from))) {
      if (child.exitCode !== null) throw new Error(`sshd exited ${child.exitCode}:\n${this.logText}`)
      if (Date.now() - started > 5000) throw new Error(`sshd did not start:\n${this.logText}`)
      await new Promise((r) => setTimeout(r, 20))
    }
  }
}

/** A TCP relay on 127.0.0.1 that a test can cut (sockets reset) or freeze (bytes stop flowing). */
export class LinkProxy {
  private frozen = false
  private constructor(
    private readonly server: net.Server,
    readonly port: number,
    private readonly sockets: Set<net.Socket>
  ) {}

  static async start(targetPort: number): Promise<LinkProxy> {
    const sockets = new Set<net.Socket>()
    const server = net.createServer((client) => {
      const upstream = net.connect(targetPort, '127.0.0.1')
      for (const s of [client, upstream]) {
        sockets.add(s)
        s.on('close', () => sockets.delete(s))
        s.on('error', () => {})
      }
      client.on('data', (d) => !proxy.frozen && upstream.write(d))
      upstream.on('data', (d) => !proxy.frozen && client.write(d))
      client.on('close', () => upstream.destroy())
      upstream.on('close', () => client.destroy())
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const proxy: LinkProxy = new LinkProxy(server, (server.address() as net.AddressInfo).port, sockets)
    return proxy
  }

  /** As a pulled cable that the peer notices: every connection is reset. */
  cut(): void {
    for (const s of this.sockets) s.resetAndDestroy()
  }

  /** As a cable pulled silently (Wi-Fi gone, switch off): nothing more gets through, no FIN, no RST. */
  freeze(): void {
    this.frozen = true
  }

  async close(): Promise<void> {
    this.cut()
    await new Promise((resolve) => this.server.close(resolve))
  }
}

/** A server that accepts TCP and never says a word (a unit half-booted, a wrong service). */
export async function silentServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>()
  const server = net.createServer((s) => {
    sockets.add(s)
    s.on('error', () => {})
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    port: (server.address() as net.AddressInfo).port,
    close: async () => {
      for (const s of sockets) s.destroy()
      await new Promise((resolve) => server.close(resolve))
    }
  }
}
