// The real SSH side of a log stream: a session's streaming exec as the line source a JournalStream
// reads. Output arrives in chunks pushed by the channel; they are split into lines and held in a
// bounded buffer, and the channel is paused while the buffer is full, so the unit's journalctl waits
// instead of this process filling its memory.
import type { RemoteCommand } from '../ssh/remote-command'
import type { LogShell, RemoteLines } from './journal-stream'

/** Flow control over the command's channel (ssh2's channel has both). */
export interface ChannelFlow {
  pause(): void
  resume(): void
}

/** What the SSH session must offer: one command with its output handed over as it arrives. */
export interface StreamingExec {
  /** Resolves with the exit status when the command ends; rejects when the link drops or the signal aborts. */
  stream(
    command: RemoteCommand,
    opts: { signal: AbortSignal; onStdout: (chunk: string) => void; onStderr: (chunk: string) => void; onFlow?: (flow: ChannelFlow) => void }
  ): Promise<{ code: number }>
}

/** Lines buffered before the channel is paused. */
export const HIGH_WATER_LINES = 2000

export function sshLogShell(exec: StreamingExec, highWater = HIGH_WATER_LINES): LogShell {
  return {
    async open(command: RemoteCommand, outer: AbortSignal): Promise<RemoteLines> {
      const local = new AbortController()
      const signal = AbortSignal.any([outer, local.signal])
      const queue: string[] = []
      let partial = ''
      let stderr = ''
      let ended: { error: unknown } | null = null
      let wake: (() => void) | null = null
      let flow: ChannelFlow | null = null
      let paused = false
      local.signal.addEventListener('abort', () => notify(), { once: true })
      const notify = () => {
        wake?.()
        wake = null
      }
      const done = exec.stream(command, {
        signal,
        onStdout: (chunk) => {
          const parts = (partial + chunk).split('\n')
          partial = parts.pop() ?? ''
          queue.push(...parts)
          if (queue.length >= highWater && flow && !paused) {
            paused = true
            flow.pause()
          }
          notify()
        },
        onStderr: (chunk) => {
          if (stderr.length < 64 * 1024) stderr += chunk
        },
        onFlow: (f) => (flow = f)
      })
      done.then(
        () => {
          // A normal end: the last line may lack its newline. After a drop it is cut, so it is left
          // for the next read from the cursor.
          if (partial) queue.push(partial)
          ended = { error: null }
          notify()
        },
        (error: unknown) => {
          ended = { error }
          notify()
        }
      )
      async function* lines(): AsyncGenerator<string> {
        for (;;) {
          // Closed: what is still buffered was never stored, and is read again from the cursor.
          signal.throwIfAborted()
          const line = queue.shift()
          if (line !== undefined) {
            if (paused && queue.length < highWater / 2) {
              paused = false
              flow?.resume()
            }
            yield line
            continue
          }
          const end = ended as { error: unknown } | null
          if (end) {
            if (end.error) throw end.error
            return
          }
          await new Promise<void>((resolve) => (wake = resolve))
        }
      }
      return { lines: lines(), stderr: () => stderr, close: () => local.abort() }
    }
  }
}
