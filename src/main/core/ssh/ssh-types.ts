// What a caller hands an SSH session and gets back, shared by the session and the modules it delegates to.
import type { HostKeyStore } from './host-key-pinning'

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
  /** Output as it arrives (progress lines); the whole of it still comes back in the result. */
  onStdout?: (chunk: string) => void
  onStderr?: (chunk: string) => void
  /** Aborting sends SIGINT to the command and lets it finish (a benchmark prints what it measured); `signal` still cuts it off. */
  interrupt?: AbortSignal
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
  /** Upload: the local file is gzip; the unit unpacks it as it arrives (`gzip -dc`), so `remotePath` is the unpacked file. */
  gunzip?: boolean
  timeoutMs?: number
  /** SFTP requests in flight and bytes per request (uploads default to 32 x 128 KiB, see PUT_TUNING). */
  concurrency?: number
  chunkSize?: number
}

export const SSH_DEFAULTS = { connectTimeoutMs: 15_000, commandTimeoutMs: 10 * 60_000, keepaliveIntervalMs: 5_000, keepaliveCountMax: 3 }
// Exit status reported when the command ended without one (killed by a signal), as ssh(1) does.
export const NO_EXIT_STATUS = 255
