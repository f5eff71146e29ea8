// The RemoteShell port on an SSH session. The argv is turned into the wire string by THE quoting
// module (core/ssh/remote-command: `cmd`, and `sudo -n --` inside the session when `sudo` is set);
// this file adds no quoting of its own.
import { cmd, type RemoteCommand } from '../ssh/remote-command'
import type { RemoteShell, RunOptions, RunResult } from './remote-shell'

/**
 * What the engine needs from core/ssh's SshSession (which satisfies it as it is): run one built
 * command, reopen after a reboot (same host, same pinned key), close. For the reopen to work once
 * password login is off, the session must have been opened with EdgeDock's key as well.
 */
export interface CommandSession {
  run(command: RemoteCommand, opts: RunOptions): Promise<RunResult>
  reconnect(opts: { signal?: AbortSignal; timeoutMs: number }): Promise<void>
  close(): Promise<void>
  /** Only for files whose sha256 is checked on the unit afterwards (the runtime's are). */
  putStream?(localPath: string, remotePath: string, opts: { mode?: number; gunzip?: boolean; signal?: AbortSignal }): Promise<{ bytes: number }>
}

export function sshRemoteShell(session: CommandSession): RemoteShell {
  const shell: RemoteShell = {
    run: (argv, opts = {}) => session.run(cmd(argv), opts),
    reconnect: (opts) => session.reconnect(opts),
    close: () => session.close()
  }
  // The runtime step is the only upload in a profile, and its plan checks every file's sha256 next.
  const put = session.putStream?.bind(session)
  if (put) shell.upload = async (localPath, remotePath, opts) => void (await put(localPath, remotePath, opts))
  return shell
}
