// One SSH connection to one unit (node-ssh over ssh2): keepalive, connect and command timeouts,
// commands from the quoting module only, SFTP and streamed uploads with byte progress, cancellation
// that closes the link, and errors in plain words. The host key is checked against its pin inside
// the key exchange, before any password or key is offered.
import { stat } from 'node:fs/promises'
import { basename } from 'node:path'
import { NodeSSH, type Config } from 'node-ssh'
import type { ClientChannel } from 'ssh2'
import { EdgeError } from '../../../shared/errors'
import { hostKeyAlgorithmsFor } from './host-key'
import { checkHostKey, HostKeyChangedError, pinnedKey, type HostKeyCheck, type HostKeyStore } from './host-key-pinning'
import { cmd, isRemoteCommand, sudo, type RemoteCommand } from './remote-command'
import { sshError } from './ssh-errors'
import { streamInto, streamUploadCommand, type StreamResult } from './stream-upload'

export interface SshTarget {
  host: string
  port?: number
  username: string
}

/**
 * A private key (OpenSSH or PEM text) for routine work; a password for first contact only. With both,
 * the key is tried first, so a session that logged in by password can reconnect by key later.
 */
export interface SshCredentials {
  privateKey?: string
  passphrase?: string
  password?: string
  /** A technician's own key for first contact (`--identity`), tried before `privateKey`. */
  identity?: { privateKey: string; passphrase?: string | undefined }
}

export type SshLogLevel = 'debug' | 'info' | 'warn' | 'error'

export interface SshSessionOptions {
  hostKeys: HostKeyStore
  /** TCP connect + handshake + login. */
  connectTimeoutMs?: number
  /** Default limit for one command; a command may set its own. */
  commandTimeoutMs?: number
  /** A dead link is noticed after about interval x (countMax + 1). */
  keepaliveIntervalMs?: number
  keepaliveCountMax?: number
  /** Aborting closes the link; pending work rejects with the signal's reason. */
  signal?: AbortSignal
  log?: (level: SshLogLevel, text: string) => void
  /** JobContext.secret: the password is registered before it is used, so no log line can hold it. */
  secret?: (value: string) => void
}

export interface RunOptions {
  sudo?: boolean
  /** Fed to the command's stdin. */
  stdin?: string
  timeoutMs?: number
  signal?: AbortSignal
}

export interface RunResult {
  code: number
  stdout: string
  stderr: string
}

export interface TransferOptions {
  /** Bytes done and the file's size, as the transfer goes. */
  onProgress?: (done: number, total: number) => void
  signal?: AbortSignal
  /** File mode on the unit for an upload (e.g. 0o644). */
  mode?: number
  timeoutMs?: number
  /** SFTP requests in flight and bytes per request (uploads default to 32 x 128 KiB, see PUT_TUNING). */
  concurrency?: number
  chunkSize?: number
}

// Measured into a lab Pi (1 emulated CPU, the unit's sshd the bottleneck) with a 46.7 MB model:
// ssh2's default 64 x 32 KiB requests 12.4 MB/s, 32 x 128 KiB 18-19 MB/s, 16 x 255 KiB 17.7 MB/s;
// OpenSSH scp 8-11 MB/s. Fewer, larger writes cost sftp-server less per byte. ssh2 still caps the
// size at what the server announces (OpenSSH's limits@openssh.com).
const PUT_TUNING = { concurrency: 32, chunkSize: 128 * 1024 }
// The unit decrypts every byte we send it. ssh2 orders ciphers by this computer's CPU (AES-GCM first
// where it has AES-NI); a Pi 4's Cortex-A72 has no ARMv8 crypto extensions, so there ChaCha20 is
// several times cheaper than AES, and OpenSSH puts it first too. Into a lab Pi: 46.7 MB in 6.7-6.9 s
// with ChaCha20-Poly1305 against 6.9-7.0 s with AES-128-GCM (emulated AES-NI narrows the gap).
const UNIT_CIPHERS = ['chacha20-poly1305@openssh.com', 'aes128-gcm@openssh.com', 'aes256-gcm@openssh.com', 'aes128-ctr', 'aes192-ctr', 'aes256-ctr']
const DEFAULTS = { connectTimeoutMs: 15_000, commandTimeoutMs: 10 * 60_000, keepaliveIntervalMs: 5_000, keepaliveCountMax: 3 }
// Exit status reported when the command ended without one (killed by a signal), as ssh(1) does.
const NO_EXIT_STATUS = 255

type Pending = (err: EdgeError) => void

interface ChannelInternals {
  outgoing?: { id?: number; state?: string }
  _client?: { _protocol?: { signal(id: number, name: string): void } }
}

/**
 * Asks sshd to SIGKILL the command's process group. ssh2's `channel.signal()` only sends while the
 * channel is writable, and node-ssh half-closes it (EOF on stdin) right after starting the command,
 * so the request goes through the protocol object, as `signal()` itself would. sshd honours it for
 * a normal user's session (user `pi`); it refuses for root logins, and as the user it cannot kill a
 * command running under sudo: those are only cut off from their channel.
 */
function killRemote(ch: ClientChannel): void {
  const c = ch as unknown as ChannelInternals
  const id = c.outgoing?.id
  // 'eof': our side sent EOF (stdin done); the channel still takes requests.
  const state = c.outgoing?.state
  if ((state === 'open' || state === 'eof') && typeof id === 'number') c._client?._protocol?.signal(id, 'KILL')
}

const seconds = (ms: number) => (ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`)

export class SshSession {
  private ssh!: NodeSSH
  private lost: EdgeError | null = null
  private closing = false
  private readonly pending = new Set<Pending>()
  // Connections we closed on purpose (reconnect, cancel): their late close events mean nothing.
  private readonly retired = new WeakSet<NodeSSH>()
  private hostCheck!: HostKeyCheck
  private readonly secrets: string[]
  readonly where: string

  private constructor(
    private readonly target: Required<SshTarget>,
    private readonly credentials: SshCredentials,
    private readonly options: SshSessionOptions
  ) {
    this.where = `${target.host}:${target.port}`
    this.secrets = [credentials.password, credentials.passphrase, credentials.identity?.passphrase].filter((s): s is string => !!s)
  }

  static async open(target: SshTarget, credentials: SshCredentials, options: SshSessionOptions): Promise<SshSession> {
    const session = new SshSession({ host: target.host, port: target.port ?? 22, username: target.username }, credentials, options)
    for (const s of session.secrets) options.secret?.(s)
    await session.connect(options.signal, options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs)
    return session
  }

  /** The unit's host key as checked on this connection (shown to the user at first contact). */
  get hostKey(): HostKeyCheck {
    return this.hostCheck
  }

  get connected(): boolean {
    return !this.lost && !this.closing && this.ssh.isConnected()
  }

  /** Runs one command built by the quoting module (an argv is quoted here). */
  async run(command: RemoteCommand | readonly string[], opts: RunOptions = {}): Promise<RunResult> {
    const base = isRemoteCommand(command) ? command : cmd(command)
    const c = opts.sudo ? sudo(base) : base
    let channel: ClientChannel | null = null
    const timeoutMs = opts.timeoutMs ?? this.options.commandTimeoutMs ?? DEFAULTS.commandTimeoutMs
    const r = await this.track(
      opts.signal,
      timeoutMs,
      () => new EdgeError('SSH_COMMAND_TIMEOUT', `${c.line.slice(0, 120)} on ${this.where} (after ${seconds(timeoutMs)})`),
      () => {
        // A timed-out command is stopped on the unit too (sshd kills its process group); the
        // connection stays usable. The channel is closed a moment later, once the signal is through.
        const ch = channel as ClientChannel | null
        if (ch) killRemote(ch)
        setTimeout(() => ch?.close(), 1000).unref()
      },
      () => this.ssh.execCommand(c.line, { stdin: opts.stdin, noTrim: true, onChannel: (ch) => (channel = ch) })
    )
    const stderr = r.code === null && r.signal ? `${r.stderr}${r.stderr && !r.stderr.endsWith('\n') ? '\n' : ''}(ended by signal ${r.signal})` : r.stderr
    return { code: r.code ?? NO_EXIT_STATUS, stdout: r.stdout, stderr }
  }

  /** Uploads a file over SFTP (parent directories are made), reporting bytes as they go. */
  async put(localPath: string, remotePath: string, opts: TransferOptions = {}): Promise<{ bytes: number }> {
    const total = await this.localSize(localPath)
    await this.transfer(remotePath, opts, () =>
      this.ssh.putFile(localPath, remotePath, null, {
        step: (done: number) => opts.onProgress?.(done, total),
        ...(opts.mode !== undefined ? { mode: opts.mode } : {}),
        concurrency: opts.concurrency ?? PUT_TUNING.concurrency,
        chunkSize: opts.chunkSize ?? PUT_TUNING.chunkSize
      })
    )
    return { bytes: total }
  }

  /**
   * Runs one command with a local file as its stdin (see stream-upload.ts), reporting bytes as the
   * unit writes them. Like `run`, it returns the exit status rather than judging it.
   */
  async runWithFile(command: RemoteCommand | readonly string[], localPath: string, opts: RunOptions & Pick<TransferOptions, 'onProgress'> = {}): Promise<RunResult> {
    const base = isRemoteCommand(command) ? command : cmd(command)
    return this.streamFile(opts.sudo ? sudo(base) : base, localPath, await this.localSize(localPath), opts)
  }

  /**
   * Uploads a file as one stream into `dd` on the unit: faster than SFTP into a slow unit, with the
   * unit's own words when the write fails. It cannot tell a short file from a whole one after a
   * dropped link, so use it where the file's sha256 is checked on the unit next. The folder must exist.
   */
  async putStream(localPath: string, remotePath: string, opts: TransferOptions = {}): Promise<{ bytes: number }> {
    const total = await this.localSize(localPath)
    const r = await this.streamFile(streamUploadCommand(remotePath, opts.mode), localPath, total, opts)
    if (r.code !== 0) throw new EdgeError('SSH_TRANSFER_FAILED', `${remotePath} on ${this.where}: ${r.stderr.trim() || `exit code ${r.code}`}`)
    return { bytes: total }
  }

  /** Downloads a file over SFTP, reporting bytes as they go. */
  async get(remotePath: string, localPath: string, opts: TransferOptions = {}): Promise<{ bytes: number }> {
    let size = 0
    await this.transfer(remotePath, opts, () =>
      this.ssh.getFile(localPath, remotePath, null, {
        step: (done: number, _chunk: number, total: number) => {
          size = total
          opts.onProgress?.(done, total)
        }
      })
    )
    return { bytes: size || (await stat(localPath)).size }
  }

  /**
   * A TCP connection from the unit to `host:port` as seen by the unit (ssh2 forwardOut): reaches a
   * service that listens on the unit's loopback or behind its firewall, over this SSH connection.
   * Needs sshd's AllowTcpForwarding (on by default). The stream closes with the session.
   */
  async connectOnUnit(port: number, host = '127.0.0.1', opts: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<ClientChannel> {
    const timeoutMs = opts.timeoutMs ?? this.options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs
    return this.track(
      opts.signal,
      timeoutMs,
      () => new EdgeError('TIMEOUT', `port ${port} on ${this.where}`),
      () => undefined,
      () =>
        new Promise<ClientChannel>((resolve, reject) => {
          const conn = this.ssh.connection
          if (!conn) return reject(new EdgeError('SSH_LINK_LOST', this.where))
          conn.forwardOut('127.0.0.1', 0, host, port, (err, channel) => (err ? reject(new PortClosedError(host, port, this.where, err)) : resolve(channel)))
        })
    )
  }

  /** A fresh connection to the same unit, checked against the same pin (after a reboot). */
  async reconnect(opts: { signal?: AbortSignal; timeoutMs: number }): Promise<void> {
    this.drop()
    this.lost = null
    this.closing = false
    await this.connect(opts.signal, Math.min(opts.timeoutMs, this.options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs))
  }

  async close(): Promise<void> {
    this.closing = true
    this.failPending(new EdgeError('SSH_LINK_LOST', `${this.where} (closed)`))
    this.ssh.dispose()
  }

  private async connect(signal: AbortSignal | undefined, timeoutMs: number): Promise<void> {
    signal?.throwIfAborted()
    const { host, port, username } = this.target
    const pinned = pinnedKey(this.options.hostKeys, host, port)
    let refusal: HostKeyChangedError | null = null
    let check: HostKeyCheck | null = null
    const ssh = new NodeSSH()
    const config: Config = {
      host,
      port,
      username,
      readyTimeout: timeoutMs,
      keepaliveInterval: this.options.keepaliveIntervalMs ?? DEFAULTS.keepaliveIntervalMs,
      keepaliveCountMax: this.options.keepaliveCountMax ?? DEFAULTS.keepaliveCountMax,
      // Runs during key exchange, before any user-auth request: a refused key means nothing is offered.
      hostVerifier: (key: Buffer) => {
        const verdict = checkHostKey(this.options.hostKeys, host, port, key)
        if (verdict.ok) check = verdict.check
        else refusal = verdict.error
        return verdict.ok
      },
      algorithms: { cipher: UNIT_CIPHERS as never, ...(pinned ? { serverHostKey: hostKeyAlgorithmsFor(pinned.algorithm) as never } : {}) },
      ...(this.credentials.privateKey ? { privateKey: this.credentials.privateKey, passphrase: this.credentials.passphrase } : {}),
      ...(this.credentials.password ? { password: this.credentials.password, tryKeyboard: true } : {}),
      // Key first: with both, the password goes out only while the unit does not know the key yet
      // (first contact), never once the key is installed. (ssh2's default tries the password first.)
      authHandler: [
        // Objects, not names: ssh2's config holds one key, and the identity rides along with ours.
        ...(this.credentials.identity ? [{ type: 'publickey', username, key: this.credentials.identity.privateKey, passphrase: this.credentials.identity.passphrase }] : []),
        ...(this.credentials.privateKey ? ['publickey'] : []),
        ...(this.credentials.password ? ['password', 'keyboard-interactive'] : [])
      ] as never
    }
    const onAbort = () => ssh.connection?.destroy()
    signal?.addEventListener('abort', onAbort, { once: true })
    try {
      await ssh.connect(config)
    } catch (err) {
      ssh.connection?.destroy()
      if (signal?.aborted) throw signal.reason
      if (refusal) throw refusal
      if (pinned && /no matching host key/i.test(String((err as Error)?.message))) throw new HostKeyChangedError(host, port, pinned, null)
      throw sshError(err, this.where, 'connect', this.secrets)
    } finally {
      signal?.removeEventListener('abort', onAbort)
    }
    this.ssh = ssh
    this.lost = null
    this.closing = false
    this.hostCheck = check as unknown as HostKeyCheck
    this.watch(ssh)
    const { algorithm, fingerprint, pinnedNow } = this.hostCheck
    this.options.log?.(
      'info',
      `Connected to ${username}@${this.where}; host key ${algorithm} ${fingerprint}${pinnedNow ? ' (first contact: pinned now)' : ' (matches the pinned key)'}`
    )
  }

  // After login node-ssh no longer listens for errors; without this an ssh2 error would crash the app.
  private watch(ssh: NodeSSH): void {
    const conn = ssh.connection
    if (!conn) return
    const onGone = (err?: unknown) => {
      if (this.ssh !== ssh || this.closing || this.retired.has(ssh)) return
      this.lost = err ? sshError(err, this.where, 'session', this.secrets) : new EdgeError('SSH_LINK_LOST', this.where)
      if (this.lost.code !== 'SSH_LINK_LOST') this.lost = new EdgeError('SSH_LINK_LOST', this.where, { cause: this.lost })
      this.options.log?.('warn', `The connection to ${this.where} dropped`)
      this.failPending(this.lost)
    }
    conn.on('error', (err) => onGone(err))
    conn.on('close', () => onGone())
    conn.on('end', () => onGone())
    if (this.options.signal) {
      const outer = this.options.signal
      const onAbort = () => this.abort(outer.reason)
      outer.addEventListener('abort', onAbort, { once: true })
      conn.once('close', () => outer.removeEventListener('abort', onAbort))
    }
  }

  /** Cancellation closes the link at once: a command stuck on a dead unit cannot hold the job. */
  private abort(reason: unknown): void {
    this.closing = true
    this.failPending(reason instanceof EdgeError ? reason : new EdgeError('JOB_CANCELLED'))
    this.drop()
  }

  private drop(): void {
    if (!this.ssh) return
    this.retired.add(this.ssh)
    this.ssh.connection?.destroy()
    this.ssh.dispose()
  }

  private failPending(err: EdgeError): void {
    for (const reject of [...this.pending]) reject(err)
    this.pending.clear()
  }

  /** Races one piece of work against link loss, cancellation and its time limit. */
  private track<T>(signal: AbortSignal | undefined, timeoutMs: number, onTimeoutError: () => EdgeError, onTimeout: () => void, work: () => Promise<T>): Promise<T> {
    if (this.lost) return Promise.reject(this.lost)
    if (this.closing) return Promise.reject(new EdgeError('SSH_LINK_LOST', `${this.where} (closed)`))
    signal?.throwIfAborted()
    return new Promise<T>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined
      const done = () => {
        clearTimeout(timer)
        this.pending.delete(fail)
        signal?.removeEventListener('abort', onAbort)
      }
      const fail: Pending = (err) => {
        done()
        reject(err)
      }
      const onAbort = () => this.abort(signal?.reason)
      this.pending.add(fail)
      signal?.addEventListener('abort', onAbort, { once: true })
      if (timeoutMs > 0) {
        timer = setTimeout(() => {
          onTimeout()
          fail(onTimeoutError())
        }, timeoutMs)
      }
      work().then(
        (value) => {
          if (!this.pending.has(fail)) return
          done()
          resolve(value)
        },
        (err: unknown) => {
          if (!this.pending.has(fail)) return
          fail(this.lost ?? sshError(err, this.where, 'session', this.secrets))
        }
      )
    })
  }

  private localSize(localPath: string): Promise<number> {
    return stat(localPath).then(
      (st) => st.size,
      (err: NodeJS.ErrnoException) => {
        throw new EdgeError('SSH_TRANSFER_FAILED', `${localPath} cannot be read here (${err.code ?? err.message})`, { cause: err })
      }
    )
  }

  private async streamFile(command: RemoteCommand, localPath: string, total: number, opts: TransferOptions): Promise<RunResult> {
    let result: StreamResult | undefined
    await this.transfer(basename(localPath), opts, async () => {
      const conn = this.ssh.connection
      if (!conn) throw new EdgeError('SSH_LINK_LOST', this.where)
      const channel = await new Promise<ClientChannel>((resolve, reject) => conn.exec(command.line, (err, ch) => (err ? reject(err) : resolve(ch))))
      result = await streamInto(channel, localPath, total, opts.onProgress)
    })
    const r = result as StreamResult
    return { code: r.code ?? NO_EXIT_STATUS, stdout: r.stdout, stderr: r.stderr }
  }

  private async transfer(remotePath: string, opts: TransferOptions, work: () => Promise<void>): Promise<void> {
    try {
      await this.track(
        opts.signal,
        opts.timeoutMs ?? 0,
        () => new EdgeError('SSH_COMMAND_TIMEOUT', `copying ${remotePath} on ${this.where}`),
        () => {
          // An SFTP transfer cannot be stopped on its own: the link goes, and the session with it.
          this.drop()
          this.lost = new EdgeError('SSH_LINK_LOST', `${this.where} (closed after a transfer ran out of time)`)
        },
        work
      )
    } catch (err) {
      if (err instanceof EdgeError && err.code !== 'INTERNAL') throw err
      const message = err instanceof EdgeError ? err.detail : String((err as Error)?.message ?? err)
      throw new EdgeError('SSH_TRANSFER_FAILED', `${remotePath} on ${this.where}: ${message.replace(/^SSH to [^:]+:\d+: /, '')}`, { cause: err })
    }
  }
}

/** Nothing listens on that port on the unit (or sshd does not allow forwarding): the link itself is fine. */
export class PortClosedError extends EdgeError {
  constructor(host: string, port: number, where: string, cause: unknown) {
    super('REMOTE_PORT_CLOSED', `port ${port} of ${host} as seen from ${where}`, { cause })
  }
}

/** Opens a session: `openSshSession({ host, port, username }, { privateKey }, { hostKeys, signal, log })`. */
export function openSshSession(target: SshTarget, credentials: SshCredentials, options: SshSessionOptions): Promise<SshSession> {
  return SshSession.open(target, credentials, options)
}
