// A unit's journal over the app's SSH layer, as the line source a log stream reads. One session
// per unit, opened on first use and again after the link drops (the stream backs off between
// tries). The session's `run` keeps all of a command's output until it ends, which a follow that
// never ends cannot afford: after ROTATE_CHARS the command is asked to stop (SIGINT), the lines cut
// short by that are not handed on, and the stream starts again at its stored cursor, so nothing is
// lost or stored twice. A streaming exec in the SSH layer, with channel flow control, would make
// this unnecessary.
import type { LogShell } from '../core/logs/journal-stream'
import { sshLogShell, type StreamingExec } from '../core/logs/ssh-log-shell'
import type { RemoteCommand } from '../core/ssh/remote-command'

/** What is used of a session (SshSession has it). */
export interface LogSession {
  readonly connected: boolean
  run(
    command: RemoteCommand,
    opts: { signal?: AbortSignal; interrupt?: AbortSignal; timeoutMs?: number; onStdout?: (chunk: string) => void; onStderr?: (chunk: string) => void }
  ): Promise<{ code: number }>
  close(): Promise<void>
}

export const ROTATE_CHARS = 32 * 1024 * 1024
// setTimeout's largest delay (about 24 days): the follow has no deadline of its own.
const NO_TIMEOUT = 2 ** 31 - 1

export interface LogExec {
  shell: LogShell
  /** True once since the last call when the command last ended because it was rotated. */
  takeRotated(): boolean
  close(): Promise<void>
}

export function logExec(open: () => Promise<LogSession>, rotateChars = ROTATE_CHARS): LogExec {
  let session: LogSession | null = null
  let rotated = false
  const exec: StreamingExec = {
    async stream(command, { signal, onStdout, onStderr }) {
      if (!session?.connected) {
        await session?.close().catch(() => {})
        session = null
        session = await open()
      }
      const interrupt = new AbortController()
      let partial = ''
      let chars = 0
      const r = await session.run(command, {
        signal,
        interrupt: interrupt.signal,
        timeoutMs: NO_TIMEOUT,
        onStderr,
        onStdout: (chunk) => {
          if (interrupt.signal.aborted) return
          // Only whole lines go on: a line cut by the interrupt would read as broken JSON.
          const text = partial + chunk
          const end = text.lastIndexOf('\n')
          partial = text.slice(end + 1)
          if (end >= 0) onStdout(text.slice(0, end + 1))
          chars += chunk.length
          if (chars >= rotateChars) interrupt.abort()
        }
      })
      if (interrupt.signal.aborted) rotated = true
      else if (partial) onStdout(partial)
      return { code: r.code }
    }
  }
  return {
    shell: sshLogShell(exec),
    takeRotated: () => {
      const r = rotated
      rotated = false
      return r
    },
    close: async () => {
      await session?.close().catch(() => {})
      session = null
    }
  }
}
