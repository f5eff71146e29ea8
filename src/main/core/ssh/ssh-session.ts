// One SSH connection to one unit (node-ssh over ssh2): keepalive, connect and command timeouts,
// commands from the quoting module only, SFTP and streamed uploads with byte progress, cancellation
// that closes the link, and errors in plain words. The work itself lives in the modules named below;
// this class holds them together behind the API the rest of the app uses.
import type { ClientChannel } from 'ssh2'
import { EdgeError } from '../../../shared/errors'
import type { HostKeyCheck } from './host-key-pinning'
import { cmd, isRemoteCommand, sudo, type RemoteCommand } from './remote-command'
import { connectToUnit } from './ssh-connect'
import { runCommand, runWithLocalFile } from './ssh-exec'
import { connectOnUnit } from './ssh-forward'
import { SshLink } from './ssh-link'
import { getFile, localSize, putFile } from './ssh-sftp'
import { SSH_DEFAULTS, type RunOptions, type RunResult, type SshCredentials, type SshSessionOptions, type SshTarget, type TransferOptions } from './ssh-types'
import { streamUploadCommand } from './stream-upload'

export { PortClosedError } from './ssh-forward'
export type { RunOptions, RunResult, SshCredentials, SshLogLevel, SshSessionOptions, SshTarget, TransferOptions } from './ssh-types'

const asCommand = (command: RemoteCommand | readonly string[], asRoot: boolean | undefined): RemoteCommand => {
  const base = isRemoteCommand(command) ? command : cmd(command)
  return asRoot ? sudo(base) : base
}

export class SshSession {
  private readonly link: SshLink
  private hostCheck!: HostKeyCheck
  readonly where: string

  private constructor(
    private readonly target: Required<SshTarget>,
    private readonly credentials: SshCredentials,
    private readonly options: SshSessionOptions
  ) {
    this.where = `${target.host}:${target.port}`
    const secrets = [credentials.password, credentials.passphrase, credentials.identity?.passphrase].filter((s): s is string => !!s)
    this.link = new SshLink(this.where, secrets, options)
  }

  static async open(target: SshTarget, credentials: SshCredentials, options: SshSessionOptions): Promise<SshSession> {
    const session = new SshSession({ host: target.host, port: target.port ?? 22, username: target.username }, credentials, options)
    for (const s of session.link.secrets) options.secret?.(s)
    await session.connect(options.signal, options.connectTimeoutMs ?? SSH_DEFAULTS.connectTimeoutMs)
    return session
  }

  /** The unit's host key as checked on this connection (shown to the user at first contact). */
  get hostKey(): HostKeyCheck {
    return this.hostCheck
  }

  get connected(): boolean {
    return this.link.connected
  }

  /** Runs one command built by the quoting module (an argv is quoted here). */
  run(command: RemoteCommand | readonly string[], opts: RunOptions = {}): Promise<RunResult> {
    const timeoutMs = opts.timeoutMs ?? this.options.commandTimeoutMs ?? SSH_DEFAULTS.commandTimeoutMs
    return runCommand(this.link, asCommand(command, opts.sudo), opts, timeoutMs)
  }

  /** Uploads a file over SFTP (parent directories are made), reporting bytes as they go. */
  put(localPath: string, remotePath: string, opts: TransferOptions = {}): Promise<{ bytes: number }> {
    return putFile(this.link, localPath, remotePath, opts)
  }

  /**
   * Runs one command with a local file as its stdin (see stream-upload.ts), reporting bytes as the
   * unit writes them. Like `run`, it returns the exit status rather than judging it.
   */
  async runWithFile(command: RemoteCommand | readonly string[], localPath: string, opts: RunOptions & Pick<TransferOptions, 'onProgress'> = {}): Promise<RunResult> {
    const c = asCommand(command, opts.sudo)
    return runWithLocalFile(this.link, c, localPath, await localSize(localPath), opts)
  }

  /**
   * Uploads a file as one stream into `dd` on the unit: faster than SFTP into a slow unit, with the
   * unit's own words when the write fails. It cannot tell a short file from a whole one after a
   * dropped link, so use it where the file's sha256 is checked on the unit next. The folder must exist.
   */
  async putStream(localPath: string, remotePath: string, opts: TransferOptions = {}): Promise<{ bytes: number }> {
    const total = await localSize(localPath)
    const r = await runWithLocalFile(this.link, streamUploadCommand(remotePath, opts.mode, opts.gunzip), localPath, total, opts)
    if (r.code !== 0) throw new EdgeError('SSH_TRANSFER_FAILED', `${remotePath} on ${this.where}: ${r.stderr.trim() || `exit code ${r.code}`}`)
    return { bytes: total }
  }

  /** Downloads a file over SFTP, reporting bytes as they go. */
  get(remotePath: string, localPath: string, opts: TransferOptions = {}): Promise<{ bytes: number }> {
    return getFile(this.link, remotePath, localPath, opts)
  }

  /**
   * A TCP connection from the unit to `host:port` as seen by the unit (ssh2 forwardOut): reaches a
   * service that listens on the unit's loopback or behind its firewall, over this SSH connection.
   * Needs sshd's AllowTcpForwarding (on by default). The stream closes with the session.
   */
  connectOnUnit(port: number, host = '127.0.0.1', opts: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<ClientChannel> {
    const timeoutMs = opts.timeoutMs ?? this.options.connectTimeoutMs ?? SSH_DEFAULTS.connectTimeoutMs
    return connectOnUnit(this.link, port, host, opts.signal, timeoutMs)
  }

  /** A fresh connection to the same unit, checked against the same pin (after a reboot). */
  async reconnect(opts: { signal?: AbortSignal; timeoutMs: number }): Promise<void> {
    this.link.reset()
    await this.connect(opts.signal, Math.min(opts.timeoutMs, this.options.connectTimeoutMs ?? SSH_DEFAULTS.connectTimeoutMs))
  }

  async close(): Promise<void> {
    this.link.close()
  }

  private async connect(signal: AbortSignal | undefined, timeoutMs: number): Promise<void> {
    const { ssh, hostCheck } = await connectToUnit({
      target: this.target,
      credentials: this.credentials,
      options: this.options,
      where: this.where,
      secrets: this.link.secrets,
      signal,
      timeoutMs
    })
    this.hostCheck = hostCheck
    this.link.adopt(ssh)
  }
}

/** Opens a session: `openSshSession({ host, port, username }, { privateKey }, { hostKeys, signal, log })`. */
export function openSshSession(target: SshTarget, credentials: SshCredentials, options: SshSessionOptions): Promise<SshSession> {
  return SshSession.open(target, credentials, options)
}
