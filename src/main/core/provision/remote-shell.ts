// The provisioning engine's only door to a unit. Commands are argument arrays; the SSH layer's one
// quoting module turns them into the wire string (and prefixes `sudo -n` when `sudo` is set), so no
// file here ever builds a shell command line from data.

// One definition of a command's options and result: the SSH session's, which this port mirrors.
import type { RunOptions, RunResult } from '../ssh/ssh-session'

export type { RunOptions, RunResult }

export interface RemoteShell {
  run(argv: string[], opts?: RunOptions): Promise<RunResult>
  /**
   * Opens a fresh session to the same unit (same pinned host key). Throws while the unit is not
   * answering; the reboot step calls it with backoff until its deadline.
   */
  reconnect?(opts: { signal?: AbortSignal; timeoutMs: number }): Promise<void>
  close?(): Promise<void>
  /** Copies a local file to the unit (as the login user; checked by sha256 afterwards); the runtime plan's uploads use it. */
  upload?(localPath: string, remotePath: string, opts: { mode: number; gunzip?: boolean; signal?: AbortSignal }): Promise<void>
}

/** What a step needs to install the device runtime; the runtime module plugs in here. */
export interface RuntimeInstaller {
  /** The installed runtime version, or null. Read-only. */
  installed(shell: RemoteShell, signal: AbortSignal): Promise<string | null>
  /** The version `install` would put on the unit. */
  wanted(): string
  /** `onSendSize`: the bytes this install will send, once known (before the first upload). */
  install(shell: RemoteShell, io: { signal: AbortSignal; log: (text: string) => void; onSendSize?: (bytes: number) => void }): Promise<void>
}

/** The same for the unit's assigned model (a library name such as `faces@int8-3`). */
export interface ModelInstaller {
  current(shell: RemoteShell, signal: AbortSignal): Promise<string | null>
  install(shell: RemoteShell, model: string, io: { signal: AbortSignal; log: (text: string) => void }): Promise<void>
}
