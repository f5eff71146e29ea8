// Commands on the unit: one exec channel each, stopped on the unit when they run out of time, with
// their exit status (or the signal that ended them) handed back rather than judged.
import { basename } from 'node:path'
import type { ClientChannel } from 'ssh2'
import { EdgeError } from '../../../shared/errors'
import type { RemoteCommand } from './remote-command'
import type { SshLink } from './ssh-link'
import { transfer } from './ssh-sftp'
import { NO_EXIT_STATUS, type RunOptions, type RunResult, type TransferOptions } from './ssh-types'
import { streamInto, type StreamResult } from './stream-upload'

// ssh2 keeps the request that `channel.signal()` sends behind a check that the channel is still
// writable, and node-ssh half-closes it (EOF on stdin, which commands like `cat` wait for) right
// after starting the command, so `signal()` would send nothing. The same request goes through the
// protocol object, exactly as `signal()` itself sends it.
interface ChannelProtocol {
  outgoing?: { id?: number; state?: string }
  _client?: { _protocol?: { signal(id: number, name: string): void } }
}

/**
 * Asks sshd to send a signal (SIGKILL by default) to the command's process group. sshd honours it
 * for a normal user's session (user `pi`); it refuses for root logins, and as the user it cannot
 * signal a command running under sudo: those are only cut off from their channel.
 */
function signalRemote(ch: ClientChannel, name: 'KILL' | 'INT' = 'KILL'): void {
  const c = ch as unknown as ChannelProtocol
  const id = c.outgoing?.id
  // 'eof': our side sent EOF (stdin done); the channel still takes requests.
  const state = c.outgoing?.state
  if ((state === 'open' || state === 'eof') && typeof id === 'number') c._client?._protocol?.signal(id, name)
}

const seconds = (ms: number) => (ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`)

export async function runCommand(link: SshLink, c: RemoteCommand, opts: RunOptions, timeoutMs: number): Promise<RunResult> {
  let channel: ClientChannel | null = null
  const r = await link.track({
    signal: opts.signal,
    timeoutMs,
    onTimeoutError: () => new EdgeError('SSH_COMMAND_TIMEOUT', `${c.line.slice(0, 120)} on ${link.where} (after ${seconds(timeoutMs)})`),
    onTimeout: () => {
      // A timed-out command is stopped on the unit too (sshd kills its process group); the
      // connection stays usable. The channel is closed a moment later, once the signal is through.
      const ch = channel as ClientChannel | null
      if (ch) signalRemote(ch)
      setTimeout(() => ch?.close(), 1000).unref()
    },
    work: () => {
      const interrupt = () => channel && signalRemote(channel, 'INT')
      opts.interrupt?.addEventListener('abort', interrupt, { once: true })
      return link.ssh
        .execCommand(c.line, {
          ...(opts.stdin !== undefined ? { stdin: opts.stdin } : {}),
          ...(opts.onStdout ? { onStdout: (b: Buffer) => opts.onStdout?.(b.toString('utf8')) } : {}),
          ...(opts.onStderr ? { onStderr: (b: Buffer) => opts.onStderr?.(b.toString('utf8')) } : {}),
          noTrim: true,
          onChannel: (ch) => {
            channel = ch
            if (opts.interrupt?.aborted) interrupt()
          }
        })
        .finally(() => opts.interrupt?.removeEventListener('abort', interrupt))
    }
  })
  const stderr = r.code === null && r.signal ? `${r.stderr}${r.stderr && !r.stderr.endsWith('\n') ? '\n' : ''}(ended by signal ${r.signal})` : r.stderr
  return { code: r.code ?? NO_EXIT_STATUS, stdout: r.stdout, stderr }
}

/** Runs one command with a local file as its stdin (see stream-upload.ts), reporting bytes as the unit writes them. */
export async function runWithLocalFile(link: SshLink, command: RemoteCommand, localPath: string, total: number, opts: TransferOptions): Promise<RunResult> {
  let result: StreamResult | undefined
  await transfer(link, basename(localPath), opts, async () => {
    const conn = link.ssh.connection
    if (!conn) throw new EdgeError('SSH_LINK_LOST', link.where)
    const channel = await new Promise<ClientChannel>((resolve, reject) => conn.exec(command.line, (err, ch) => (err ? reject(err) : resolve(ch))))
    result = await streamInto(channel, localPath, total, opts.onProgress)
  })
  const r = result as StreamResult
  return { code: r.code ?? NO_EXIT_STATUS, stdout: r.stdout, stderr: r.stderr }
}
