// Files to and from the unit over SFTP, with byte progress. A transfer that runs out of time takes
// the link with it, since SFTP cannot stop one transfer on its own.
import { stat } from 'node:fs/promises'
import { EdgeError } from '../../../shared/errors'
import type { SshLink } from './ssh-link'
import type { TransferOptions } from './ssh-types'

// Measured into a lab Pi (1 emulated CPU, the unit's sshd the bottleneck) with a 46.7 MB model:
// ssh2's default 64 x 32 KiB requests 12.4 MB/s, 32 x 128 KiB 18-19 MB/s, 16 x 255 KiB 17.7 MB/s;
// OpenSSH scp 8-11 MB/s. Fewer, larger writes cost sftp-server less per byte. ssh2 still caps the
// size at what the server announces (OpenSSH's limits@openssh.com).
const PUT_TUNING = { concurrency: 32, chunkSize: 128 * 1024 }

export function localSize(localPath: string): Promise<number> {
  return stat(localPath).then(
    (st) => st.size,
    (err: NodeJS.ErrnoException) => {
      throw new EdgeError('SSH_TRANSFER_FAILED', `${localPath} cannot be read here (${err.code ?? err.message})`, { cause: err })
    }
  )
}

/** Runs one transfer against the link, in the words of a failed copy of `remotePath`. */
export async function transfer(link: SshLink, remotePath: string, opts: TransferOptions, work: () => Promise<void>): Promise<void> {
  try {
    await link.track({
      signal: opts.signal,
      timeoutMs: opts.timeoutMs ?? 0,
      onTimeoutError: () => new EdgeError('SSH_COMMAND_TIMEOUT', `copying ${remotePath} on ${link.where}`),
      onTimeout: () => {
        link.drop()
        link.lost = new EdgeError('SSH_LINK_LOST', `${link.where} (closed after a transfer ran out of time)`)
      },
      work
    })
  } catch (err) {
    if (err instanceof EdgeError && err.code !== 'INTERNAL') throw err
    const message = err instanceof EdgeError ? err.detail : String((err as Error)?.message ?? err)
    throw new EdgeError('SSH_TRANSFER_FAILED', `${remotePath} on ${link.where}: ${message.replace(/^SSH to [^:]+:\d+: /, '')}`, { cause: err })
  }
}

/** Uploads a file over SFTP (parent directories are made), reporting bytes as they go. */
export async function putFile(link: SshLink, localPath: string, remotePath: string, opts: TransferOptions): Promise<{ bytes: number }> {
  const total = await localSize(localPath)
  await transfer(link, remotePath, opts, () =>
    link.ssh.putFile(localPath, remotePath, null, {
      step: (done: number) => opts.onProgress?.(done, total),
      ...(opts.mode !== undefined ? { mode: opts.mode } : {}),
      concurrency: opts.concurrency ?? PUT_TUNING.concurrency,
      chunkSize: opts.chunkSize ?? PUT_TUNING.chunkSize
    })
  )
  return { bytes: total }
}

/** Downloads a file over SFTP, reporting bytes as they go. */
export async function getFile(link: SshLink, remotePath: string, localPath: string, opts: TransferOptions): Promise<{ bytes: number }> {
  let size = 0
  await transfer(link, remotePath, opts, () =>
    link.ssh.getFile(localPath, remotePath, null, {
      step: (done: number, _chunk: number, total: number) => {
        size = total
        opts.onProgress?.(done, total)
      }
    })
  )
  return { bytes: size || (await stat(localPath)).size }
}
